// Verifiers and shape rules of the module-level ops: param, load, constant, train.
#include "nn/Initializers.h"
#include "nn/NNDialect.h"
#include "nn/Optimizers.h"
#include "nn/RuleSupport.h"

#include "mlir/IR/BuiltinOps.h"

#include <cmath>
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mlir::nn;

LogicalResult ParamOp::verify() {
  const InitializerSpec *spec = findInitializer(getInit());
  if (!spec) return emitOpError() << "unknown initializer '" << getInit() << "'";
  for (NamedAttribute arg : getInitArgs()) {
    llvm::StringRef name = arg.getName().getValue();
    bool numeric = llvm::any_of(spec->numericArgs, [&](auto &a) { return a.first == name; }) ||
                   (spec->takesGain && name == "gain");
    if (numeric && !isa<FloatAttr>(arg.getValue()))
      return emitOpError() << "initializer argument '" << name << "' must be a float";
    if (spec->takesMode && name == "mode") {
      auto mode = dyn_cast<StringAttr>(arg.getValue());
      if (!mode || (mode.getValue() != "fan_in" && mode.getValue() != "fan_out"))
        return emitOpError() << "initializer mode must be \"fan_in\" or \"fan_out\"";
    } else if (!numeric) {
      return emitOpError() << "initializer '" << getInit() << "' takes no argument '" << name << "'";
    }
  }
  auto tensor = cast<RankedTensorType>(getType());
  if (!isa<FloatType>(tensor.getElementType()))
    return emitOpError() << "parameters must be floating-point, got " << formatType(tensor);
  return success();
}

LogicalResult LoadOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto param = symbols.lookupNearestSymbolFrom<ParamOp>(*this, getNameAttr());
  if (!param) return emitOpError() << "'" << getName() << "' is not a declared nn.param";
  auto type = dyn_cast<RankedTensorType>(getType());
  if (type && type != param.getType())
    return emitOpError() << "result type " << formatType(type) << " differs from the declared "
                         << formatType(param.getType());
  return success();
}

LogicalResult LoadOp::inferResultTypes(llvm::SmallVectorImpl<Type> &resultTypes) {
  auto module = (*this)->getParentOfType<ModuleOp>();
  auto param = module ? SymbolTable::lookupNearestSymbolFrom<ParamOp>(*this, getNameAttr())
                      : ParamOp();
  if (!param) return emitError() << "unknown parameter '" << getName() << "'";
  resultTypes.push_back(param.getType());
  return success();
}

LogicalResult ConstantOp::inferResultTypes(llvm::SmallVectorImpl<Type> &resultTypes) {
  auto type = dyn_cast<RankedTensorType>(getValue().getType());
  if (!type) return emitError() << "constant: value must be a ranked tensor";
  resultTypes.push_back(type);
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult TrainOp::verify() {
  auto module = (*this)->getParentOfType<ModuleOp>();
  if (!module || !isa_and_nonnull<FunctionOpInterface>(
                     SymbolTable::lookupSymbolIn(module, getForwardAttr())))
    return emitOpError() << "forward function '" << getForward() << "' does not exist";
  const OptimizerSpec *spec = findOptimizer(getOptimizer());
  if (!spec) return emitOpError() << "unknown optimizer '" << getOptimizer() << "'";
  for (NamedAttribute h : getHyperparameters())
    if (!findHyperparameter(*spec, h.getName().getValue()))
      return emitOpError() << "optimizer '" << getOptimizer() << "' has no hyperparameter '"
                           << h.getName().getValue() << "'";
  // Hyperparameters have their kinds; those without a default (sgd's lr) are present.
  // The frontend writes every one; hand-written IR may rely on the table's defaults.
  using K = Hyperparameter::Kind;
  for (const Hyperparameter &h : spec->hyperparameters) {
    Attribute value = getHyperparameters().get(h.name);
    if (!value && h.kind == K::Float && std::isnan(h.value))
      return emitOpError() << "optimizer '" << getOptimizer() << "' needs '" << h.name << "'";
    if (!value) continue;
    auto pair = dyn_cast<DenseF64ArrayAttr>(value);
    bool ok = h.kind == K::Float  ? isa<FloatAttr>(value)
              : h.kind == K::Bool ? isa<BoolAttr>(value)
                                  : pair && pair.size() == 2;
    if (!ok)
      return emitOpError() << "hyperparameter '" << h.name << "' must be "
                           << (h.kind == K::Float ? "a float" : h.kind == K::Bool ? "a bool" : "two floats");
  }
  if (getMaxGradNorm() && !(getMaxGradNorm()->convertToDouble() > 0))
    return emitOpError() << "max_grad_norm must be positive";
  for (Attribute frozen : getFrozen())
    if (!isa_and_nonnull<ParamOp>(SymbolTable::lookupSymbolIn(module, cast<SymbolRefAttr>(frozen))))
      return emitOpError() << "frozen " << frozen << " is not a declared nn.param";
  return success();
}

double TrainOp::hyperparameterDefault(llvm::StringRef name) {
  if (name == "max_grad_norm") return getMaxGradNorm() ? getMaxGradNorm()->convertToDouble() : 0.0;
  return hyperparameterValue(getHyperparameters(), name);
}

LogicalResult StoreOp::verifySymbolUses(SymbolTableCollection &symbols) {
  auto param = symbols.lookupNearestSymbolFrom<ParamOp>(*this, getNameAttr());
  if (!param) return emitOpError() << "'" << getName() << "' is not a declared nn.param";
  if (getValue().getType() != param.getType())
    return emitOpError() << "stores " << formatType(getValue().getType()) << " into "
                         << formatType(param.getType());
  return success();
}

// Shape ops that do not change the shape fold to their input (canonicalization removes
// them; gradient rules create such no-ops freely).
OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  return getInput().getType() == getType() ? OpFoldResult(getInput()) : OpFoldResult();
}
OpFoldResult FlattenOp::fold(FoldAdaptor) {
  return getInput().getType() == getType() ? OpFoldResult(getInput()) : OpFoldResult();
}
OpFoldResult BroadcastToOp::fold(FoldAdaptor) {
  return getInput().getType() == getType() ? OpFoldResult(getInput()) : OpFoldResult();
}
