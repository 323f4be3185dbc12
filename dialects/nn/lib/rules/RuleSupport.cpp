// Helpers shared by the shape rules: typed access, surface-syntax messages, broadcasting.
#include "nn/RuleSupport.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/OperationSupport.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::nn {

std::string formatType(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  auto tensor = dyn_cast<TensorType>(type);
  if (!tensor) {
    os << type;
    return text;
  }
  Type element = tensor.getElementType();
  if (element.isF32()) os << "f32";
  else if (element.isF64()) os << "f64";
  else if (element.isInteger(1)) os << "i1";
  else if (element.isInteger(32)) os << "i32";
  else if (element.isInteger(64)) os << "i64";
  else os << element;
  if (!tensor.hasRank()) {
    os << "[*]";
    return text;
  }
  os << "[";
  llvm::interleaveComma(tensor.getShape(), os, [&](int64_t d) {
    if (ShapedType::isDynamic(d)) os << "?";
    else os << d;
  });
  os << "]";
  return text;
}

std::string formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

llvm::StringRef surfaceName(Operation *op) { return op->getName().stripDialect(); }

InFlightDiagnostic ruleError(Operation *op) {
  return op->emitError() << surfaceName(op) << ": ";
}

FailureOr<RankedTensorType> rankedOperand(Operation *op, unsigned index, llvm::StringRef role) {
  if (index >= op->getNumOperands())
    return ruleError(op) << "missing operand '" << role << "'", failure();
  auto type = dyn_cast<RankedTensorType>(op->getOperand(index).getType());
  if (!type)
    return ruleError(op) << "operand '" << role << "' has no known shape ("
                         << formatType(op->getOperand(index).getType()) << ")", failure();
  // nn works on static shapes with positive sizes only (the batch is bound at compile time).
  if (llvm::any_of(type.getShape(), [](int64_t d) { return d <= 0; }))
    return ruleError(op) << "operand '" << role << "' must have a static shape with positive "
                         << "sizes, got " << formatType(type), failure();
  return type;
}

FailureOr<RankedTensorType> requireRank(Operation *op, RankedTensorType type,
                                        llvm::StringRef role, int64_t rank) {
  if (type.getRank() != rank)
    return ruleError(op) << role << " must have rank " << rank << ", got "
                         << formatType(type), failure();
  return type;
}

LogicalResult requireFloat(Operation *op, RankedTensorType type, llvm::StringRef role) {
  if (!isa<FloatType>(type.getElementType()))
    return ruleError(op) << role << " must be floating-point (f32 or f64), got "
                         << formatType(type);
  return success();
}

LogicalResult requireInteger(Operation *op, RankedTensorType type, llvm::StringRef role) {
  auto integer = dyn_cast<IntegerType>(type.getElementType());
  if (!integer || integer.getWidth() < 32)
    return ruleError(op) << role << " must hold integers (i32 or i64), got " << formatType(type);
  return success();
}

LogicalResult requireSameElementType(Operation *op, RankedTensorType a, llvm::StringRef roleA,
                                     RankedTensorType b, llvm::StringRef roleB) {
  if (a.getElementType() != b.getElementType())
    return ruleError(op) << roleA << " and " << roleB << " have different element types: "
                         << formatType(a) << " and " << formatType(b);
  return success();
}

FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                 llvm::StringRef attrName) {
  if (axis < -rank || axis >= rank)
    return ruleError(op) << attrName << " " << axis << " is out of range for rank " << rank
                         << " (expected " << -rank << " to " << rank - 1 << ")", failure();
  return axis < 0 ? axis + rank : axis;
}

FailureOr<Shape> broadcastShapes(Operation *op, RankedTensorType a, RankedTensorType b) {
  int64_t rank = std::max(a.getRank(), b.getRank());
  Shape shape(rank, 1);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.getRank() ? 1 : a.getDimSize(i - (rank - a.getRank()));
    int64_t db = i < rank - b.getRank() ? 1 : b.getDimSize(i - (rank - b.getRank()));
    if (da != db && da != 1 && db != 1)
      return ruleError(op) << "cannot broadcast " << formatType(a) << " with "
                           << formatType(b) << " (axis " << i << ": " << da << " vs " << db
                           << ")", failure();
    shape[i] = da == 1 ? db : da;
  }
  return shape;
}

FailureOr<RankedTensorType> makeTensorType(Operation *op, llvm::ArrayRef<int64_t> shape,
                                           Type elementType) {
  int64_t elements = 1;
  for (int64_t d : shape) {
    if (d <= 0)
      return ruleError(op) << "result would have a dimension of size " << d << " (shape " << formatShape(shape) << ")", failure();
    if (elements > kMaxElements / d)
      return ruleError(op) << "result would have more than 2^48 elements", failure();
    elements *= d;
  }
  return RankedTensorType::get(shape, elementType);
}

FailureOr<Shape> expandSpatial(Operation *op, llvm::StringRef name, int64_t rank,
                               std::optional<llvm::ArrayRef<int64_t>> fallback) {
  llvm::ArrayRef<int64_t> values = arrayAttr(op, name);
  if (values.empty() && fallback) values = *fallback;
  if (values.size() == 1) return Shape(rank, values[0]);
  if (int64_t(values.size()) != rank)
    return ruleError(op) << name << " needs 1 or " << rank << " entries, got "
                         << values.size(), failure();
  return Shape(values.begin(), values.end());
}

Attribute attrOrDefault(Operation *op, llvm::StringRef name) {
  if (Attribute attr = op->getAttr(name)) return attr;
  NamedAttrList defaults;
  op->getName().populateDefaultAttrs(defaults);
  return defaults.get(name);
}

int64_t intAttr(Operation *op, llvm::StringRef name) {
  auto attr = dyn_cast_or_null<IntegerAttr>(attrOrDefault(op, name));
  return attr ? attr.getInt() : 0;
}

double floatAttr(Operation *op, llvm::StringRef name) {
  auto attr = dyn_cast_or_null<FloatAttr>(attrOrDefault(op, name));
  return attr ? attr.getValueAsDouble() : 0.0;
}

bool boolAttr(Operation *op, llvm::StringRef name) {
  auto attr = dyn_cast_or_null<BoolAttr>(attrOrDefault(op, name));
  return attr && attr.getValue();
}

llvm::StringRef stringAttr(Operation *op, llvm::StringRef name) {
  auto attr = dyn_cast_or_null<StringAttr>(attrOrDefault(op, name));
  return attr ? attr.getValue() : llvm::StringRef();
}

llvm::ArrayRef<int64_t> arrayAttr(Operation *op, llvm::StringRef name) {
  auto attr = dyn_cast_or_null<DenseI64ArrayAttr>(attrOrDefault(op, name));
  return attr ? attr.asArrayRef() : llvm::ArrayRef<int64_t>();
}

std::string dtypeName(Type element) {
  std::string name = formatType(RankedTensorType::get({}, element));
  return name.substr(0, name.find('['));
}

Type parseDType(MLIRContext *ctx, llvm::StringRef name) {
  Builder b(ctx);
  if (name == "f32") return b.getF32Type();
  if (name == "f64") return b.getF64Type();
  if (name == "i32") return b.getI32Type();
  if (name == "i64") return b.getI64Type();
  if (name == "i1") return b.getI1Type();
  return {};
}

} // namespace mlir::nn
