// Losses and metrics over a last class axis: cross_entropy (log-sum-exp with PyTorch's
// label smoothing), nll, mse, bce_with_logits, hinge, accuracy, binary_accuracy. Labels
// pick their logit by comparison with the class loop index (no gather, so a bad label
// reads nothing out of bounds; the runtime checks labels before a step).
#include "lowering/LoweringSupport.h"

#include "nn/RuleSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

namespace nnc::lowering {
using namespace mlir;

namespace {

// Applies `reduction` (mean, sum, none) to per-example losses.
Value reduceLoss(OpBuilder &b, Location loc, Operation *op, Value perExample) {
  llvm::StringRef reduction = mlir::nn::stringAttr(op, "reduction");
  if (reduction == "none") return reshape(b, loc, perExample, resultType(op).getShape());
  Value total = sumAll(b, loc, perExample);
  if (reduction == "sum") return total;
  RankedTensorType type = tensorType(perExample);
  Value count = scalarConstant(b, loc, type.getElementType(), double(type.getNumElements()));
  return elementwise(b, loc, tensorType(total), total, [&](OpBuilder &nb, Location l, ValueRange v) { return div(nb, l, v[0], count); });
}

// scores [..., C] as [R, C] and labels [...] as [R].
std::pair<Value, Value> rows(OpBuilder &b, Location loc, Value scores, Value labels) {
  RankedTensorType type = tensorType(scores);
  int64_t c = type.getShape().back(), r = type.getNumElements() / std::max<int64_t>(c, 1);
  return {reshape(b, loc, scores, {r, c}), reshape(b, loc, labels, {r})};
}

// Σ_c (c == label[r] ? x[r, c] : 0).
Value pickLabel(OpBuilder &b, Location loc, Value x, Value labels) {
  MLIRContext *ctx = b.getContext();
  RankedTensorType type = tensorType(x);
  Value init = filledTensor(b, loc, {type.getDimSize(0)}, type.getElementType(), 0);
  AffineMap maps[] = {identityMap(ctx, 2), dimsMap(ctx, 2, {0}), dimsMap(ctx, 2, {0})};
  return generic(b, loc, ValueRange{x, labels}, init, maps, {Iter::parallel, Iter::reduction},
                 [](OpBuilder &nb, Location l, ValueRange a) {
                   Value c = loopIndex(nb, l, 1, a[1].getType());
                   Value hit = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, c, a[1]);
                   return SmallVector<Value>{nb.create<arith::SelectOp>(l, hit, add(nb, l, a[2], a[0]), a[2]).getResult()};
                 })[0];
}

FailureOr<SmallVector<Value>> lowerCrossEntropy(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  auto [x, labels] = rows(b, loc, op->getOperand(0), op->getOperand(1));
  RankedTensorType type = tensorType(x);
  Type f = type.getElementType();
  int64_t classes = type.getDimSize(1);
  double smoothing = mlir::nn::floatAttr(op, "label_smoothing");
  Value max = reduce(b, loc, x, {false, true}, -std::numeric_limits<double>::infinity(),
                     [](OpBuilder &nb, Location l, Value acc, Value v) { return maximum(nb, l, acc, v); });
  AffineMap maps[] = {identityMap(ctx, 2), dimsMap(ctx, 2, {0})};
  Value exp = parallelMap(b, loc, type, ValueRange{x, max}, maps, [](OpBuilder &nb, Location l, ValueRange v) -> Value {
    return nb.create<math::ExpOp>(l, sub(nb, l, v[0], v[1]));
  });
  auto sumRows = [&](Value v) {
    return reduce(b, loc, v, {false, true}, 0, [](OpBuilder &nb, Location l, Value acc, Value e) { return add(nb, l, acc, e); });
  };
  Value sumExp = sumRows(exp), picked = pickLabel(b, loc, x, labels), sumX = sumRows(x);
  auto rowType = RankedTensorType::get({type.getDimSize(0)}, f);
  Value loss = elementwise(b, loc, rowType, ValueRange{max, sumExp, picked, sumX}, [&](OpBuilder &nb, Location l, ValueRange v) {
    Value lse = add(nb, l, v[0], nb.create<math::LogOp>(l, v[1]));
    Value nll = sub(nb, l, lse, v[2]);
    if (smoothing == 0) return nll;
    Value uniform = sub(nb, l, lse, div(nb, l, v[3], scalarConstant(nb, l, f, double(classes))));
    return add(nb, l, mul(nb, l, scalarConstant(nb, l, f, 1 - smoothing), nll),
               mul(nb, l, scalarConstant(nb, l, f, smoothing), uniform));
  });
  return SmallVector<Value>{reduceLoss(b, loc, op, loss)};
}

FailureOr<SmallVector<Value>> lowerNll(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  auto [x, labels] = rows(b, loc, op->getOperand(0), op->getOperand(1));
  Value picked = pickLabel(b, loc, x, labels);
  Value loss = elementwise(b, loc, tensorType(picked), picked, [](OpBuilder &nb, Location l, ValueRange v) -> Value {
    return nb.create<arith::NegFOp>(l, v[0]);
  });
  return SmallVector<Value>{reduceLoss(b, loc, op, loss)};
}

using PairFn = std::function<Value(OpBuilder &, Location, Value x, Value t, Operation *op)>;
LowerFn pairLoss(PairFn fn) {
  return [fn](Operation *op, OpBuilder &b) -> FailureOr<SmallVector<Value>> {
    Location loc = op->getLoc();
    Value loss = elementwise(b, loc, tensorType(op->getOperand(0)), op->getOperands(),
                             [&](OpBuilder &nb, Location l, ValueRange v) { return fn(nb, l, v[0], v[1], op); });
    return SmallVector<Value>{reduceLoss(b, loc, op, loss)};
  };
}

// count / total as an f32 scalar.
Value fraction(OpBuilder &b, Location loc, Value hits, int64_t total) {
  Value count = sumAll(b, loc, hits);
  Value n = scalarConstant(b, loc, b.getF32Type(), double(total));
  return elementwise(b, loc, tensorType(count), count, [&](OpBuilder &nb, Location l, ValueRange v) { return div(nb, l, v[0], n); });
}

FailureOr<SmallVector<Value>> lowerAccuracy(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  auto [x, labels] = rows(b, loc, op->getOperand(0), op->getOperand(1));
  Value predicted = argmaxAlong(b, loc, x, 1);
  auto hitType = RankedTensorType::get(tensorType(labels).getShape(), b.getF32Type());
  Value hits = elementwise(b, loc, hitType, ValueRange{predicted, labels}, [](OpBuilder &nb, Location l, ValueRange v) {
    Value label = convert(nb, l, v[1], nb.getI64Type());
    return convert(nb, l, nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, v[0], label), nb.getF32Type());
  });
  return SmallVector<Value>{fraction(b, loc, hits, tensorType(labels).getNumElements())};
}

FailureOr<SmallVector<Value>> lowerBinaryAccuracy(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  RankedTensorType type = tensorType(op->getOperand(0));
  auto hitType = RankedTensorType::get(type.getShape(), b.getF32Type());
  Value hits = elementwise(b, loc, hitType, op->getOperands(), [](OpBuilder &nb, Location l, ValueRange v) {
    auto positive = [&](Value e) {
      Value zero = scalarConstant(nb, l, e.getType(), 0);
      return isFloat(e.getType()) ? nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, e, zero).getResult()
                                  : nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sgt, e, zero).getResult();
    };
    Value same = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, positive(v[0]), positive(v[1]));
    return convert(nb, l, same, nb.getF32Type());
  });
  return SmallVector<Value>{fraction(b, loc, hits, type.getNumElements())};
}

} // namespace

void registerLossLowerings(LoweringTable &t) {
  t["nn.cross_entropy"] = lowerCrossEntropy;
  t["nn.nll"] = lowerNll;
  t["nn.mse"] = pairLoss([](OpBuilder &b, Location l, Value x, Value y, Operation *) {
    Value d = sub(b, l, x, y);
    return mul(b, l, d, d);
  });
  // Stable: max(x, 0) - x·t + log(1 + exp(-|x|)).
  t["nn.bce_with_logits"] = pairLoss([](OpBuilder &b, Location l, Value x, Value y, Operation *) -> Value {
    Value zero = scalarConstant(b, l, x.getType(), 0);
    Value e = b.create<math::ExpOp>(l, b.create<arith::NegFOp>(l, b.create<math::AbsFOp>(l, x)));
    Value softplus = b.create<math::Log1pOp>(l, e);
    return add(b, l, sub(b, l, maximum(b, l, x, zero), mul(b, l, x, y)), softplus);
  });
  t["nn.hinge"] = pairLoss([](OpBuilder &b, Location l, Value x, Value y, Operation *op) {
    Value margin = scalarConstant(b, l, x.getType(), mlir::nn::floatAttr(op, "margin"));
    return maximum(b, l, scalarConstant(b, l, x.getType(), 0), sub(b, l, margin, mul(b, l, y, x)));
  });
  t["nn.accuracy"] = lowerAccuracy;
  t["nn.binary_accuracy"] = lowerBinaryAccuracy;
}

} // namespace nnc::lowering
