// linear, matmul and batch_matmul → one contraction linalg.generic each (batch axes
// broadcast, transposes folded into the indexing maps); linear starts its accumulator
// from the broadcast bias.
#include "lowering/LoweringSupport.h"

#include "nn/RuleSupport.h"

namespace nnc::lowering {
using namespace mlir;

namespace {

// result[batch..., m, n] = init + Σ_k lhs[batch..., m, k] · rhs[batch..., k, n], with the
// operands' last two axes swapped where `ta` / `tb` say so.
Value contraction(OpBuilder &b, Location loc, Value lhs, Value rhs, bool ta, bool tb, Value init) {
  MLIRContext *ctx = b.getContext();
  RankedTensorType out = tensorType(init);
  unsigned batch = out.getRank() - 2, loops = out.getRank() + 1;
  unsigned m = batch, n = batch + 1, k = batch + 2;
  auto operandMap = [&](Value v, unsigned row, unsigned col) {
    RankedTensorType type = tensorType(v);
    unsigned vb = type.getRank() - 2;
    SmallVector<AffineExpr> exprs;
    for (unsigned i = 0; i < vb; ++i) {
      unsigned d = batch - vb + i;
      exprs.push_back(type.getDimSize(i) == 1 && out.getDimSize(d) != 1 ? getAffineConstantExpr(0, ctx)
                                                                        : getAffineDimExpr(d, ctx));
    }
    exprs.push_back(getAffineDimExpr(row, ctx));
    exprs.push_back(getAffineDimExpr(col, ctx));
    return AffineMap::get(loops, 0, exprs, ctx);
  };
  SmallVector<unsigned> outDims;
  for (unsigned i = 0; i < batch + 2; ++i) outDims.push_back(i);
  AffineMap maps[] = {ta ? operandMap(lhs, k, m) : operandMap(lhs, m, k),
                      tb ? operandMap(rhs, n, k) : operandMap(rhs, k, n), dimsMap(ctx, loops, outDims)};
  SmallVector<Iter> iterators(loops - 1, Iter::parallel);
  iterators.push_back(Iter::reduction);
  return generic(b, loc, ValueRange{lhs, rhs}, init, maps, iterators, [](OpBuilder &nb, Location l, ValueRange a) {
           return SmallVector<Value>{add(nb, l, a[2], mul(nb, l, a[0], a[1]))};
         })[0];
}

FailureOr<SmallVector<Value>> lowerMatmul(Operation *op, OpBuilder &b) {
  RankedTensorType type = resultType(op);
  Value init = filledTensor(b, op->getLoc(), type.getShape(), type.getElementType(), 0);
  return SmallVector<Value>{contraction(b, op->getLoc(), op->getOperand(0), op->getOperand(1),
                                        mlir::nn::boolAttr(op, "transpose_a"),
                                        mlir::nn::boolAttr(op, "transpose_b"), init)};
}

// y = x · wᵀ + b over x (..., in) viewed as (M, in).
FailureOr<SmallVector<Value>> lowerLinear(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op), xType = tensorType(op->getOperand(0));
  int64_t in = xType.getShape().back(), out = type.getShape().back();
  int64_t rows = in ? xType.getNumElements() / in : type.getNumElements() / std::max<int64_t>(out, 1);
  Value x = reshape(b, loc, op->getOperand(0), {rows, in});
  Value init;
  if (op->getNumOperands() == 3) {
    auto biasType = RankedTensorType::get({rows, out}, type.getElementType());
    init = elementwise(b, loc, biasType, op->getOperand(2), [](OpBuilder &, Location, ValueRange v) { return v[0]; });
  } else {
    init = filledTensor(b, loc, {rows, out}, type.getElementType(), 0);
  }
  Value y = contraction(b, loc, x, op->getOperand(1), false, true, init);
  return SmallVector<Value>{reshape(b, loc, y, type.getShape())};
}

} // namespace

void registerLinearAlgebraLowerings(LoweringTable &t) {
  t["nn.linear"] = lowerLinear;
  t["nn.matmul"] = lowerMatmul;
  t["nn.batch_matmul"] = lowerMatmul;
}

} // namespace nnc::lowering
