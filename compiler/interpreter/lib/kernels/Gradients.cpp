// The adjoint ops of the gradient rules (slice_grad, conv_backward_data/filter,
// max_pool_backward, avg_pool_backward, embedding_backward), one_hot and dropout_mask.
#include "KernelSupport.h"

#include "nnc/philox.h"

namespace nnc::interp {
using namespace kernel;

namespace {

LogicalResult oneHot(Operation *op, Operands in, Results &out) {
  const Tensor &indices = *in[0];
  int64_t classes = intAttr(op, "classes");
  auto dtype = parseDType(stringAttr(op, "dtype"));
  if (!dtype || classes < 1) return kernelError(op) << "needs classes >= 1 and a known dtype";
  Shape shape = indices.shape;
  shape.push_back(classes);
  Tensor r = Tensor::zeros(*dtype, shape);
  for (int64_t i = 0; i < indices.numel(); ++i) {
    double index = indices.data[i];
    if (!(index >= 0 && index < double(classes)))
      return kernelError(op) << "index " << int64_t(index) << " (element " << i
                             << ") is out of range for " << classes << " classes";
    r.data[i * classes + int64_t(index)] = 1.0;
  }
  out.push_back(std::move(r));
  return success();
}

// Element i: u = uniformFromBits(randomBits(seed, step, stream, i)); kept (1 / (1 - p))
// when u >= p, else 0.
LogicalResult dropoutMask(Operation *op, Operands in, Results &out) {
  if (in[0]->numel() != 1 || in[1]->numel() != 1) return kernelError(op) << "seed and step must be 0-d";
  uint64_t seed = uint64_t(int64_t(in[0]->data[0])), step = uint64_t(int64_t(in[1]->data[0]));
  uint64_t stream = uint64_t(intAttr(op, "stream"));
  double p = floatAttr(op, "p");
  auto dtype = parseDType(stringAttr(op, "dtype"));
  if (!(p >= 0 && p < 1) || !dtype || !isFloat(*dtype))
    return kernelError(op) << "needs 0 <= p < 1 and a floating-point dtype";
  Tensor r = Tensor::zeros(*dtype, arrayAttr(op, "shape"));
  double scale = 1.0 / (1.0 - p);
  for (int64_t i = 0; i < r.numel(); ++i)
    r.data[i] = double(uniformFromBits(randomBits(seed, step, stream, uint64_t(i)))) >= p ? scale : 0.0;
  out.push_back(std::move(r));
  return success();
}

// Zeros with `size` entries along `axis`, the input at start, start + step, ...
LogicalResult sliceGrad(Operation *op, Operands in, Results &out) {
  const Tensor &dy = *in[0];
  if (dy.rank() == 0) return kernelError(op) << "input must have rank >= 1";
  auto axis = normalizeAxis(op, intAttr(op, "axis"), dy.rank());
  if (mlir::failed(axis)) return failure();
  int64_t size = intAttr(op, "size"), start = intAttr(op, "start"), step = intAttr(op, "step");
  AxisSplit s = splitAt(dy.shape, *axis);
  if (step < 1 || start < 0 || start + (s.size - 1) * step >= size)
    return kernelError(op) << s.size << " entries from " << start << " by " << step
                           << " do not fit an axis of " << size;
  Shape shape = dy.shape;
  shape[*axis] = size;
  Tensor r = Tensor::zeros(dy.dtype, shape);
  AxisSplit rs = splitAt(shape, *axis);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.size; ++i)
      for (int64_t k = 0; k < s.inner; ++k) r.data[rs.at(o, start + i * step, k)] = dy.data[s.at(o, i, k)];
  out.push_back(std::move(r));
  return success();
}

// The window of an adjoint op over the forward input's shape, with its full-length
// spatial attributes; checks that `outputGrad` has the forward output's shape.
FailureOr<Window> adjointWindow(Operation *op, llvm::ArrayRef<int64_t> inputShape,
                                llvm::ArrayRef<int64_t> kernel, const Tensor &outputGrad,
                                int64_t outChannels, bool dilated) {
  int64_t n = int64_t(inputShape.size()) - 2;
  if (n < 1) return kernelError(op) << "the input must be [N, C, spatial...]", failure();
  auto stride = spatialAttr(op, "stride", n), padding = spatialAttr(op, "padding", n);
  auto dilation = dilated ? spatialAttr(op, "dilation", n) : FailureOr<Shape>(Shape(n, 1));
  if (mlir::failed(stride) || mlir::failed(padding) || mlir::failed(dilation)) return failure();
  auto w = makeWindow(op, inputShape, kernel, *stride, *padding, *dilation);
  if (mlir::failed(w)) return failure();
  if (outputGrad.shape != w->outputShape(outChannels))
    return kernelError(op) << "output_grad " << outputGrad.typeString()
                           << " does not have the forward output's shape "
                           << mlir::nn::formatShape(w->outputShape(outChannels)), failure();
  return w;
}

// Channel counts of a grouped convolution: input C, output O, weight [O, C / groups, ...].
LogicalResult checkGroups(Operation *op, int64_t channels, int64_t outChannels, int64_t groups) {
  if (groups < 1 || channels % groups || outChannels % groups)
    return kernelError(op) << "groups " << groups << " must divide " << channels << " and " << outChannels;
  return success();
}

// dx[b, g·Cg + c, ih, iw] += w[o, c, kh, kw] · dy[b, o, oh, ow] over every tap.
LogicalResult convBackwardData(Operation *op, Operands in, Results &out) {
  const Tensor &dy = *in[0], &wt = *in[1];
  llvm::ArrayRef<int64_t> inputShape = arrayAttr(op, "input_shape");
  int64_t groups = intAttr(op, "groups");
  if (inputShape.size() < 3 || wt.rank() != int64_t(inputShape.size()) || dy.rank() != wt.rank() ||
      mlir::failed(checkGroups(op, inputShape[1], wt.shape[0], groups)) ||
      wt.shape[1] * groups != inputShape[1])
    return kernelError(op) << "weight " << wt.typeString() << " does not fit input_shape "
                           << mlir::nn::formatShape(inputShape);
  Shape kernel(wt.shape.begin() + 2, wt.shape.end());
  auto w = adjointWindow(op, inputShape, kernel, dy, wt.shape[0], true);
  if (mlir::failed(w)) return failure();
  int64_t channels = inputShape[1], outChannels = wt.shape[0];
  int64_t cg = channels / groups, og = outChannels / groups;
  Tensor dx = Tensor::zeros(dy.dtype, inputShape);
  for (int64_t b = 0; b < w->batch; ++b)
    for (int64_t o = 0; o < outChannels; ++o)
      for (int64_t oh = 0; oh < w->out[0]; ++oh)
        for (int64_t ow = 0; ow < w->out[1]; ++ow) {
          double g = dy.data[((b * outChannels + o) * w->out[0] + oh) * w->out[1] + ow];
          for (int64_t c = 0; c < cg; ++c) {
            double *plane = dx.data.data() + (b * channels + (o / og) * cg + c) * w->inArea();
            const double *filter = wt.data.data() + (o * cg + c) * w->kernelArea();
            w->forEachTap(oh, ow, [&](int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
              plane[ih * w->in[1] + iw] += filter[kh * w->kernel[1] + kw] * g;
            });
          }
        }
  out.push_back(std::move(dx));
  return success();
}

// dw[o, c, kh, kw] += x[b, g·Cg + c, ih, iw] · dy[b, o, oh, ow] over every tap.
LogicalResult convBackwardFilter(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0], &dy = *in[1];
  int64_t groups = intAttr(op, "groups");
  if (x.rank() < 3 || dy.rank() != x.rank() || mlir::failed(checkGroups(op, x.shape[1], dy.shape[1], groups)))
    return kernelError(op) << "input " << x.typeString() << " and output_grad " << dy.typeString()
                           << " do not fit";
  auto kernel = spatialAttr(op, "kernel", x.rank() - 2);
  if (mlir::failed(kernel)) return failure();
  auto w = adjointWindow(op, x.shape, *kernel, dy, dy.shape[1], true);
  if (mlir::failed(w)) return failure();
  int64_t channels = x.shape[1], outChannels = dy.shape[1];
  int64_t cg = channels / groups, og = outChannels / groups;
  Shape shape{outChannels, cg};
  shape.insert(shape.end(), kernel->begin(), kernel->end());
  Tensor dw = Tensor::zeros(x.dtype, shape);
  for (int64_t b = 0; b < w->batch; ++b)
    for (int64_t o = 0; o < outChannels; ++o)
      for (int64_t oh = 0; oh < w->out[0]; ++oh)
        for (int64_t ow = 0; ow < w->out[1]; ++ow) {
          double g = dy.data[((b * outChannels + o) * w->out[0] + oh) * w->out[1] + ow];
          for (int64_t c = 0; c < cg; ++c) {
            const double *plane = x.data.data() + (b * channels + (o / og) * cg + c) * w->inArea();
            double *filter = dw.data.data() + (o * cg + c) * w->kernelArea();
            w->forEachTap(oh, ow, [&](int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
              filter[kh * w->kernel[1] + kw] += plane[ih * w->in[1] + iw] * g;
            });
          }
        }
  out.push_back(std::move(dw));
  return success();
}

// Each output gradient goes to its window's first maximum (PyTorch's choice).
LogicalResult maxPoolBackward(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0], &dy = *in[1];
  if (x.rank() < 3) return kernelError(op) << "input must be [N, C, spatial...]";
  auto kernel = spatialAttr(op, "kernel", x.rank() - 2);
  if (mlir::failed(kernel)) return failure();
  auto w = adjointWindow(op, x.shape, *kernel, dy, x.shape[1], false);
  if (mlir::failed(w)) return failure();
  Tensor dx = Tensor::zeros(x.dtype, x.shape);
  for (int64_t plane = 0; plane < w->batch * w->channels; ++plane) {
    const double *source = x.data.data() + plane * w->inArea();
    for (int64_t oh = 0; oh < w->out[0]; ++oh)
      for (int64_t ow = 0; ow < w->out[1]; ++ow) {
        int64_t best = windowArgmax(*w, source, oh, ow);
        if (best >= 0)
          dx.data[plane * w->inArea() + best] += dy.data[(plane * w->out[0] + oh) * w->out[1] + ow];
      }
  }
  out.push_back(std::move(dx));
  return success();
}

// Each output gradient divided by its window's divisor goes to every tap of the window.
LogicalResult avgPoolBackward(Operation *op, Operands in, Results &out) {
  const Tensor &dy = *in[0];
  llvm::ArrayRef<int64_t> inputShape = arrayAttr(op, "input_shape");
  if (inputShape.size() < 3 || int64_t(inputShape.size()) != dy.rank() || inputShape[0] != dy.shape[0] ||
      inputShape[1] != dy.shape[1])
    return kernelError(op) << "input_shape " << mlir::nn::formatShape(inputShape)
                           << " does not fit output_grad " << dy.typeString();
  auto kernel = spatialAttr(op, "kernel", int64_t(inputShape.size()) - 2);
  if (mlir::failed(kernel)) return failure();
  auto w = adjointWindow(op, inputShape, *kernel, dy, inputShape[1], false);
  if (mlir::failed(w)) return failure();
  bool includePad = boolAttr(op, "count_include_pad");
  Tensor dx = Tensor::zeros(dy.dtype, inputShape);
  for (int64_t plane = 0; plane < w->batch * w->channels; ++plane) {
    double *target = dx.data.data() + plane * w->inArea();
    for (int64_t oh = 0; oh < w->out[0]; ++oh)
      for (int64_t ow = 0; ow < w->out[1]; ++ow) {
        int64_t taps = 0;
        w->forEachTap(oh, ow, [&](int64_t, int64_t, int64_t, int64_t) { ++taps; });
        double g = dy.data[(plane * w->out[0] + oh) * w->out[1] + ow] /
                   double(includePad ? w->kernelArea() : taps);
        w->forEachTap(oh, ow, [&](int64_t, int64_t, int64_t ih, int64_t iw) { target[ih * w->in[1] + iw] += g; });
      }
  }
  out.push_back(std::move(dx));
  return success();
}

// Scatter-adds output gradient rows [..., D] into a [num_embeddings, D] table.
LogicalResult embeddingBackward(Operation *op, Operands in, Results &out) {
  const Tensor &indices = *in[0], &dy = *in[1];
  int64_t rows = intAttr(op, "num_embeddings");
  if (dy.rank() != indices.rank() + 1 || Shape(dy.shape.begin(), dy.shape.end() - 1) != indices.shape || rows < 1)
    return kernelError(op) << "output_grad " << dy.typeString() << " must be the indices' shape "
                           << indices.typeString() << " plus one axis";
  int64_t width = dy.shape.back();
  Tensor dt = Tensor::zeros(dy.dtype, {rows, width});
  for (int64_t i = 0; i < indices.numel(); ++i) {
    double index = indices.data[i];
    if (!(index >= 0 && index < double(rows)))
      return kernelError(op) << "index " << int64_t(index) << " (element " << i
                             << " of the indices) is out of range for a table of " << rows << " rows";
    for (int64_t j = 0; j < width; ++j) dt.data[int64_t(index) * width + j] += dy.data[i * width + j];
  }
  out.push_back(std::move(dt));
  return success();
}

} // namespace

void registerGradientKernels(KernelTable &table) {
  table["nn.one_hot"] = oneHot;
  table["nn.dropout_mask"] = dropoutMask;
  table["nn.slice_grad"] = sliceGrad;
  table["nn.conv_backward_data"] = convBackwardData;
  table["nn.conv_backward_filter"] = convBackwardFilter;
  table["nn.max_pool_backward"] = maxPoolBackward;
  table["nn.avg_pool_backward"] = avgPoolBackward;
  table["nn.embedding_backward"] = embeddingBackward;
}

} // namespace nnc::interp
