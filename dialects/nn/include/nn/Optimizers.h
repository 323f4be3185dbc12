// The optimizers nnc knows, with their hyperparameters and PyTorch's defaults. The
// frontend fills defaults from here and nn.train's verifier checks against it.
#pragma once

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::nn {

struct Hyperparameter {
  llvm::StringRef name;
  enum class Kind { Float, Bool, FloatPair } kind;
  double value = 0;        // Float default (NaN: the user must give it)
  double second = 0;       // FloatPair second entry (betas)
};

struct OptimizerSpec {
  llvm::StringRef name;
  llvm::ArrayRef<Hyperparameter> hyperparameters;
};

llvm::ArrayRef<OptimizerSpec> optimizers();
const OptimizerSpec *findOptimizer(llvm::StringRef name);
const Hyperparameter *findHyperparameter(const OptimizerSpec &spec, llvm::StringRef name);

// The value of the train step's hyperparameter argument `argument` from nn.train's
// hyperparameters dictionary: "beta1"/"beta2" are the two entries of `betas`; 0 when
// absent.
double hyperparameterValue(mlir::DictionaryAttr hyperparameters, llvm::StringRef argument);

} // namespace mlir::nn
