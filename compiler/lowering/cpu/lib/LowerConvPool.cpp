// Convolutions and pooling in NCHW (1-d ops run as 2-d ones with H = 1), forward and
// adjoint:
//   conv            one generic over (n, g, o, oh, ow | c, kh, kw) on the padded input,
//                   groups as an explicit axis, the bias as the accumulator's start;
//   conv filter grad one generic over (g, o, c, kh, kw | n, oh, ow);
//   conv data grad  per kernel tap, a contraction over output channels accumulated into
//                   the strided window of the padded input gradient, then cropped;
//   max/avg pool    window reductions on the (-inf / zero) padded input; the average
//                   divides by a constant tensor of per-window divisors;
//   pool grads      per tap, the window's share added into the strided window; windows
//                   that tile the input (stride = kernel) write each element once instead.
// Convolutions become im2col + products (LowerConvGemm.cpp) or library calls
// (LowerConvLibrary.cpp) when the lowering options ask.
#include "lowering/LoweringSupport.h"
#include "ConvSupport.h"

#include "nn/RuleSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

namespace nnc::lowering {
using namespace mlir;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Expands `name` to two entries (the leading one neutral for 1-d ops).
void spatial2(Operation *op, llvm::StringRef name, int64_t rank, int64_t *into,
              std::optional<llvm::ArrayRef<int64_t>> fallback = std::nullopt) {
  auto values = mlir::nn::expandSpatial(op, name, rank, fallback);
  if (failed(values)) return;
  for (int64_t i = 0; i < rank; ++i) into[2 - rank + i] = (*values)[i];
}

} // namespace

Window makeWindow(Operation *op, llvm::ArrayRef<int64_t> inShape, llvm::ArrayRef<int64_t> kernel, bool pool) {
  int64_t rank = int64_t(inShape.size()) - 2;
  Window w;
  for (int64_t i = 0; i < rank; ++i) w.kernel[2 - rank + i] = kernel[i], w.in[2 - rank + i] = inShape[2 + i];
  spatial2(op, "stride", rank, w.stride, pool ? std::optional<llvm::ArrayRef<int64_t>>(kernel) : std::nullopt);
  spatial2(op, "padding", rank, w.pad);
  if (!pool) spatial2(op, "dilation", rank, w.dilation);
  for (int i = 0; i < 2; ++i)
    w.out[i] = (w.in[i] + 2 * w.pad[i] - w.dilation[i] * (w.kernel[i] - 1) - 1) / w.stride[i] + 1;
  return w;
}

Value as4d(OpBuilder &b, Location loc, Value v) {
  RankedTensorType t = tensorType(v);
  if (t.getRank() == 4) return v;
  return reshape(b, loc, v, {t.getDimSize(0), t.getDimSize(1), 1, t.getDimSize(2)});
}

namespace {

// [N, G·k, H, W] → [N, G, k, H, W].
Value splitGroups(OpBuilder &b, Location loc, Value v, int64_t groups) {
  RankedTensorType t = tensorType(v);
  return reshape(b, loc, v, {t.getDimSize(0), groups, t.getDimSize(1) / groups, t.getDimSize(2), t.getDimSize(3)});
}

} // namespace

AffineExpr tapExpr(MLIRContext *ctx, unsigned outDim, unsigned tapDim, int64_t stride, int64_t dilation) {
  return getAffineDimExpr(outDim, ctx) * stride + getAffineDimExpr(tapDim, ctx) * dilation;
}

namespace {

FailureOr<SmallVector<Value>> lowerConv(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType xType = tensorType(op->getOperand(0)), wType = tensorType(op->getOperand(1)), type = resultType(op);
  Type f = type.getElementType();
  Window w = makeWindow(op, xType.getShape(), wType.getShape().drop_front(2), false);
  int64_t groups = mlir::nn::intAttr(op, "groups"), n = xType.getDimSize(0), outC = wType.getDimSize(0);
  if (!currentLoweringOptions().convLibrary.empty()) return lowerConvAsLibraryCall(op, b, w);
  if (currentLoweringOptions().convAsGemm && groups == 1) return lowerConvAsGemm(op, b, w);
  int64_t og = outC / groups, cg = wType.getDimSize(1);
  Value x = padSpatial(b, loc, as4d(b, loc, op->getOperand(0)), {w.pad[0], w.pad[1]}, {w.pad[0], w.pad[1]}, 0);
  x = splitGroups(b, loc, x, groups);
  Value weight = reshape(b, loc, op->getOperand(1), {groups, og, cg, w.kernel[0], w.kernel[1]});
  Shape outShape{n, groups, og, w.out[0], w.out[1]};
  Value init;
  if (op->getNumOperands() == 3) {
    Value bias = reshape(b, loc, op->getOperand(2), {groups, og});
    init = parallelMap(b, loc, RankedTensorType::get(outShape, f), bias, dimsMap(ctx, 5, {1, 2}),
                       [](OpBuilder &, Location, ValueRange v) { return v[0]; });
  } else {
    init = filledTensor(b, loc, outShape, f, 0);
  }
  // Loops: n g o oh ow | c kh kw.
  AffineMap maps[] = {
      AffineMap::get(8, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx), getAffineDimExpr(5, ctx),
                            tapExpr(ctx, 3, 6, w.stride[0], w.dilation[0]), tapExpr(ctx, 4, 7, w.stride[1], w.dilation[1])}, ctx),
      dimsMap(ctx, 8, {1, 2, 5, 6, 7}), dimsMap(ctx, 8, {0, 1, 2, 3, 4})};
  Iter P = Iter::parallel, R = Iter::reduction;
  Value y = generic(b, loc, ValueRange{x, weight}, init, maps, {P, P, P, P, P, R, R, R},
                    [](OpBuilder &nb, Location l, ValueRange a) {
                      return SmallVector<Value>{add(nb, l, a[2], mul(nb, l, a[0], a[1]))};
                    })[0];
  return SmallVector<Value>{reshape(b, loc, y, type.getShape())};
}

FailureOr<SmallVector<Value>> lowerConvBackwardFilter(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType xType = tensorType(op->getOperand(0)), dyType = tensorType(op->getOperand(1)), type = resultType(op);
  Window w = makeWindow(op, xType.getShape(), mlir::nn::arrayAttr(op, "kernel"), false);
  int64_t groups = mlir::nn::intAttr(op, "groups"), outC = dyType.getDimSize(1);
  if (!currentLoweringOptions().convLibrary.empty()) return lowerConvBackwardFilterAsLibraryCall(op, b, w);
  if (currentLoweringOptions().convAsGemm && groups == 1) return lowerConvBackwardFilterAsGemm(op, b, w);
  int64_t og = outC / groups, cg = xType.getDimSize(1) / groups;
  Value x = padSpatial(b, loc, as4d(b, loc, op->getOperand(0)), {w.pad[0], w.pad[1]}, {w.pad[0], w.pad[1]}, 0);
  x = splitGroups(b, loc, x, groups);
  Value dy = splitGroups(b, loc, as4d(b, loc, op->getOperand(1)), groups);
  Value init = filledTensor(b, loc, {groups, og, cg, w.kernel[0], w.kernel[1]}, type.getElementType(), 0);
  // Loops: g o c kh kw | n oh ow.
  AffineMap maps[] = {
      AffineMap::get(8, 0, {getAffineDimExpr(5, ctx), getAffineDimExpr(0, ctx), getAffineDimExpr(2, ctx),
                            tapExpr(ctx, 6, 3, w.stride[0], w.dilation[0]), tapExpr(ctx, 7, 4, w.stride[1], w.dilation[1])}, ctx),
      dimsMap(ctx, 8, {5, 0, 1, 6, 7}), dimsMap(ctx, 8, {0, 1, 2, 3, 4})};
  Iter P = Iter::parallel, R = Iter::reduction;
  Value dw = generic(b, loc, ValueRange{x, dy}, init, maps, {P, P, P, P, P, R, R, R},
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       return SmallVector<Value>{add(nb, l, a[2], mul(nb, l, a[0], a[1]))};
                     })[0];
  return SmallVector<Value>{reshape(b, loc, dw, type.getShape())};
}

// The strided window of tap (kh, kw) in a padded [N, G, C, Hp, Wp] tensor: the positions
// that output (oh, ow) reads through that tap.
struct TapSlice {
  SmallVector<OpFoldResult> offsets, sizes, strides;
};
TapSlice tapSlice(OpBuilder &b, llvm::ArrayRef<int64_t> lead, const Window &w, int64_t kh, int64_t kw) {
  TapSlice s;
  for (int64_t d : lead) {
    s.offsets.push_back(b.getIndexAttr(0));
    s.sizes.push_back(b.getIndexAttr(d));
    s.strides.push_back(b.getIndexAttr(1));
  }
  s.offsets.append({b.getIndexAttr(kh * w.dilation[0]), b.getIndexAttr(kw * w.dilation[1])});
  s.sizes.append({b.getIndexAttr(w.out[0]), b.getIndexAttr(w.out[1])});
  s.strides.append({b.getIndexAttr(w.stride[0]), b.getIndexAttr(w.stride[1])});
  return s;
}

} // namespace

Value accumulateTaps(OpBuilder &b, Location loc, llvm::ArrayRef<int64_t> lead, Type f, const Window &w,
                     const std::function<Value(Value window, int64_t kh, int64_t kw)> &contribution) {
  Shape padded(lead.begin(), lead.end());
  padded.append({w.in[0] + 2 * w.pad[0], w.in[1] + 2 * w.pad[1]});
  Value acc = filledTensor(b, loc, padded, f, 0);
  Shape windowShape(lead.begin(), lead.end());
  windowShape.append({w.out[0], w.out[1]});
  auto windowType = RankedTensorType::get(windowShape, f);
  for (int64_t kh = 0; kh < w.kernel[0]; ++kh)
    for (int64_t kw = 0; kw < w.kernel[1]; ++kw) {
      TapSlice s = tapSlice(b, lead, w, kh, kw);
      Value window = b.create<tensor::ExtractSliceOp>(loc, windowType, acc, s.offsets, s.sizes, s.strides);
      acc = b.create<tensor::InsertSliceOp>(loc, contribution(window, kh, kw), acc, s.offsets, s.sizes, s.strides);
    }
  SmallVector<OpFoldResult> offsets, sizes, strides;
  for (int64_t d : lead) offsets.push_back(b.getIndexAttr(0)), sizes.push_back(b.getIndexAttr(d)), strides.push_back(b.getIndexAttr(1));
  for (int i = 0; i < 2; ++i)
    offsets.push_back(b.getIndexAttr(w.pad[i])), sizes.push_back(b.getIndexAttr(w.in[i])), strides.push_back(b.getIndexAttr(1));
  Shape cropped(lead.begin(), lead.end());
  cropped.append({w.in[0], w.in[1]});
  return b.create<tensor::ExtractSliceOp>(loc, RankedTensorType::get(cropped, f), acc, offsets, sizes, strides);
}

namespace {

FailureOr<SmallVector<Value>> lowerConvBackwardData(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType dyType = tensorType(op->getOperand(0)), wType = tensorType(op->getOperand(1)), type = resultType(op);
  Type f = type.getElementType();
  Window w = makeWindow(op, type.getShape(), wType.getShape().drop_front(2), false);
  int64_t groups = mlir::nn::intAttr(op, "groups"), n = type.getDimSize(0), outC = dyType.getDimSize(1);
  if (!currentLoweringOptions().convLibrary.empty()) return lowerConvBackwardDataAsLibraryCall(op, b, w);
  if (currentLoweringOptions().convAsGemm && groups == 1) return lowerConvBackwardDataAsGemm(op, b, w);
  int64_t og = outC / groups, cg = wType.getDimSize(1);
  Value dy = splitGroups(b, loc, as4d(b, loc, op->getOperand(0)), groups);
  Value weight = reshape(b, loc, op->getOperand(1), {groups, og, cg, w.kernel[0], w.kernel[1]});
  Iter P = Iter::parallel, R = Iter::reduction;
  Value dx = accumulateTaps(b, loc, {n, groups, cg}, f, w, [&](Value window, int64_t kh, int64_t kw) {
    // Loops: n g c oh ow | o.   window[n, g, c, oh, ow] += Σ_o dy[n, g, o, oh, ow] · w[g, o, c, kh, kw]
    AffineMap maps[] = {dimsMap(ctx, 6, {0, 1, 5, 3, 4}),
                        AffineMap::get(6, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(5, ctx), getAffineDimExpr(2, ctx),
                                              getAffineConstantExpr(kh, ctx), getAffineConstantExpr(kw, ctx)}, ctx),
                        dimsMap(ctx, 6, {0, 1, 2, 3, 4})};
    return generic(b, loc, ValueRange{dy, weight}, window, maps, {P, P, P, P, P, R},
                   [](OpBuilder &nb, Location l, ValueRange a) {
                     return SmallVector<Value>{add(nb, l, a[2], mul(nb, l, a[0], a[1]))};
                   })[0];
  });
  return SmallVector<Value>{reshape(b, loc, dx, type.getShape())};
}

// A [KH, KW] operand that only gives the window loops their sizes (as linalg's named
// pooling ops do): the taps appear nowhere else as plain loop dimensions.
Value windowShape(OpBuilder &b, Location loc, const Window &w) {
  return emptyTensor(b, loc, {w.kernel[0], w.kernel[1]}, b.getI8Type());
}

Window poolWindow(Operation *op, llvm::ArrayRef<int64_t> inShape) {
  int64_t rank = int64_t(inShape.size()) - 2;
  auto kernel = mlir::nn::expandSpatial(op, "kernel", rank);
  return makeWindow(op, inShape, failed(kernel) ? Shape(rank, 1) : *kernel, true);
}

FailureOr<SmallVector<Value>> lowerMaxPool(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType xType = tensorType(op->getOperand(0)), type = resultType(op);
  Window w = poolWindow(op, xType.getShape());
  Value x = padSpatial(b, loc, as4d(b, loc, op->getOperand(0)), {w.pad[0], w.pad[1]}, {w.pad[0], w.pad[1]}, -kInf);
  Value init = filledTensor(b, loc, {xType.getDimSize(0), xType.getDimSize(1), w.out[0], w.out[1]}, type.getElementType(), -kInf);
  // Loops: n c oh ow | kh kw.
  AffineMap maps[] = {AffineMap::get(6, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                                            tapExpr(ctx, 2, 4, w.stride[0], 1), tapExpr(ctx, 3, 5, w.stride[1], 1)}, ctx),
                      dimsMap(ctx, 6, {4, 5}), dimsMap(ctx, 6, {0, 1, 2, 3})};
  Iter P = Iter::parallel, R = Iter::reduction;
  Value y = generic(b, loc, ValueRange{x, windowShape(b, loc, w)}, init, maps, {P, P, P, P, R, R},
                    [](OpBuilder &nb, Location l, ValueRange a) {
                      return SmallVector<Value>{maximum(nb, l, a[2], a[0])};
                    })[0];
  return SmallVector<Value>{reshape(b, loc, y, type.getShape())};
}

// The divisor of every output window: the kernel area, or the taps inside the input.
Value poolDivisors(OpBuilder &b, Location loc, const Window &w, Type f, bool includePad) {
  std::vector<float> f32;
  std::vector<double> f64;
  for (int64_t oh = 0; oh < w.out[0]; ++oh)
    for (int64_t ow = 0; ow < w.out[1]; ++ow) {
      int64_t taps = 0;
      for (int64_t kh = 0; kh < w.kernel[0]; ++kh)
        for (int64_t kw = 0; kw < w.kernel[1]; ++kw) {
          int64_t ih = oh * w.stride[0] - w.pad[0] + kh, iw = ow * w.stride[1] - w.pad[1] + kw;
          taps += ih >= 0 && ih < w.in[0] && iw >= 0 && iw < w.in[1];
        }
      double d = double(includePad ? w.kernel[0] * w.kernel[1] : taps);
      f32.push_back(float(d));
      f64.push_back(d);
    }
  auto type = RankedTensorType::get({w.out[0], w.out[1]}, f);
  DenseElementsAttr attr = f.isF64() ? DenseElementsAttr::get(type, llvm::ArrayRef<double>(f64))
                                     : DenseElementsAttr::get(type, llvm::ArrayRef<float>(f32));
  return b.create<arith::ConstantOp>(loc, attr);
}

FailureOr<SmallVector<Value>> lowerAvgPool(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType xType = tensorType(op->getOperand(0)), type = resultType(op);
  Type f = type.getElementType();
  Window w = poolWindow(op, xType.getShape());
  Value x = padSpatial(b, loc, as4d(b, loc, op->getOperand(0)), {w.pad[0], w.pad[1]}, {w.pad[0], w.pad[1]}, 0);
  Shape outShape{xType.getDimSize(0), xType.getDimSize(1), w.out[0], w.out[1]};
  Value init = filledTensor(b, loc, outShape, f, 0);
  AffineMap maps[] = {AffineMap::get(6, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                                            tapExpr(ctx, 2, 4, w.stride[0], 1), tapExpr(ctx, 3, 5, w.stride[1], 1)}, ctx),
                      dimsMap(ctx, 6, {4, 5}), dimsMap(ctx, 6, {0, 1, 2, 3})};
  Iter P = Iter::parallel, R = Iter::reduction;
  Value sum = generic(b, loc, ValueRange{x, windowShape(b, loc, w)}, init, maps, {P, P, P, P, R, R},
                      [](OpBuilder &nb, Location l, ValueRange a) {
                        return SmallVector<Value>{add(nb, l, a[2], a[0])};
                      })[0];
  Value divisors = poolDivisors(b, loc, w, f, mlir::nn::boolAttr(op, "count_include_pad"));
  AffineMap divMaps[] = {identityMap(ctx, 4), dimsMap(ctx, 4, {2, 3})};
  Value y = parallelMap(b, loc, RankedTensorType::get(outShape, f), ValueRange{sum, divisors}, divMaps,
                        [](OpBuilder &nb, Location l, ValueRange v) { return div(nb, l, v[0], v[1]); });
  return SmallVector<Value>{reshape(b, loc, y, type.getShape())};
}

FailureOr<SmallVector<Value>> lowerGlobalAvgPool(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  RankedTensorType xType = tensorType(op->getOperand(0)), type = resultType(op);
  int64_t planes = xType.getDimSize(0) * xType.getDimSize(1), area = xType.getNumElements() / std::max<int64_t>(planes, 1);
  Value x = reshape(b, loc, op->getOperand(0), {xType.getDimSize(0), xType.getDimSize(1), area});
  Value sum = reduce(b, loc, x, {false, false, true}, 0, [](OpBuilder &nb, Location l, Value acc, Value v) { return add(nb, l, acc, v); });
  Value count = scalarConstant(b, loc, type.getElementType(), double(area));
  return SmallVector<Value>{elementwise(b, loc, type, sum, [&](OpBuilder &nb, Location l, ValueRange v) {
    return div(nb, l, v[0], count);
  })};
}

// Windows that tile the input: stride = kernel, no padding (rows and columns past the
// last whole window, as in a 5-wide input pooled by 2, get no gradient).
bool windowsTile(const Window &w) {
  for (int d = 0; d < 2; ++d)
    if (w.stride[d] != w.kernel[d] || w.pad[d] != 0 || w.dilation[d] != 1 || w.out[d] * w.kernel[d] > w.in[d])
      return false;
  return true;
}

// For tiling windows, each input gradient element comes from exactly one window: one
// parallel loop nest over the input viewed as [n, c, oh, kh, ow, kw] writes every
// element once, `value(v)` from the window's operands v (indexed [n, c, oh, ow]; the
// tap's loop indices 3 and 5), instead of a read-modify-write pass per tap. Zero pads
// what no window covers.
Value gatherFromWindows(OpBuilder &b, Location loc, const Window &w, int64_t n, int64_t c, Type f,
                        ValueRange windowOperands,
                        const std::function<Value(OpBuilder &, Location, ValueRange)> &value) {
  MLIRContext *ctx = b.getContext();
  Shape tiled{n, c, w.out[0], w.kernel[0], w.out[1], w.kernel[1]};
  SmallVector<AffineMap> maps(windowOperands.size(), dimsMap(ctx, 6, {0, 1, 2, 4}));
  maps.push_back(identityMap(ctx, 6));
  Iter P = Iter::parallel;
  Value init = b.create<tensor::EmptyOp>(loc, tiled, f);
  Value g = generic(b, loc, windowOperands, init, maps, {P, P, P, P, P, P},
                    [&](OpBuilder &nb, Location l, ValueRange a) {
                      return SmallVector<Value>{value(nb, l, a.drop_back())};
                    })[0];
  SmallVector<ReassociationIndices> groups{{0}, {1}, {2, 3}, {4, 5}};
  auto covered = RankedTensorType::get({n, c, w.out[0] * w.kernel[0], w.out[1] * w.kernel[1]}, f);
  Value dx = b.create<tensor::CollapseShapeOp>(loc, covered, g, groups);
  int64_t restH = w.in[0] - w.out[0] * w.kernel[0], restW = w.in[1] - w.out[1] * w.kernel[1];
  return restH || restW ? padSpatial(b, loc, dx, {0, 0}, {restH, restW}, 0) : dx;
}

// Each output gradient goes to its window's first maximum (taps in the padding skipped;
// a NaN takes the window, as in the interpreter and PyTorch).
FailureOr<SmallVector<Value>> lowerMaxPoolBackward(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType xType = tensorType(op->getOperand(0)), type = resultType(op);
  Type f = type.getElementType();
  Window w = makeWindow(op, xType.getShape(), mlir::nn::arrayAttr(op, "kernel"), true);
  int64_t n = xType.getDimSize(0), c = xType.getDimSize(1);
  Value x = padSpatial(b, loc, as4d(b, loc, op->getOperand(0)), {w.pad[0], w.pad[1]}, {w.pad[0], w.pad[1]}, -kInf);
  Value dy = as4d(b, loc, op->getOperand(1));
  Shape outShape{n, c, w.out[0], w.out[1]};
  Value bestValue = filledTensor(b, loc, outShape, f, -kInf);
  Value bestTap = filledTensor(b, loc, outShape, b.getI64Type(), -1);
  AffineMap maps[] = {AffineMap::get(6, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                                            tapExpr(ctx, 2, 4, w.stride[0], 1), tapExpr(ctx, 3, 5, w.stride[1], 1)}, ctx),
                      dimsMap(ctx, 6, {4, 5}), dimsMap(ctx, 6, {0, 1, 2, 3}), dimsMap(ctx, 6, {0, 1, 2, 3})};
  Iter P = Iter::parallel, R = Iter::reduction;
  Value taps = generic(b, loc, ValueRange{x, windowShape(b, loc, w)}, ValueRange{bestValue, bestTap}, maps,
                       {P, P, P, P, R, R}, [&](OpBuilder &nb, Location l, ValueRange a) {
    Value v = a[0], best = a[2], tap = a[3];
    auto i64 = [&](int64_t k) { return scalarConstant(nb, l, nb.getI64Type(), double(k)); };
    auto inside = [&](unsigned outDim, unsigned tapDim, int d) {
      Value pos = add(nb, l, mul(nb, l, loopIndex(nb, l, outDim, nb.getI64Type()), i64(w.stride[d])),
                      loopIndex(nb, l, tapDim, nb.getI64Type()));
      Value lo = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::sge, pos, i64(w.pad[d]));
      Value hi = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, pos, i64(w.pad[d] + w.in[d]));
      return nb.create<arith::AndIOp>(l, lo, hi).getResult();
    };
    Value valid = nb.create<arith::AndIOp>(l, inside(2, 4, 0), inside(3, 5, 1));
    Value none = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, tap, i64(0));
    Value greater = nb.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, v, best);
    Value take = nb.create<arith::AndIOp>(l, valid, nb.create<arith::OrIOp>(l, none, nb.create<arith::OrIOp>(l, greater, isNaN(nb, l, v))));
    Value index = add(nb, l, mul(nb, l, loopIndex(nb, l, 4, nb.getI64Type()), i64(w.kernel[1])),
                      loopIndex(nb, l, 5, nb.getI64Type()));
    return SmallVector<Value>{nb.create<arith::SelectOp>(l, take, v, best), nb.create<arith::SelectOp>(l, take, index, tap)};
  })[1];
  if (windowsTile(w)) {
    // The window's gradient goes to the tap that holds its maximum, zero elsewhere.
    Value dx = gatherFromWindows(b, loc, w, n, c, f, ValueRange{taps, dy}, [&](OpBuilder &nb, Location l, ValueRange v) {
      auto i64 = [&](unsigned dim) { return loopIndex(nb, l, dim, nb.getI64Type()); };
      Value kw = scalarConstant(nb, l, nb.getI64Type(), double(w.kernel[1]));
      Value tap = add(nb, l, mul(nb, l, i64(3), kw), i64(5));
      Value hit = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, v[0], tap);
      return nb.create<arith::SelectOp>(l, hit, v[1], scalarConstant(nb, l, f, 0)).getResult();
    });
    return SmallVector<Value>{reshape(b, loc, dx, type.getShape())};
  }
  Value dx = accumulateTaps(b, loc, {n, c}, f, w, [&](Value window, int64_t kh, int64_t kw) {
    Value tapId = scalarConstant(b, loc, b.getI64Type(), double(kh * w.kernel[1] + kw));
    AffineMap m4 = identityMap(ctx, 4);
    return generic(b, loc, ValueRange{taps, dy}, window, {m4, m4, m4}, {P, P, P, P},
                   [&](OpBuilder &nb, Location l, ValueRange a) {
                     Value hit = nb.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, a[0], tapId);
                     return SmallVector<Value>{nb.create<arith::SelectOp>(l, hit, add(nb, l, a[2], a[1]), a[2]).getResult()};
                   })[0];
  });
  return SmallVector<Value>{reshape(b, loc, dx, type.getShape())};
}

FailureOr<SmallVector<Value>> lowerAvgPoolBackward(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  MLIRContext *ctx = b.getContext();
  RankedTensorType type = resultType(op);
  Type f = type.getElementType();
  Window w = makeWindow(op, type.getShape(), mlir::nn::arrayAttr(op, "kernel"), true);
  int64_t n = type.getDimSize(0), c = type.getDimSize(1);
  Value dy = as4d(b, loc, op->getOperand(0));
  Value divisors = poolDivisors(b, loc, w, f, mlir::nn::boolAttr(op, "count_include_pad"));
  AffineMap divMaps[] = {identityMap(ctx, 4), dimsMap(ctx, 4, {2, 3})};
  Value share = parallelMap(b, loc, tensorType(dy), ValueRange{dy, divisors}, divMaps,
                            [](OpBuilder &nb, Location l, ValueRange v) { return div(nb, l, v[0], v[1]); });
  if (windowsTile(w)) {
    Value dx = gatherFromWindows(b, loc, w, n, c, f, share, [](OpBuilder &, Location, ValueRange v) { return v[0]; });
    return SmallVector<Value>{reshape(b, loc, dx, type.getShape())};
  }
  Iter P = Iter::parallel;
  Value dx = accumulateTaps(b, loc, {n, c}, f, w, [&](Value window, int64_t, int64_t) {
    AffineMap m4 = identityMap(ctx, 4);
    return generic(b, loc, share, window, {m4, m4}, {P, P, P, P}, [](OpBuilder &nb, Location l, ValueRange a) {
             return SmallVector<Value>{add(nb, l, a[1], a[0])};
           })[0];
  });
  return SmallVector<Value>{reshape(b, loc, dx, type.getShape())};
}

} // namespace

void registerConvPoolLowerings(LoweringTable &t) {
  t["nn.conv1d"] = lowerConv;
  t["nn.conv2d"] = lowerConv;
  t["nn.conv_backward_filter"] = lowerConvBackwardFilter;
  t["nn.conv_backward_data"] = lowerConvBackwardData;
  t["nn.max_pool1d"] = lowerMaxPool;
  t["nn.max_pool2d"] = lowerMaxPool;
  t["nn.avg_pool2d"] = lowerAvgPool;
  t["nn.global_avg_pool"] = lowerGlobalAvgPool;
  t["nn.max_pool_backward"] = lowerMaxPoolBackward;
  t["nn.avg_pool_backward"] = lowerAvgPoolBackward;
}

} // namespace nnc::lowering
