// softmax and log_softmax (max-shifted, along one axis), sum/mean/max over axes, argmax:
// reductions as linalg.generic with reduction iterators plus elementwise epilogues.
#include "lowering/LoweringSupport.h"

#include "nn/RuleSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

namespace nnc::lowering {
using namespace mlir;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

unsigned axisOf(Operation *op, int64_t rank) {
  int64_t axis = mlir::nn::intAttr(op, "axis");
  return unsigned(axis < 0 ? axis + rank : axis);
}

FailureOr<SmallVector<Value>> lowerSoftmax(Operation *op, OpBuilder &b, bool log) {
  Location loc = op->getLoc();
  Value x = op->getOperand(0);
  RankedTensorType type = tensorType(x);
  unsigned rank = type.getRank(), axis = axisOf(op, rank);
  MLIRContext *ctx = b.getContext();
  SmallVector<bool> reduced(rank, false);
  reduced[axis] = true;
  Value max = reduce(b, loc, x, reduced, -kInf, [](OpBuilder &nb, Location l, Value acc, Value v) {
    return maximum(nb, l, acc, v);
  });
  AffineMap maps[] = {identityMap(ctx, rank), dropDimMap(ctx, rank, axis)};
  Value shifted = parallelMap(b, loc, type, ValueRange{x, max}, maps, [](OpBuilder &nb, Location l, ValueRange v) {
    return sub(nb, l, v[0], v[1]);
  });
  Value exp = parallelMap(b, loc, type, shifted, identityMap(ctx, rank), [](OpBuilder &nb, Location l, ValueRange v) -> Value {
    return nb.create<math::ExpOp>(l, v[0]);
  });
  Value sum = reduce(b, loc, exp, reduced, 0, [](OpBuilder &nb, Location l, Value acc, Value v) { return add(nb, l, acc, v); });
  Value r = log ? parallelMap(b, loc, type, ValueRange{shifted, sum}, maps,
                              [](OpBuilder &nb, Location l, ValueRange v) -> Value {
                                return sub(nb, l, v[0], nb.create<math::LogOp>(l, v[1]));
                              })
                : parallelMap(b, loc, type, ValueRange{exp, sum}, maps,
                              [](OpBuilder &nb, Location l, ValueRange v) { return div(nb, l, v[0], v[1]); });
  return SmallVector<Value>{r};
}

enum class Kind { Sum, Mean, Max };

FailureOr<SmallVector<Value>> lowerReduce(Operation *op, OpBuilder &b, Kind kind) {
  Location loc = op->getLoc();
  Value x = op->getOperand(0);
  RankedTensorType type = tensorType(x);
  int64_t rank = type.getRank();
  SmallVector<bool> reduced(rank, false);
  llvm::ArrayRef<int64_t> axes = mlir::nn::arrayAttr(op, "axes");
  if (axes.empty()) reduced.assign(rank, true);
  int64_t count = 1;
  for (int64_t a : axes) reduced[a < 0 ? a + rank : a] = true;
  for (int64_t i = 0; i < rank; ++i)
    if (reduced[i]) count *= type.getDimSize(i);
  Value r = kind == Kind::Max
                ? reduce(b, loc, x, reduced, -kInf, [](OpBuilder &nb, Location l, Value acc, Value v) { return maximum(nb, l, acc, v); })
                : reduce(b, loc, x, reduced, 0, [](OpBuilder &nb, Location l, Value acc, Value v) { return add(nb, l, acc, v); });
  if (kind == Kind::Mean) {
    Value c = scalarConstant(b, loc, type.getElementType(), double(count));
    r = elementwise(b, loc, tensorType(r), r, [&](OpBuilder &nb, Location l, ValueRange v) { return div(nb, l, v[0], c); });
  }
  return SmallVector<Value>{reshape(b, loc, r, resultType(op).getShape())};
}

FailureOr<SmallVector<Value>> lowerArgmax(Operation *op, OpBuilder &b) {
  Value x = op->getOperand(0);
  Value r = argmaxAlong(b, op->getLoc(), x, axisOf(op, tensorType(x).getRank()));
  return SmallVector<Value>{reshape(b, op->getLoc(), r, resultType(op).getShape())};
}

} // namespace

Value sumAll(OpBuilder &b, Location loc, Value x) {
  SmallVector<bool> all(tensorType(x).getRank(), true);
  return reduce(b, loc, x, all, 0, [](OpBuilder &nb, Location l, Value acc, Value v) { return add(nb, l, acc, v); });
}

Value argmaxAlong(OpBuilder &b, Location loc, Value x, unsigned axis) {
  RankedTensorType type = tensorType(x);
  unsigned rank = type.getRank();
  MLIRContext *ctx = b.getContext();
  Shape kept(type.getShape());
  kept.erase(kept.begin() + axis);
  Value best = filledTensor(b, loc, kept, type.getElementType(), -kInf);
  Value index = filledTensor(b, loc, kept, b.getI64Type(), 0);
  AffineMap maps[] = {identityMap(ctx, rank), dropDimMap(ctx, rank, axis), dropDimMap(ctx, rank, axis)};
  SmallVector<Iter> iterators(rank, Iter::parallel);
  iterators[axis] = Iter::reduction;
  auto results = generic(b, loc, x, ValueRange{best, index}, maps, iterators, [&](OpBuilder &nb, Location l, ValueRange a) {
    Value v = a[0], bestValue = a[1], bestIndex = a[2];
    Value greater = isFloat(v.getType()) ? nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, v, bestValue).getResult()
                                         : nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sgt, v, bestValue).getResult();
    // A NaN takes the place unless the best is already a NaN (the first NaN wins).
    Value notNaNYet = nb.create<arith::XOrIOp>(l, isNaN(nb, l, bestValue), nb.create<arith::ConstantOp>(l, nb.getBoolAttr(true)));
    Value take = nb.create<arith::OrIOp>(l, greater, nb.create<arith::AndIOp>(l, isNaN(nb, l, v), notNaNYet));
    Value i = loopIndex(nb, l, axis, nb.getI64Type());
    return SmallVector<Value>{nb.create<arith::SelectOp>(l, take, v, bestValue),
                              nb.create<arith::SelectOp>(l, take, i, bestIndex)};
  });
  return results[1];
}

void registerReductionLowerings(LoweringTable &t) {
  t["nn.softmax"] = [](Operation *op, OpBuilder &b) { return lowerSoftmax(op, b, false); };
  t["nn.log_softmax"] = [](Operation *op, OpBuilder &b) { return lowerSoftmax(op, b, true); };
  t["nn.sum"] = [](Operation *op, OpBuilder &b) { return lowerReduce(op, b, Kind::Sum); };
  t["nn.mean"] = [](Operation *op, OpBuilder &b) { return lowerReduce(op, b, Kind::Mean); };
  t["nn.max"] = [](Operation *op, OpBuilder &b) { return lowerReduce(op, b, Kind::Max); };
  t["nn.argmax"] = lowerArgmax;
}

} // namespace nnc::lowering
