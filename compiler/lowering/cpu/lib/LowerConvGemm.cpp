// Ungrouped convolutions as matrix products, for nn-gemm-to-call's kernels:
//   im2col   col[c, kh, kw, n, oh, ow] = x_padded[n, c, oh·s + kh·d, ow·s + kw·d]
//   forward  y[o, (n, oh, ow)]  = W[o, (c, kh, kw)] · col + bias, then to [N, O, OH, OW]
//   filter   dW[o, (c, kh, kw)] = dy[o, (n, oh, ow)] · colᵀ
//   data     dcol = Wᵀ · dy, then col2im: every tap's columns added into its strided
//            window of the padded input gradient, cropped.
// Costs a column buffer of C·KH·KW × N·OH·OW elements (in the memory plan's arena) and a
// transpose of y / dy; wins whenever the product is large enough for the blocked kernel.
#include "ConvSupport.h"

#include "nn/RuleSupport.h"

namespace nnc::lowering {
using namespace mlir;

namespace {

constexpr Iter P = Iter::parallel, R = Iter::reduction;

// C[m, n] (+)= A · B over a 3-loop (m, n | k) generic with the given operand maps.
Value product(OpBuilder &b, Location loc, Value a, AffineMap aMap, Value bm, AffineMap bMap, Value init) {
  MLIRContext *ctx = b.getContext();
  AffineMap maps[] = {aMap, bMap, dimsMap(ctx, 3, {0, 1})};
  return generic(b, loc, ValueRange{a, bm}, init, maps, {P, P, R}, [](OpBuilder &nb, Location l, ValueRange v) {
    return SmallVector<Value>{add(nb, l, v[2], mul(nb, l, v[0], v[1]))};
  })[0];
}

// The im2col columns of x ([N, C, (H,) W]) as a [C·KH·KW, N·OH·OW] matrix.
Value columns(OpBuilder &b, Location loc, Value x, const Window &w) {
  MLIRContext *ctx = b.getContext();
  Value padded = padSpatial(b, loc, as4d(b, loc, x), {w.pad[0], w.pad[1]}, {w.pad[0], w.pad[1]}, 0);
  RankedTensorType t = tensorType(padded);
  int64_t n = t.getDimSize(0), c = t.getDimSize(1);
  // Loops: c kh kw n oh ow.
  auto colType = RankedTensorType::get({c, w.kernel[0], w.kernel[1], n, w.out[0], w.out[1]}, t.getElementType());
  AffineMap read = AffineMap::get(6, 0, {getAffineDimExpr(3, ctx), getAffineDimExpr(0, ctx),
                                         tapExpr(ctx, 4, 1, w.stride[0], w.dilation[0]),
                                         tapExpr(ctx, 5, 2, w.stride[1], w.dilation[1])}, ctx);
  Value col = parallelMap(b, loc, colType, padded, read, [](OpBuilder &, Location, ValueRange v) { return v[0]; });
  return reshape(b, loc, col, {c * w.kernel[0] * w.kernel[1], n * w.out[0] * w.out[1]});
}

// dy ([N, O, (OH,) OW]) as an [O, N·OH·OW] matrix.
Value outputChannelsFirst(OpBuilder &b, Location loc, Value dy) {
  Value dy4 = as4d(b, loc, dy);
  RankedTensorType t = tensorType(dy4);
  int64_t n = t.getDimSize(0), o = t.getDimSize(1), p = t.getDimSize(2) * t.getDimSize(3);
  auto type = RankedTensorType::get({o, n, t.getDimSize(2), t.getDimSize(3)}, t.getElementType());
  Value moved = parallelMap(b, loc, type, dy4, dimsMap(b.getContext(), 4, {1, 0, 2, 3}),
                            [](OpBuilder &, Location, ValueRange v) { return v[0]; });
  return reshape(b, loc, moved, {o, n * p});
}

} // namespace

FailureOr<SmallVector<Value>> lowerConvAsGemm(Operation *op, OpBuilder &b, const Window &w) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType xType = tensorType(op->getOperand(0)), wType = tensorType(op->getOperand(1)), type = resultType(op);
  Type f = type.getElementType();
  int64_t n = xType.getDimSize(0), o = wType.getDimSize(0), taps = wType.getNumElements() / o;
  int64_t positions = n * w.out[0] * w.out[1];
  Value col = columns(b, loc, op->getOperand(0), w);
  Value weight = reshape(b, loc, op->getOperand(1), {o, taps});
  auto yType = RankedTensorType::get({o, positions}, f);
  Value init = op->getNumOperands() == 3
                   ? parallelMap(b, loc, yType, op->getOperand(2), dimsMap(ctx, 2, {0}),
                                 [](OpBuilder &, Location, ValueRange v) { return v[0]; })
                   : filledTensor(b, loc, yType.getShape(), f, 0);
  Value y = product(b, loc, weight, dimsMap(ctx, 3, {0, 2}), col, dimsMap(ctx, 3, {2, 1}), init);
  y = reshape(b, loc, y, {o, n, w.out[0], w.out[1]});
  auto nchw = RankedTensorType::get({n, o, w.out[0], w.out[1]}, f);
  y = parallelMap(b, loc, nchw, y, dimsMap(ctx, 4, {1, 0, 2, 3}), [](OpBuilder &, Location, ValueRange v) { return v[0]; });
  return SmallVector<Value>{reshape(b, loc, y, type.getShape())};
}

FailureOr<SmallVector<Value>> lowerConvBackwardFilterAsGemm(Operation *op, OpBuilder &b, const Window &w) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType type = resultType(op);
  int64_t o = type.getDimSize(0), taps = type.getNumElements() / o;
  Value col = columns(b, loc, op->getOperand(0), w);
  Value dy = outputChannelsFirst(b, loc, op->getOperand(1));
  Value init = filledTensor(b, loc, {o, taps}, type.getElementType(), 0);
  Value dw = product(b, loc, dy, dimsMap(ctx, 3, {0, 2}), col, dimsMap(ctx, 3, {1, 2}), init);
  return SmallVector<Value>{reshape(b, loc, dw, type.getShape())};
}

FailureOr<SmallVector<Value>> lowerConvBackwardDataAsGemm(Operation *op, OpBuilder &b, const Window &w) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType wType = tensorType(op->getOperand(1)), type = resultType(op);
  Type f = type.getElementType();
  int64_t n = type.getDimSize(0), c = type.getDimSize(1), o = wType.getDimSize(0), taps = wType.getNumElements() / o;
  int64_t positions = n * w.out[0] * w.out[1];
  Value dy = outputChannelsFirst(b, loc, op->getOperand(0));
  Value weight = reshape(b, loc, op->getOperand(1), {o, taps});
  Value init = filledTensor(b, loc, {taps, positions}, f, 0);
  Value dcol = product(b, loc, weight, dimsMap(ctx, 3, {2, 0}), dy, dimsMap(ctx, 3, {2, 1}), init);
  dcol = reshape(b, loc, dcol, {c, w.kernel[0], w.kernel[1], n, w.out[0], w.out[1]});
  Value dx = accumulateTaps(b, loc, {n, c}, f, w, [&](Value window, int64_t kh, int64_t kw) {
    // Loops: n c oh ow.   window[n, c, oh, ow] += dcol[c, kh, kw, n, oh, ow]
    AffineMap maps[] = {AffineMap::get(4, 0, {getAffineDimExpr(1, ctx), getAffineConstantExpr(kh, ctx),
                                              getAffineConstantExpr(kw, ctx), getAffineDimExpr(0, ctx),
                                              getAffineDimExpr(2, ctx), getAffineDimExpr(3, ctx)}, ctx),
                        identityMap(ctx, 4)};
    return generic(b, loc, dcol, window, maps, {P, P, P, P}, [](OpBuilder &nb, Location l, ValueRange v) {
      return SmallVector<Value>{add(nb, l, v[1], v[0])};
    })[0];
  });
  return SmallVector<Value>{reshape(b, loc, dx, type.getShape())};
}

} // namespace nnc::lowering
