// Shared helpers of the nn → linalg lowering (see LoweringSupport.h).
#include "lowering/LoweringSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>

namespace nnc::lowering {
using namespace mlir;

LoweringOptions &currentLoweringOptions() {
  thread_local LoweringOptions options;
  return options;
}

const LoweringTable &loweringTable() {
  static const LoweringTable table = [] {
    LoweringTable t;
    registerElementwiseLowerings(t);
    registerLinearAlgebraLowerings(t);
    registerReductionLowerings(t);
    registerShapeLowerings(t);
    registerConvPoolLowerings(t);
    registerNormalizationLowerings(t);
    registerLossLowerings(t);
    registerGradientLowerings(t);
    return t;
  }();
  return table;
}

RankedTensorType tensorType(Value v) { return llvm::cast<RankedTensorType>(v.getType()); }
RankedTensorType resultType(Operation *op, unsigned i) { return tensorType(op->getResult(i)); }

bool isFloat(Type t) { return llvm::isa<FloatType>(t); }

Value scalarConstant(OpBuilder &b, Location loc, Type element, double value) {
  if (auto f = llvm::dyn_cast<FloatType>(element))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(f, value));
  // Integers: ±infinity (the identity of max/min reductions) becomes the type's limit.
  unsigned width = element.getIntOrFloatBitWidth();
  if (std::isinf(value) && width > 1) {
    llvm::APInt limit = value < 0 ? llvm::APInt::getSignedMinValue(width) : llvm::APInt::getSignedMaxValue(width);
    return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(element, limit));
  }
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(element, int64_t(value)));
}

Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return b.create<arith::ConstantIndexOp>(loc, value);
}

Value emptyTensor(OpBuilder &b, Location loc, llvm::ArrayRef<int64_t> shape, Type element) {
  return b.create<tensor::EmptyOp>(loc, shape, element);
}

Value filledTensor(OpBuilder &b, Location loc, llvm::ArrayRef<int64_t> shape, Type element, double value) {
  Value init = emptyTensor(b, loc, shape, element);
  return b.create<linalg::FillOp>(loc, scalarConstant(b, loc, element, value), init).getResult(0);
}

AffineMap identityMap(MLIRContext *ctx, unsigned rank) { return AffineMap::getMultiDimIdentityMap(rank, ctx); }

AffineMap broadcastMap(MLIRContext *ctx, llvm::ArrayRef<int64_t> operandShape, llvm::ArrayRef<int64_t> resultShape) {
  unsigned rank = resultShape.size(), offset = rank - operandShape.size();
  SmallVector<AffineExpr> exprs;
  for (unsigned i = 0; i < operandShape.size(); ++i)
    exprs.push_back(operandShape[i] == 1 && resultShape[offset + i] != 1 ? getAffineConstantExpr(0, ctx)
                                                                         : getAffineDimExpr(offset + i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

AffineMap dimsMap(MLIRContext *ctx, unsigned rank, llvm::ArrayRef<unsigned> dims) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d : dims) exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

SmallVector<Value> generic(OpBuilder &b, Location loc, ValueRange inputs, ValueRange inits,
                           llvm::ArrayRef<AffineMap> maps, llvm::ArrayRef<Iter> iterators, const BodyFn &body) {
  SmallVector<Type> types;
  for (Value v : inits) types.push_back(v.getType());
  auto op = b.create<linalg::GenericOp>(
      loc, types, inputs, inits, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) { nb.create<linalg::YieldOp>(nl, body(nb, nl, args)); });
  return SmallVector<Value>(op.getResults());
}

Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                  const std::function<Value(OpBuilder &, Location, ValueRange)> &fn) {
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value in : inputs) maps.push_back(broadcastMap(ctx, tensorType(in).getShape(), resultType.getShape()));
  maps.push_back(identityMap(ctx, resultType.getRank()));
  SmallVector<Iter> iterators(resultType.getRank(), Iter::parallel);
  Value init = emptyTensor(b, loc, resultType.getShape(), resultType.getElementType());
  size_t n = inputs.size();
  return generic(b, loc, inputs, init, maps, iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
           return SmallVector<Value>{fn(nb, nl, args.take_front(n))};
         })[0];
}

Value parallelMap(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                  llvm::ArrayRef<AffineMap> inputMaps, const std::function<Value(OpBuilder &, Location, ValueRange)> &fn) {
  SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
  maps.push_back(identityMap(b.getContext(), resultType.getRank()));
  SmallVector<Iter> iterators(resultType.getRank(), Iter::parallel);
  Value init = emptyTensor(b, loc, resultType.getShape(), resultType.getElementType());
  size_t n = inputs.size();
  return generic(b, loc, inputs, init, maps, iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
           return SmallVector<Value>{fn(nb, nl, args.take_front(n))};
         })[0];
}

AffineMap dropDimMap(MLIRContext *ctx, unsigned rank, unsigned skip) {
  SmallVector<unsigned> dims;
  for (unsigned i = 0; i < rank; ++i)
    if (i != skip) dims.push_back(i);
  return dimsMap(ctx, rank, dims);
}

Value reduce(OpBuilder &b, Location loc, Value input, llvm::ArrayRef<bool> reduced, double initValue,
             const std::function<Value(OpBuilder &, Location, Value, Value)> &combine) {
  MLIRContext *ctx = b.getContext();
  RankedTensorType type = tensorType(input);
  unsigned rank = type.getRank();
  Shape kept;
  SmallVector<unsigned> keptDims;
  SmallVector<Iter> iterators;
  for (unsigned i = 0; i < rank; ++i) {
    iterators.push_back(reduced[i] ? Iter::reduction : Iter::parallel);
    if (!reduced[i]) kept.push_back(type.getDimSize(i)), keptDims.push_back(i);
  }
  Value init = filledTensor(b, loc, kept, type.getElementType(), initValue);
  AffineMap maps[] = {identityMap(ctx, rank), dimsMap(ctx, rank, keptDims)};
  return generic(b, loc, input, init, maps, iterators, [&](OpBuilder &nb, Location nl, ValueRange args) {
           return SmallVector<Value>{combine(nb, nl, args[1], args[0])};
         })[0];
}

Value reshape(OpBuilder &b, Location loc, Value input, llvm::ArrayRef<int64_t> shape) {
  RankedTensorType type = tensorType(input);
  if (type.getShape() == shape) return input;
  auto target = RankedTensorType::get(shape, type.getElementType());
  // Collapse to one axis (or to rank 0), then expand to the target.
  Value flat = input;
  if (type.getRank() != 1) {
    SmallVector<ReassociationIndices> all;
    if (type.getRank() > 0) {
      all.emplace_back();
      for (int64_t i = 0; i < type.getRank(); ++i) all[0].push_back(i);
    }
    int64_t size = type.getNumElements();
    auto flatType = RankedTensorType::get(type.getRank() > 0 ? Shape{size} : Shape{}, type.getElementType());
    flat = b.create<tensor::CollapseShapeOp>(loc, flatType, input, all);
  }
  if (target.getRank() == 1 && tensorType(flat).getRank() == 1) return flat;
  // Between rank 0 and all-ones shapes the reassociation is empty.
  SmallVector<ReassociationIndices> groups;
  if (target.getRank() > 0 && tensorType(flat).getRank() > 0) {
    groups.emplace_back();
    for (int64_t i = 0; i < target.getRank(); ++i) groups[0].push_back(i);
  }
  if (tensorType(flat).getRank() == 0) return b.create<tensor::ExpandShapeOp>(loc, target, flat, groups);
  if (target.getRank() == 0) return b.create<tensor::CollapseShapeOp>(loc, target, flat, groups);
  return b.create<tensor::ExpandShapeOp>(loc, target, flat, groups);
}

Value padSpatial(OpBuilder &b, Location loc, Value input, llvm::ArrayRef<int64_t> low,
                 llvm::ArrayRef<int64_t> high, double value) {
  RankedTensorType type = tensorType(input);
  int64_t lead = type.getRank() - int64_t(low.size());
  bool any = false;
  SmallVector<OpFoldResult> lo, hi;
  Shape shape(type.getShape());
  for (int64_t i = 0; i < type.getRank(); ++i) {
    int64_t l = i < lead ? 0 : low[i - lead], h = i < lead ? 0 : high[i - lead];
    any |= l != 0 || h != 0;
    lo.push_back(b.getIndexAttr(l));
    hi.push_back(b.getIndexAttr(h));
    shape[i] += l + h;
  }
  if (!any) return input;
  auto padded = RankedTensorType::get(shape, type.getElementType());
  Value pad = scalarConstant(b, loc, type.getElementType(), value);
  return b.create<tensor::PadOp>(loc, padded, input, lo, hi, pad);
}

Value add(OpBuilder &b, Location loc, Value x, Value y) {
  return isFloat(x.getType()) ? b.create<arith::AddFOp>(loc, x, y).getResult() : b.create<arith::AddIOp>(loc, x, y).getResult();
}
Value sub(OpBuilder &b, Location loc, Value x, Value y) {
  return isFloat(x.getType()) ? b.create<arith::SubFOp>(loc, x, y).getResult() : b.create<arith::SubIOp>(loc, x, y).getResult();
}
Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  return isFloat(x.getType()) ? b.create<arith::MulFOp>(loc, x, y).getResult() : b.create<arith::MulIOp>(loc, x, y).getResult();
}
Value div(OpBuilder &b, Location loc, Value x, Value y) {
  return isFloat(x.getType()) ? b.create<arith::DivFOp>(loc, x, y).getResult() : b.create<arith::DivSIOp>(loc, x, y).getResult();
}
Value maximum(OpBuilder &b, Location loc, Value x, Value y) {
  return isFloat(x.getType()) ? b.create<arith::MaximumFOp>(loc, x, y).getResult() : b.create<arith::MaxSIOp>(loc, x, y).getResult();
}
Value minimum(OpBuilder &b, Location loc, Value x, Value y) {
  return isFloat(x.getType()) ? b.create<arith::MinimumFOp>(loc, x, y).getResult() : b.create<arith::MinSIOp>(loc, x, y).getResult();
}

Value isNaN(OpBuilder &b, Location loc, Value v) {
  if (!isFloat(v.getType())) return b.create<arith::ConstantOp>(loc, b.getBoolAttr(false));
  return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, v, v);
}

Value convert(OpBuilder &b, Location loc, Value v, Type to) {
  Type from = v.getType();
  if (from == to) return v;
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    if (isFloat(from)) return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, v, zero);
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, v, zero);
  }
  if (isFloat(from) && isFloat(to)) {
    if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()) return b.create<arith::ExtFOp>(loc, to, v);
    return b.create<arith::TruncFOp>(loc, to, v);
  }
  if (isFloat(from)) return b.create<arith::FPToSIOp>(loc, to, v); // truncates toward zero
  if (isFloat(to)) {
    if (from.isInteger(1)) return b.create<arith::UIToFPOp>(loc, to, v);
    return b.create<arith::SIToFPOp>(loc, to, v);
  }
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()) {
    if (from.isInteger(1)) return b.create<arith::ExtUIOp>(loc, to, v);
    return b.create<arith::ExtSIOp>(loc, to, v);
  }
  return b.create<arith::TruncIOp>(loc, to, v);
}

Value loopIndex(OpBuilder &b, Location loc, unsigned dim, Type to) {
  Value index = b.create<linalg::IndexOp>(loc, dim);
  if (to.isIndex()) return index;
  Value i64 = b.create<arith::IndexCastOp>(loc, b.getI64Type(), index);
  return convert(b, loc, i64, to);
}

} // namespace nnc::lowering
