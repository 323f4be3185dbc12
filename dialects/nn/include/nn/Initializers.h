// Parameter initializers: their names, arguments, and the nonlinearity gains of
// PyTorch's calculate_gain. The frontend resolves initializers through this table and
// nn.param's verifier checks its init_args against it.
#pragma once

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mlir::nn {

struct InitializerSpec {
  llvm::StringRef name;
  // Numeric arguments with their defaults, e.g. {"low", -0.1}; `gain` and `mode` are
  // handled separately for the Xavier/Kaiming family.
  llvm::ArrayRef<std::pair<llvm::StringRef, double>> numericArgs;
  bool takesGain = false;        // xavier_* and kaiming_*
  double defaultGain = 1.0;      // 1 for Xavier, sqrt(2) (relu) for Kaiming
  bool takesMode = false;        // kaiming_*: fan_in or fan_out
};

llvm::ArrayRef<InitializerSpec> initializers();
const InitializerSpec *findInitializer(llvm::StringRef name);

// calculate_gain(nonlinearity, slope): linear/sigmoid 1, tanh 5/3, relu sqrt(2),
// leaky_relu sqrt(2 / (1 + slope^2)); nullopt for an unknown name.
std::optional<double> nonlinearityGain(llvm::StringRef nonlinearity, double slope = 0.01);

} // namespace mlir::nn
