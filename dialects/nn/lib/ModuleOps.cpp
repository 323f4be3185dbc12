// Verifiers and shape rules of the module-level ops: param, load, constant, train.
#include "nn/Initializers.h"
#include "nn/NNDialect.h"
#include "nn/Optimizers.h"
#include "nn/RuleSupport.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;
using namespace mlir::nn;

LogicalResult ParamOp::verify() {
  const InitializerSpec *spec = findInitializer(getInit());
  if (!spec) return emitOpError() << "unknown initializer '" << getInit() << "'";
  for (NamedAttribute arg : getInitArgs()) {
    llvm::StringRef name = arg.getName().getValue();
    bool known = llvm::any_of(spec->numericArgs, [&](auto &a) { return a.first == name; }) ||
                 (spec->takesGain && name == "gain") || (spec->takesMode && name == "mode");
    if (!known)
      return emitOpError() << "initializer '" << getInit() << "' takes no argument '" << name << "'";
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
  if (!module || !SymbolTable::lookupSymbolIn(module, getForwardAttr()))
    return emitOpError() << "forward function '" << getForward() << "' does not exist";
  const OptimizerSpec *spec = findOptimizer(getOptimizer());
  if (!spec) return emitOpError() << "unknown optimizer '" << getOptimizer() << "'";
  for (NamedAttribute h : getHyperparameters())
    if (!findHyperparameter(*spec, h.getName().getValue()))
      return emitOpError() << "optimizer '" << getOptimizer() << "' has no hyperparameter '"
                           << h.getName().getValue() << "'";
  for (Attribute frozen : getFrozen())
    if (!SymbolTable::lookupSymbolIn(module, cast<SymbolRefAttr>(frozen)))
      return emitOpError() << "frozen " << frozen << " is not a declared nn.param";
  return success();
}
