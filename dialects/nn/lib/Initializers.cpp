// The initializer table and PyTorch's nonlinearity gains.
#include "nn/Initializers.h"

#include <cmath>

namespace mlir::nn {
namespace {

const std::pair<llvm::StringRef, double> kConstantArgs[] = {{"value", 0.0}};
const std::pair<llvm::StringRef, double> kUniformArgs[] = {{"low", -0.1}, {"high", 0.1}};
const std::pair<llvm::StringRef, double> kNormalArgs[] = {{"mean", 0.0}, {"std", 1.0}};

const InitializerSpec kInitializers[] = {
    {"zeros", {}},
    {"ones", {}},
    {"constant", kConstantArgs},
    {"uniform", kUniformArgs},
    {"normal", kNormalArgs},
    {"xavier_uniform", {}, true, 1.0, false},
    {"xavier_normal", {}, true, 1.0, false},
    {"kaiming_uniform", {}, true, M_SQRT2, true},
    {"kaiming_normal", {}, true, M_SQRT2, true},
};

} // namespace

llvm::ArrayRef<InitializerSpec> initializers() { return kInitializers; }

const InitializerSpec *findInitializer(llvm::StringRef name) {
  for (const InitializerSpec &spec : kInitializers)
    if (spec.name == name) return &spec;
  return nullptr;
}

std::optional<double> nonlinearityGain(llvm::StringRef nonlinearity, double slope) {
  if (nonlinearity == "linear" || nonlinearity == "sigmoid") return 1.0;
  if (nonlinearity == "tanh") return 5.0 / 3.0;
  if (nonlinearity == "relu") return M_SQRT2;
  if (nonlinearity == "leaky_relu") return std::sqrt(2.0 / (1.0 + slope * slope));
  return std::nullopt;
}

} // namespace mlir::nn
