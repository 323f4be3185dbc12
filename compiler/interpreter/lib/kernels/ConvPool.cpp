// Convolution and pooling kernels (NCHW; 1-d ops run as 2-d ones with H = 1).
#include "KernelSupport.h"

namespace nnc::interp {
using namespace kernel;

namespace {

// conv1d/conv2d: cross-correlation with stride, padding, dilation, groups and an
// optional bias, as torch.nn.functional.conv1d/conv2d.
LogicalResult conv(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0], &wt = *in[1];
  const Tensor *bias = in.size() == 3 ? in[2] : nullptr;
  int64_t n = op->getName().getStringRef().ends_with("1d") ? 1 : 2;
  if (x.rank() != n + 2 || wt.rank() != n + 2)
    return kernelError(op) << "input " << x.typeString() << " and weight " << wt.typeString()
                           << " must have rank " << n + 2;
  auto stride = spatialAttr(op, "stride", n), padding = spatialAttr(op, "padding", n);
  auto dilation = spatialAttr(op, "dilation", n);
  if (mlir::failed(stride) || mlir::failed(padding) || mlir::failed(dilation)) return failure();
  Shape kernel(wt.shape.begin() + 2, wt.shape.end());
  auto w = makeWindow(op, x.shape, kernel, *stride, *padding, *dilation);
  if (mlir::failed(w)) return failure();
  int64_t groups = intAttr(op, "groups"), channels = x.shape[1], outChannels = wt.shape[0];
  if (groups < 1 || channels % groups || outChannels % groups || wt.shape[1] * groups != channels ||
      (bias && (bias->rank() != 1 || bias->shape[0] != outChannels)))
    return kernelError(op) << "input " << x.typeString() << ", weight " << wt.typeString()
                           << " and groups " << groups << " do not fit";
  int64_t cg = channels / groups, og = outChannels / groups;
  Tensor r = Tensor::zeros(x.dtype, w->outputShape(outChannels));
  for (int64_t b = 0; b < w->batch; ++b)
    for (int64_t o = 0; o < outChannels; ++o) {
      int64_t g = o / og;
      for (int64_t oh = 0; oh < w->out[0]; ++oh)
        for (int64_t ow = 0; ow < w->out[1]; ++ow) {
          double acc = bias ? bias->data[o] : 0.0;
          for (int64_t c = 0; c < cg; ++c) {
            const double *plane = x.data.data() + (b * channels + g * cg + c) * w->inArea();
            const double *filter = wt.data.data() + (o * cg + c) * w->kernelArea();
            w->forEachTap(oh, ow, [&](int64_t kh, int64_t kw, int64_t ih, int64_t iw) {
              acc += plane[ih * w->in[1] + iw] * filter[kh * w->kernel[1] + kw];
            });
          }
          r.data[((b * outChannels + o) * w->out[0] + oh) * w->out[1] + ow] = acc;
        }
    }
  out.push_back(std::move(r));
  return success();
}

// The window of a pooling op: `kernel` required, empty `stride` = kernel, padding at
// most half the kernel, no dilation.
FailureOr<Window> poolWindow(Operation *op, const Tensor &x) {
  int64_t n = op->getName().getStringRef().ends_with("1d") ? 1 : 2;
  if (x.rank() != n + 2) return kernelError(op) << "input must have rank " << n + 2, failure();
  if (arrayAttr(op, "kernel").empty()) return kernelError(op) << "kernel must be given", failure();
  auto kernel = spatialAttr(op, "kernel", n);
  if (mlir::failed(kernel)) return failure();
  auto stride = spatialAttr(op, "stride", n, llvm::ArrayRef<int64_t>(*kernel));
  auto padding = spatialAttr(op, "padding", n);
  if (mlir::failed(stride) || mlir::failed(padding)) return failure();
  for (int64_t i = 0; i < n; ++i)
    if (2 * (*padding)[i] > (*kernel)[i])
      return kernelError(op) << "padding exceeds half the kernel", failure();
  return makeWindow(op, x.shape, *kernel, *stride, *padding, Shape(n, 1));
}

// max_pool1d/2d: padding counts as -inf.
LogicalResult maxPool(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  auto w = poolWindow(op, x);
  if (mlir::failed(w)) return failure();
  Tensor r = Tensor::zeros(x.dtype, w->outputShape(w->channels));
  for (int64_t plane = 0; plane < w->batch * w->channels; ++plane) {
    const double *source = x.data.data() + plane * w->inArea();
    for (int64_t oh = 0; oh < w->out[0]; ++oh)
      for (int64_t ow = 0; ow < w->out[1]; ++ow) {
        int64_t best = windowArgmax(*w, source, oh, ow);
        r.data[(plane * w->out[0] + oh) * w->out[1] + ow] = best < 0 ? -INFINITY : source[best];
      }
  }
  out.push_back(std::move(r));
  return success();
}

// avg_pool2d: the divisor is the kernel area with count_include_pad, else the number
// of taps inside the input (windows never reach past the padding without ceil_mode).
LogicalResult avgPool(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  auto w = poolWindow(op, x);
  if (mlir::failed(w)) return failure();
  bool includePad = boolAttr(op, "count_include_pad");
  Tensor r = Tensor::zeros(x.dtype, w->outputShape(w->channels));
  for (int64_t plane = 0; plane < w->batch * w->channels; ++plane) {
    const double *source = x.data.data() + plane * w->inArea();
    for (int64_t oh = 0; oh < w->out[0]; ++oh)
      for (int64_t ow = 0; ow < w->out[1]; ++ow) {
        double sum = 0.0;
        int64_t taps = 0;
        w->forEachTap(oh, ow, [&](int64_t, int64_t, int64_t ih, int64_t iw) {
          sum += source[ih * w->in[1] + iw];
          ++taps;
        });
        r.data[(plane * w->out[0] + oh) * w->out[1] + ow] = sum / double(includePad ? w->kernelArea() : taps);
      }
  }
  out.push_back(std::move(r));
  return success();
}

// [N, C, spatial...] -> [N, C]: the mean over the spatial axes.
LogicalResult globalAvgPool(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  if (x.rank() < 3) return kernelError(op) << "input must be [N, C, spatial...]";
  int64_t planes = x.shape[0] * x.shape[1], area = x.numel() / planes;
  Tensor r = Tensor::zeros(x.dtype, {x.shape[0], x.shape[1]});
  for (int64_t p = 0; p < planes; ++p) {
    double sum = 0.0;
    for (int64_t i = 0; i < area; ++i) sum += x.data[p * area + i];
    r.data[p] = sum / double(area);
  }
  out.push_back(std::move(r));
  return success();
}

} // namespace

void registerConvPoolKernels(KernelTable &table) {
  table["nn.conv1d"] = conv;
  table["nn.conv2d"] = conv;
  table["nn.max_pool1d"] = maxPool;
  table["nn.max_pool2d"] = maxPool;
  table["nn.avg_pool2d"] = avgPool;
  table["nn.global_avg_pool"] = globalAvgPool;
}

} // namespace nnc::interp
