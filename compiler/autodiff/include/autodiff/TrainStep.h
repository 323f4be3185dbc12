// Builds the training entry points of a module from its forward function and nn.train:
//   @train_step(inputs..., hyperparameters..., step, seed) -> (loss, metrics...)
//     the forward pass in training form (batch statistics, dropout masks), the backward
//     pass, and the optimizer update; parameters, optimizer state and batch-norm running
//     statistics are updated through nn.store (in place, for the runtime);
//   @predict(inputs the outputs need...) -> (outputs...), in evaluation form;
//   @input_gradient(inputs...) -> (loss, d loss / d input...), when asked for inputs.
// @forward stays as the evaluation function (loss, metrics, outputs; no state changes).
#pragma once

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace nnc {

struct TrainStepOptions {
  std::vector<std::string> gradWrt; // input names for @input_gradient
};

mlir::LogicalResult buildTrainingFunctions(mlir::ModuleOp module, const TrainStepOptions &options);

} // namespace nnc
