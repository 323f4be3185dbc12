// Optimizer updates as nn IR, matching torch.optim (1.13, single-tensor path) formula by
// formula. Hyperparameters are run-time scalars (function arguments), so a schedule
// never recompiles; the choices that change the graph's structure are fixed at compile
// time from the .graph values: whether momentum, weight decay and (for Adagrad) lr decay
// are non-zero, and the flags nesterov, amsgrad and centered.
#pragma once

#include "nn/NNBuilder.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/FunctionExtras.h"

namespace nnc {

// What an optimizer's update builder sees for one parameter.
struct ParamUpdate {
  mlir::nn::NNBuilder &b;
  mlir::Value param;              // its value before the step
  mlir::Value grad;               // d loss / d param
  mlir::Value step;               // 1 for the first step, as a 0-d float of the param's type
  mlir::DictionaryAttr settings;  // the nn.train hyperparameters (compile-time values)
  // The run-time scalar of a hyperparameter ("lr", "beta1", ...), of the param's type.
  llvm::function_ref<mlir::Value(llvm::StringRef)> hyper;
  // Optimizer state of this parameter: declared on first use (filled with `init`),
  // read, and written back after the step.
  llvm::function_ref<mlir::Value(llvm::StringRef name, double init)> loadState;
  llvm::function_ref<void(llvm::StringRef name, mlir::Value value)> storeState;

  double setting(llvm::StringRef name) const;
  bool flag(llvm::StringRef name) const;
};

// Returns the parameter's new value, or fails for an unknown optimizer.
mlir::FailureOr<mlir::Value> buildOptimizerUpdate(llvm::StringRef optimizer, ParamUpdate &update);

// The run-time hyperparameter arguments of an optimizer, in order: every float setting,
// with a pair (betas) split into beta1 and beta2.
llvm::SmallVector<std::string> runtimeHyperparameters(llvm::StringRef optimizer);

} // namespace nnc
