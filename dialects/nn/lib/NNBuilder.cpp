// NNBuilder: nn ops built by name and typed by their shape rules.
#include "nn/NNBuilder.h"

#include "nn/NNDialect.h"
#include "nn/RuleSupport.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::nn {

llvm::ArrayRef<int64_t> shapeOf(Value v) { return cast<RankedTensorType>(v.getType()).getShape(); }

llvm::SmallVector<Value> NNBuilder::ops(llvm::StringRef name, ValueRange operands,
                                        llvm::ArrayRef<NamedAttribute> attrs, unsigned numResults) {
  if (failed_ || llvm::any_of(operands, [](Value v) { return !v; })) {
    failed_ = true;
    return llvm::SmallVector<Value>(numResults, Value());
  }
  MLIRContext *ctx = b_.getContext();
  auto registered = RegisteredOperationName::lookup(("nn." + name).str(), ctx);
  if (!registered) {
    emitError(loc_) << "internal error: no op nn." << name;
    failed_ = true;
    return llvm::SmallVector<Value>(numResults, Value());
  }
  NamedAttrList list(attrs);
  NamedAttrList defaults;
  registered->populateDefaultAttrs(defaults);
  for (NamedAttribute d : defaults)
    if (!list.get(d.getName())) list.push_back(d);
  OperationState state(loc_, *registered);
  state.addOperands(operands);
  state.addAttributes(list);
  state.addTypes(llvm::SmallVector<Type>(numResults, UnrankedTensorType::get(b_.getF32Type())));
  Operation *op = b_.create(state);
  llvm::SmallVector<Type> types;
  if (mlir::failed(cast<ShapeInference>(op).inferResultTypes(types))) {
    op->erase();
    failed_ = true;
    return llvm::SmallVector<Value>(numResults, Value());
  }
  for (auto [result, type] : llvm::zip(op->getResults(), types)) result.setType(type);
  return llvm::SmallVector<Value>(op->getResults());
}

Value NNBuilder::op(llvm::StringRef name, ValueRange operands, llvm::ArrayRef<NamedAttribute> attrs) {
  return ops(name, operands, attrs, 1).front();
}

NamedAttribute NNBuilder::attr(llvm::StringRef name, int64_t value) {
  return b_.getNamedAttr(name, b_.getI64IntegerAttr(value));
}
NamedAttribute NNBuilder::attr(llvm::StringRef name, double value) {
  return b_.getNamedAttr(name, b_.getF64FloatAttr(value));
}
NamedAttribute NNBuilder::attr(llvm::StringRef name, bool value) {
  return b_.getNamedAttr(name, b_.getBoolAttr(value));
}
NamedAttribute NNBuilder::attr(llvm::StringRef name, llvm::StringRef value) {
  return b_.getNamedAttr(name, b_.getStringAttr(value));
}
NamedAttribute NNBuilder::attr(llvm::StringRef name, llvm::ArrayRef<int64_t> value) {
  return b_.getNamedAttr(name, b_.getDenseI64ArrayAttr(value));
}

Value NNBuilder::scalar(double value, Type elementType) {
  if (failed_) return {};
  auto type = RankedTensorType::get({}, elementType);
  Attribute element = isa<FloatType>(elementType) ? Attribute(b_.getFloatAttr(elementType, value))
                                                  : Attribute(b_.getIntegerAttr(elementType, int64_t(value)));
  return b_.create<ConstantOp>(loc_, type, DenseElementsAttr::get(type, element));
}

Value NNBuilder::scalar(double value, Value like) {
  if (!like) return failed_ = true, Value();
  return scalar(value, getElementTypeOrSelf(like.getType()));
}

Value NNBuilder::zerosLike(Value like) {
  if (!like) return failed_ = true, Value();
  return broadcastTo(scalar(0.0, like), shapeOf(like));
}

Value NNBuilder::onesLike(Value like) {
  if (!like) return failed_ = true, Value();
  return broadcastTo(scalar(1.0, like), shapeOf(like));
}

Value NNBuilder::compare(Value a, Value c, llvm::StringRef predicate) {
  return op("compare", {a, c}, {attr("predicate", predicate)});
}

Value NNBuilder::select(Value condition, Value onTrue, Value onFalse) {
  return op("select", {condition, onTrue, onFalse});
}

Value NNBuilder::sum(Value x, llvm::ArrayRef<int64_t> axes, bool keepdims) {
  return op("sum", {x}, {attr("axes", axes), attr("keepdims", keepdims)});
}

Value NNBuilder::mean(Value x, llvm::ArrayRef<int64_t> axes, bool keepdims) {
  return op("mean", {x}, {attr("axes", axes), attr("keepdims", keepdims)});
}

Value NNBuilder::reshape(Value x, llvm::ArrayRef<int64_t> shape) {
  if (x && shapeOf(x) == shape) return x;
  return op("reshape", {x}, {attr("shape", shape)});
}

Value NNBuilder::transpose(Value x, llvm::ArrayRef<int64_t> perm) {
  return op("transpose", {x}, {attr("perm", perm)});
}

Value NNBuilder::broadcastTo(Value x, llvm::ArrayRef<int64_t> shape) {
  if (x && shapeOf(x) == shape) return x;
  return op("broadcast_to", {x}, {attr("shape", shape)});
}

Value NNBuilder::cast(Value x, Type elementType) {
  if (x && getElementTypeOrSelf(x.getType()) == elementType) return x;
  std::string name = dtypeName(elementType);
  return op("cast", {x}, {attr("dtype", llvm::StringRef(name))});
}

Value NNBuilder::sumToShape(Value grad, ShapedType target) {
  if (!grad) return failed_ = true, Value();
  llvm::ArrayRef<int64_t> from = shapeOf(grad), to = target.getShape();
  if (from == to) return grad;
  // Axes added in front, and axes stretched from size 1.
  int64_t lead = int64_t(from.size()) - int64_t(to.size());
  llvm::SmallVector<int64_t> axes;
  for (int64_t i = 0; i < int64_t(from.size()); ++i)
    if (i < lead || (to[i - lead] == 1 && from[i] != 1)) axes.push_back(i);
  Value reduced = axes.empty() ? grad : sum(grad, axes, /*keepdims=*/true);
  return reshape(reduced, to);
}

} // namespace mlir::nn
