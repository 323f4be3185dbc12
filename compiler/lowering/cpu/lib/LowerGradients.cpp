// The adjoint helpers that are not convolutions or pools: one_hot, dropout_mask
// (Philox-4x32-10 in the generic's body, bit-identical to runtime/include/nnc/philox.h)
// and embedding_backward (a scatter-add loop over the indices).
#include "lowering/LoweringSupport.h"

#include "nn/RuleSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace nnc::lowering {
using namespace mlir;

namespace {

FailureOr<SmallVector<Value>> lowerOneHot(Operation *op, OpBuilder &b) {
  RankedTensorType type = resultType(op);
  unsigned rank = type.getRank();
  AffineMap indexMap = dropDimMap(b.getContext(), rank, rank - 1);
  return SmallVector<Value>{parallelMap(b, op->getLoc(), type, op->getOperand(0), indexMap,
                                        [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
    Value c = loopIndex(nb, l, rank - 1, v[0].getType());
    Value hit = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, c, v[0]);
    Type f = type.getElementType();
    return nb.create<arith::SelectOp>(l, hit, scalarConstant(nb, l, f, 1), scalarConstant(nb, l, f, 0));
  })};
}

// Philox-4x32-10 of (counter, key) → the four words.
std::array<Value, 4> philox(OpBuilder &b, Location loc, std::array<Value, 4> ctr, std::array<Value, 2> key) {
  Type i32 = b.getI32Type();
  auto c32 = [&](uint32_t v) { return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(i32, int64_t(v))).getResult(); };
  Value mul0 = c32(0xD2511F53u), mul1 = c32(0xCD9E8D57u), weyl0 = c32(0x9E3779B9u), weyl1 = c32(0xBB67AE85u);
  for (int round = 0; round < 10; ++round) {
    auto p0 = b.create<arith::MulUIExtendedOp>(loc, mul0, ctr[0]);
    auto p1 = b.create<arith::MulUIExtendedOp>(loc, mul1, ctr[2]);
    Value n0 = b.create<arith::XOrIOp>(loc, b.create<arith::XOrIOp>(loc, p1.getHigh(), ctr[1]), key[0]);
    Value n2 = b.create<arith::XOrIOp>(loc, b.create<arith::XOrIOp>(loc, p0.getHigh(), ctr[3]), key[1]);
    ctr = {n0, p1.getLow(), n2, p0.getLow()};
    key = {b.create<arith::AddIOp>(loc, key[0], weyl0).getResult(), b.create<arith::AddIOp>(loc, key[1], weyl1).getResult()};
  }
  return ctr;
}

// Element i keeps (value 1 / (1 - p)) when its uniform draw u >= p, else 0.
FailureOr<SmallVector<Value>> lowerDropoutMask(Operation *op, OpBuilder &b) {
  RankedTensorType type = resultType(op);
  unsigned rank = type.getRank();
  double p = mlir::nn::floatAttr(op, "p");
  int64_t stream = mlir::nn::intAttr(op, "stream");
  Value seed = reshape(b, op->getLoc(), op->getOperand(0), {}), step = reshape(b, op->getLoc(), op->getOperand(1), {});
  return SmallVector<Value>{elementwise(b, op->getLoc(), type, ValueRange{seed, step}, [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
    Type i64 = nb.getI64Type(), i32 = nb.getI32Type();
    auto c64 = [&](int64_t k) { return scalarConstant(nb, l, i64, double(k)); };
    // The row-major linear index of this element.
    Value index = c64(0);
    for (unsigned d = 0; d < rank; ++d)
      index = add(nb, l, mul(nb, l, index, c64(type.getDimSize(d))), loopIndex(nb, l, d, i64));
    auto lo = [&](Value x) { return nb.create<arith::TruncIOp>(l, i32, x).getResult(); };
    auto hi = [&](Value x) { return lo(nb.create<arith::ShRUIOp>(l, x, c64(32))); };
    Value block = nb.create<arith::ShRUIOp>(l, index, c64(2));
    Value s64 = convert(nb, l, v[0], i64), t64 = convert(nb, l, v[1], i64);
    auto words = philox(nb, l, {lo(block), hi(block), lo(t64), lo(c64(stream))}, {lo(s64), hi(s64)});
    Value lane = nb.create<arith::AndIOp>(l, index, c64(3));
    Value word = words[3];
    for (int k = 2; k >= 0; --k) {
      Value is = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, lane, c64(k));
      word = nb.create<arith::SelectOp>(l, is, words[k], word);
    }
    // uniform = (word >> 8) · 2^-24, compared in double as the reference does.
    Value top = nb.create<arith::ShRUIOp>(l, word, nb.create<arith::ConstantOp>(l, nb.getI32IntegerAttr(8)));
    Value u = nb.create<arith::UIToFPOp>(l, nb.getF64Type(), top);
    u = nb.create<arith::MulFOp>(l, u, scalarConstant(nb, l, nb.getF64Type(), 1.0 / 16777216.0));
    Value keep = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGE, u, scalarConstant(nb, l, nb.getF64Type(), p));
    Type f = type.getElementType();
    return nb.create<arith::SelectOp>(l, keep, scalarConstant(nb, l, f, 1.0 / (1.0 - p)), scalarConstant(nb, l, f, 0));
  })};
}

// table[index[t], :] += dy[t, :] for every t, in order; indices clamped into the table.
FailureOr<SmallVector<Value>> lowerEmbeddingBackward(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op), dyType = tensorType(op->getOperand(1));
  int64_t rows = type.getDimSize(0), width = type.getDimSize(1);
  int64_t count = dyType.getNumElements() / std::max<int64_t>(width, 1);
  Type f = type.getElementType();
  Value indices = reshape(b, loc, op->getOperand(0), {count});
  Value dy = reshape(b, loc, op->getOperand(1), {count, width});
  Value table = filledTensor(b, loc, type.getShape(), f, 0);
  auto rowType = RankedTensorType::get({1, width}, f);
  auto loop = b.create<scf::ForOp>(loc, indexConstant(b, loc, 0), indexConstant(b, loc, count), indexConstant(b, loc, 1),
                                   ValueRange{table}, [&](OpBuilder &nb, Location l, Value t, ValueRange acc) {
    Value row = nb.create<arith::IndexCastOp>(l, nb.getIndexType(), nb.create<tensor::ExtractOp>(l, indices, t));
    row = nb.create<arith::MaxSIOp>(l, row, indexConstant(nb, l, 0));
    row = nb.create<arith::MinSIOp>(l, row, indexConstant(nb, l, rows - 1));
    SmallVector<OpFoldResult> sizes{nb.getIndexAttr(1), nb.getIndexAttr(width)};
    SmallVector<OpFoldResult> strides{nb.getIndexAttr(1), nb.getIndexAttr(1)};
    SmallVector<OpFoldResult> target{row, nb.getIndexAttr(0)}, source{t, nb.getIndexAttr(0)};
    Value current = nb.create<tensor::ExtractSliceOp>(l, rowType, acc[0], target, sizes, strides);
    Value grad = nb.create<tensor::ExtractSliceOp>(l, rowType, dy, source, sizes, strides);
    AffineMap m = identityMap(nb.getContext(), 2);
    Value sum = generic(nb, l, grad, current, {m, m}, {Iter::parallel, Iter::parallel},
                        [](OpBuilder &bb, Location ll, ValueRange a) { return SmallVector<Value>{add(bb, ll, a[1], a[0])}; })[0];
    Value updated = nb.create<tensor::InsertSliceOp>(l, sum, acc[0], target, sizes, strides);
    nb.create<scf::YieldOp>(l, updated);
  });
  return SmallVector<Value>{loop.getResult(0)};
}

} // namespace

void registerGradientLowerings(LoweringTable &t) {
  t["nn.one_hot"] = lowerOneHot;
  t["nn.dropout_mask"] = lowerDropoutMask;
  t["nn.embedding_backward"] = lowerEmbeddingBackward;
}

} // namespace nnc::lowering
