// The optimizer table: hyperparameter names and defaults follow torch.optim exactly.
#include "nn/Optimizers.h"

#include <cmath>
#include <limits>

namespace mlir::nn {
namespace {

using K = Hyperparameter::Kind;
constexpr double kRequired = std::numeric_limits<double>::quiet_NaN();

const Hyperparameter kSgd[] = {{"lr", K::Float, kRequired}, {"momentum", K::Float, 0},
                               {"dampening", K::Float, 0}, {"nesterov", K::Bool, 0},
                               {"weight_decay", K::Float, 0}};
const Hyperparameter kAdagrad[] = {{"lr", K::Float, 0.01}, {"lr_decay", K::Float, 0},
                                   {"weight_decay", K::Float, 0},
                                   {"initial_accumulator_value", K::Float, 0},
                                   {"eps", K::Float, 1e-10}};
const Hyperparameter kAdadelta[] = {{"lr", K::Float, 1.0}, {"rho", K::Float, 0.9},
                                    {"eps", K::Float, 1e-6}, {"weight_decay", K::Float, 0}};
const Hyperparameter kRmsprop[] = {{"lr", K::Float, 0.01}, {"alpha", K::Float, 0.99},
                                   {"eps", K::Float, 1e-8}, {"weight_decay", K::Float, 0},
                                   {"momentum", K::Float, 0}, {"centered", K::Bool, 0}};
const Hyperparameter kAdam[] = {{"lr", K::Float, 1e-3}, {"betas", K::FloatPair, 0.9, 0.999},
                                {"eps", K::Float, 1e-8}, {"weight_decay", K::Float, 0},
                                {"amsgrad", K::Bool, 0}};
const Hyperparameter kAdamW[] = {{"lr", K::Float, 1e-3}, {"betas", K::FloatPair, 0.9, 0.999},
                                 {"eps", K::Float, 1e-8}, {"weight_decay", K::Float, 1e-2},
                                 {"amsgrad", K::Bool, 0}};
const Hyperparameter kNadam[] = {{"lr", K::Float, 2e-3}, {"betas", K::FloatPair, 0.9, 0.999},
                                 {"eps", K::Float, 1e-8}, {"weight_decay", K::Float, 0},
                                 {"momentum_decay", K::Float, 4e-3}};

const OptimizerSpec kOptimizers[] = {{"sgd", kSgd},         {"adagrad", kAdagrad},
                                     {"adadelta", kAdadelta}, {"rmsprop", kRmsprop},
                                     {"adam", kAdam},       {"adamw", kAdamW},
                                     {"nadam", kNadam}};

} // namespace

llvm::ArrayRef<OptimizerSpec> optimizers() { return kOptimizers; }

const OptimizerSpec *findOptimizer(llvm::StringRef name) {
  for (const OptimizerSpec &spec : kOptimizers)
    if (spec.name == name) return &spec;
  return nullptr;
}

const Hyperparameter *findHyperparameter(const OptimizerSpec &spec, llvm::StringRef name) {
  for (const Hyperparameter &h : spec.hyperparameters)
    if (h.name == name) return &h;
  return nullptr;
}

double hyperparameterValue(mlir::DictionaryAttr hyperparameters, llvm::StringRef argument) {
  if (!hyperparameters) return 0.0;
  if (argument == "beta1" || argument == "beta2") {
    auto betas = hyperparameters.getAs<mlir::DenseF64ArrayAttr>("betas");
    return betas ? betas[argument == "beta1" ? 0 : 1] : 0.0;
  }
  auto value = hyperparameters.getAs<mlir::FloatAttr>(argument);
  return value ? value.getValueAsDouble() : 0.0;
}

} // namespace mlir::nn
