// batch_norm (running statistics), batch_norm_train (batch mean and biased variance,
// two passes as the interpreter), layer_norm over gamma's trailing axes, dropout's
// evaluation form (identity) and embedding (a gather in the generic's body, with the
// index clamped into the table so that a bad label can never read outside it).
#include "lowering/LoweringSupport.h"

#include "nn/RuleSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace nnc::lowering {
using namespace mlir;

namespace {

// (x - mean) / sqrt(var + eps) · gamma + beta, the statistics indexed by `statMap`.
Value normalize(OpBuilder &b, Location loc, Value x, Value mean, Value var, Value gamma, Value beta,
                AffineMap statMap, AffineMap affineMap, double eps) {
  RankedTensorType type = tensorType(x);
  AffineMap maps[] = {identityMap(b.getContext(), type.getRank()), statMap, statMap, affineMap, affineMap};
  return parallelMap(b, loc, type, ValueRange{x, mean, var, gamma, beta}, maps, [&](OpBuilder &nb, Location l, ValueRange v) {
    Value e = scalarConstant(nb, l, v[0].getType(), eps);
    Value inv = div(nb, l, scalarConstant(nb, l, v[0].getType(), 1), nb.create<math::SqrtOp>(l, add(nb, l, v[2], e)));
    return add(nb, l, mul(nb, l, mul(nb, l, sub(nb, l, v[0], v[1]), inv), v[3]), v[4]);
  });
}

// Mean and biased variance of x over the loop dims flagged in `reduced`.
std::pair<Value, Value> moments(OpBuilder &b, Location loc, Value x, llvm::ArrayRef<bool> reduced, AffineMap statMap) {
  RankedTensorType type = tensorType(x);
  int64_t count = 1;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (reduced[i]) count *= type.getDimSize(i);
  auto sum = [&](Value v) {
    return reduce(b, loc, v, reduced, 0, [](OpBuilder &nb, Location l, Value acc, Value e) { return add(nb, l, acc, e); });
  };
  auto scaled = [&](Value v) {
    Value c = scalarConstant(b, loc, type.getElementType(), double(count));
    return elementwise(b, loc, tensorType(v), v, [&](OpBuilder &nb, Location l, ValueRange e) { return div(nb, l, e[0], c); });
  };
  Value mean = scaled(sum(x));
  AffineMap maps[] = {identityMap(b.getContext(), type.getRank()), statMap};
  Value squares = parallelMap(b, loc, type, ValueRange{x, mean}, maps, [](OpBuilder &nb, Location l, ValueRange v) {
    Value d = sub(nb, l, v[0], v[1]);
    return mul(nb, l, d, d);
  });
  return {mean, scaled(sum(squares))};
}

FailureOr<SmallVector<Value>> lowerBatchNorm(Operation *op, OpBuilder &b, bool train) {
  Location loc = op->getLoc();
  RankedTensorType type = tensorType(op->getOperand(0));
  int64_t n = type.getDimSize(0), c = type.getDimSize(1), inner = type.getNumElements() / std::max<int64_t>(n * c, 1);
  double eps = mlir::nn::floatAttr(op, "eps");
  Value mean, var;
  // Statistics over [N, C, H·W] (one long reduction axis, which nn-split-reductions
  // cuts well); the normalization in x's own shape, so that the activation after it
  // fuses with it.
  if (train) {
    Value x3 = reshape(b, loc, op->getOperand(0), {n, c, inner});
    std::tie(mean, var) = moments(b, loc, x3, {true, false, true}, dimsMap(b.getContext(), 3, {1}));
  } else {
    mean = op->getOperand(3), var = op->getOperand(4);
  }
  AffineMap channel = dimsMap(b.getContext(), unsigned(type.getRank()), {1});
  Value y = normalize(b, loc, op->getOperand(0), mean, var, op->getOperand(1), op->getOperand(2), channel, channel, eps);
  SmallVector<Value> results{y};
  if (train) results.append({mean, var});
  return results;
}

FailureOr<SmallVector<Value>> lowerLayerNorm(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  RankedTensorType type = tensorType(op->getOperand(0)), gammaType = tensorType(op->getOperand(1));
  int64_t width = gammaType.getNumElements(), rows = type.getNumElements() / std::max<int64_t>(width, 1);
  MLIRContext *ctx = b.getContext();
  Value x = reshape(b, loc, op->getOperand(0), {rows, width});
  Value gamma = reshape(b, loc, op->getOperand(1), {width});
  Value beta = reshape(b, loc, op->getOperand(2), {width});
  auto [mean, var] = moments(b, loc, x, {false, true}, dimsMap(ctx, 2, {0}));
  Value y = normalize(b, loc, x, mean, var, gamma, beta, dimsMap(ctx, 2, {0}), dimsMap(ctx, 2, {1}),
                      mlir::nn::floatAttr(op, "eps"));
  return SmallVector<Value>{reshape(b, loc, y, type.getShape())};
}

FailureOr<SmallVector<Value>> lowerEmbedding(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  Value indices = op->getOperand(0), table = op->getOperand(1);
  RankedTensorType type = resultType(op), tableType = tensorType(table);
  unsigned rank = type.getRank();
  AffineMap indexMap = dropDimMap(b.getContext(), rank, rank - 1);
  return SmallVector<Value>{parallelMap(b, loc, type, indices, indexMap, [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
    Value row = nb.create<arith::IndexCastOp>(l, nb.getIndexType(), v[0]);
    row = nb.create<arith::MaxSIOp>(l, row, indexConstant(nb, l, 0));
    row = nb.create<arith::MinSIOp>(l, row, indexConstant(nb, l, tableType.getDimSize(0) - 1));
    Value col = nb.create<linalg::IndexOp>(l, rank - 1);
    return nb.create<tensor::ExtractOp>(l, table, ValueRange{row, col});
  })};
}

} // namespace

void registerNormalizationLowerings(LoweringTable &t) {
  t["nn.batch_norm"] = [](Operation *op, OpBuilder &b) { return lowerBatchNorm(op, b, false); };
  t["nn.batch_norm_train"] = [](Operation *op, OpBuilder &b) { return lowerBatchNorm(op, b, true); };
  t["nn.layer_norm"] = lowerLayerNorm;
  t["nn.dropout"] = [](Operation *op, OpBuilder &) -> FailureOr<SmallVector<Value>> {
    return SmallVector<Value>{op->getOperand(0)};
  };
  t["nn.embedding"] = lowerEmbedding;
}

} // namespace nnc::lowering
