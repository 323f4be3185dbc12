// Gradient rules of linear, matmul and batch_matmul.
#include "GradientSupport.h"

namespace mlir::nn {

LogicalResult LinearOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    // Leading axes flatten into rows: x (M, in), dy (M, out), weight (out, in).
    int64_t in = shapeOf(getInput()).back(), out = shapeOf(getWeight())[0];
    Value x2 = b.reshape(getInput(), {-1, in});
    Value dy2 = b.reshape(dys[0], {-1, out});
    dxs.push_back(b.reshape(b.op("matmul", {dy2, getWeight()}), shapeOf(getInput())));
    dxs.push_back(b.op("matmul", {dy2, x2}, {b.attr("transpose_a", true)}));
    if (getBias()) dxs.push_back(b.sum(dy2, {0}, false));
  });
}

// C = op(A)·op(B), op = optional transpose of the last two axes. The gradients are
// again products of A, B and dC, with the transposes arranged so no transpose op is
// needed; batch axes that were broadcast are summed away.
static void matmulGradients(NNBuilder &b, llvm::StringRef name, Value a, Value c, Value dy,
                            bool ta, bool tb, Grads &dxs) {
  auto mm = [&](Value x, Value y, bool tx, bool ty) {
    return b.op(name, {x, y}, {b.attr("transpose_a", tx), b.attr("transpose_b", ty)});
  };
  Value da = !ta ? mm(dy, c, false, !tb)  // dC·op(B)ᵀ
                 : mm(c, dy, tb, true);   // (dC·op(B)ᵀ)ᵀ = op(B)·dCᵀ
  Value dc = !tb ? mm(a, dy, !ta, false)  // op(A)ᵀ·dC
                 : mm(dy, a, true, ta);   // (op(A)ᵀ·dC)ᵀ = dCᵀ·op(A)
  dxs.push_back(b.sumToShape(da, cast<ShapedType>(a.getType())));
  dxs.push_back(b.sumToShape(dc, cast<ShapedType>(c.getType())));
}

LogicalResult MatmulOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    matmulGradients(b, "matmul", getLhs(), getRhs(), dys[0], getTransposeA(), getTransposeB(), dxs);
  });
}

LogicalResult BatchMatmulOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value a = getLhs(), c = getRhs(), dy = dys[0];
    // Give both operands the result's batch axes first, so the products line up.
    Shape batch(shapeOf(dy).drop_back(2));
    auto expand = [&](Value v) {
      Shape full(batch);
      llvm::append_range(full, shapeOf(v).take_back(2));
      return b.broadcastTo(v, full);
    };
    auto mm = [&](Value x, Value y, bool tx, bool ty) {
      return b.op("batch_matmul", {x, y}, {b.attr("transpose_a", tx), b.attr("transpose_b", ty)});
    };
    bool ta = getTransposeA(), tb = getTransposeB();
    Value ea = expand(a), ec = expand(c);
    Value da = !ta ? mm(dy, ec, false, !tb) : mm(ec, dy, tb, true);
    Value dc = !tb ? mm(ea, dy, !ta, false) : mm(dy, ea, true, ta);
    dxs.push_back(b.sumToShape(da, cast<ShapedType>(a.getType())));
    dxs.push_back(b.sumToShape(dc, cast<ShapedType>(c.getType())));
  });
}

} // namespace mlir::nn
