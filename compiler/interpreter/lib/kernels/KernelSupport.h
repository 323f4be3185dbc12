// Helpers shared by the interpreter's kernels (private to lib/kernels): attribute access,
// located errors, broadcast index mapping, axis splitting, reductions and the NCHW window
// geometry of convolutions and poolings.
#pragma once

#include "interpreter/Interpreter.h"

#include "nn/RuleSupport.h"

#include "mlir/IR/Operation.h"
#include "llvm/ADT/ArrayRef.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

namespace nnc::interp::kernel {

using mlir::failure;
using mlir::FailureOr;
using mlir::LogicalResult;
using mlir::Operation;
using mlir::success;
using mlir::nn::arrayAttr;
using mlir::nn::boolAttr;
using mlir::nn::floatAttr;
using mlir::nn::intAttr;
using mlir::nn::stringAttr;
using Operands = llvm::ArrayRef<const Tensor *>;
using Results = std::vector<Tensor>;
using Shape = std::vector<int64_t>;

// An error at the op, starting "<op name>: " as the shape rules' errors do.
inline mlir::InFlightDiagnostic kernelError(Operation *op) { return mlir::nn::ruleError(op); }

// The element type named by a dtype attribute (f32 f64 i32 i64 i1), or nullopt.
inline std::optional<DType> parseDType(llvm::StringRef name) {
  if (name == "f32") return DType::F32;
  if (name == "f64") return DType::F64;
  if (name == "i1") return DType::I1;
  if (name == "i32") return DType::I32;
  if (name == "i64") return DType::I64;
  return std::nullopt;
}

// `axis` in [-rank, rank) made non-negative (a located error otherwise).
inline FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                        llvm::StringRef name = "axis") {
  return mlir::nn::normalizeAxis(op, axis, rank, name);
}

inline int64_t product(llvm::ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

// Calls fn(index, linear) for every multi-index of `shape` in row-major order.
template <typename Fn> void forEachIndex(llvm::ArrayRef<int64_t> shape, Fn fn) {
  int64_t total = product(shape);
  std::vector<int64_t> index(shape.size(), 0);
  for (int64_t linear = 0; linear < total; ++linear) {
    fn(llvm::ArrayRef<int64_t>(index), linear);
    for (int64_t axis = int64_t(shape.size()) - 1; axis >= 0; --axis) {
      if (++index[axis] < shape[axis]) break;
      index[axis] = 0;
    }
  }
}

//===----------------------------------------------------------------------===//
// Broadcasting
//===----------------------------------------------------------------------===//

// NumPy broadcast of two shapes, or nullopt when they do not fit.
inline std::optional<Shape> broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) return std::nullopt;
    shape[i] = da == 1 ? db : da;
  }
  return shape;
}

// For every element of `out` in row-major order, the linear index of the element of a
// tensor of shape `in` that broadcasts to it (`in` aligned at the trailing axis, size-1
// and missing axes repeated). `in` must broadcast to `out`.
inline std::vector<int64_t> broadcastIndices(llvm::ArrayRef<int64_t> in, llvm::ArrayRef<int64_t> out) {
  size_t lead = out.size() - in.size();
  // The stride of each output axis in the input: 0 where the input repeats.
  std::vector<int64_t> stride(out.size(), 0);
  int64_t s = 1;
  for (int64_t i = int64_t(in.size()) - 1; i >= 0; --i) {
    stride[lead + i] = in[i] == 1 ? 0 : s;
    s *= in[i];
  }
  std::vector<int64_t> indices(size_t(product(out)));
  forEachIndex(out, [&](llvm::ArrayRef<int64_t> index, int64_t linear) {
    int64_t offset = 0;
    for (size_t axis = 0; axis < index.size(); ++axis) offset += index[axis] * stride[axis];
    indices[linear] = offset;
  });
  return indices;
}

// Broadcasts `operands` together; a located error when they do not fit.
inline FailureOr<Shape> broadcastOperands(Operation *op, llvm::ArrayRef<const Tensor *> operands) {
  Shape shape;
  for (const Tensor *t : operands) {
    auto merged = broadcastShapes(shape, t->shape);
    if (!merged)
      return kernelError(op) << "cannot broadcast " << operands[0]->typeString() << " with "
                             << t->typeString(), failure();
    shape = *merged;
  }
  return shape;
}

//===----------------------------------------------------------------------===//
// Axes and reductions
//===----------------------------------------------------------------------===//

// A shape seen as [outer, size, inner] around one axis; element (o, i, k) is at
// (o * size + i) * inner + k.
struct AxisSplit {
  int64_t outer = 1, size = 1, inner = 1;
  int64_t at(int64_t o, int64_t i, int64_t k) const { return (o * size + i) * inner + k; }
};

inline AxisSplit splitAt(llvm::ArrayRef<int64_t> shape, int64_t axis) {
  return {product(shape.take_front(axis)), shape[axis], product(shape.drop_front(axis + 1))};
}

// For every element of `shape`, the linear index of the element it reduces into once
// the axes marked in `reduced` are removed (or kept as size 1; the index is the same).
inline std::vector<int64_t> reducedIndices(llvm::ArrayRef<int64_t> shape, const std::vector<bool> &reduced) {
  Shape kept(shape.begin(), shape.end());
  for (size_t i = 0; i < shape.size(); ++i)
    if (reduced[i]) kept[i] = 1;
  // A kept-as-1 axis is exactly a broadcast axis: reuse the broadcast mapping backwards.
  return broadcastIndices(kept, shape);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling windows (NCHW; a 1-d op is a 2-d one with H = 1)
//===----------------------------------------------------------------------===//

struct Window {
  int64_t spatialRank = 2;     // 1 or 2: how the op's tensors are shaped
  int64_t batch = 1, channels = 1;
  int64_t in[2] = {1, 1}, out[2] = {1, 1};
  int64_t kernel[2] = {1, 1}, stride[2] = {1, 1}, pad[2] = {0, 0}, dilation[2] = {1, 1};

  int64_t inArea() const { return in[0] * in[1]; }
  int64_t outArea() const { return out[0] * out[1]; }
  int64_t kernelArea() const { return kernel[0] * kernel[1]; }
  // [batch, channels, out...] in the op's spatial rank.
  Shape outputShape(int64_t outChannels) const {
    Shape shape{batch, outChannels};
    for (int64_t i = 2 - spatialRank; i < 2; ++i) shape.push_back(out[i]);
    return shape;
  }
  Shape inputShape(int64_t inChannels) const {
    Shape shape{batch, inChannels};
    for (int64_t i = 2 - spatialRank; i < 2; ++i) shape.push_back(in[i]);
    return shape;
  }

  // Calls fn(kh, kw, ih, iw) for every kernel tap of output position (oh, ow) that falls
  // inside the input, in row-major tap order; taps in the padding are skipped.
  template <typename Fn> void forEachTap(int64_t oh, int64_t ow, Fn fn) const {
    for (int64_t kh = 0; kh < kernel[0]; ++kh) {
      int64_t ih = oh * stride[0] - pad[0] + kh * dilation[0];
      if (ih < 0 || ih >= in[0]) continue;
      for (int64_t kw = 0; kw < kernel[1]; ++kw) {
        int64_t iw = ow * stride[1] - pad[1] + kw * dilation[1];
        if (iw < 0 || iw >= in[1]) continue;
        fn(kh, kw, ih, iw);
      }
    }
  }
};

// The window geometry of an op over `inputShape` [N, C, spatial...] (1 or 2 spatial axes)
// with spatial attributes of one entry per axis. Output sizes are
// (in + 2·pad - dilation·(kernel - 1) - 1) / stride + 1 and must be at least 1.
inline FailureOr<Window> makeWindow(Operation *op, llvm::ArrayRef<int64_t> inputShape,
                                    llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> stride,
                                    llvm::ArrayRef<int64_t> padding,
                                    llvm::ArrayRef<int64_t> dilation) {
  int64_t n = int64_t(inputShape.size()) - 2;
  if (n != 1 && n != 2)
    return kernelError(op) << "the interpreter handles 1 or 2 spatial axes, got an input of rank "
                           << inputShape.size(), failure();
  for (auto attr : {kernel, stride, padding, dilation})
    if (int64_t(attr.size()) != n)
      return kernelError(op) << "spatial attributes need " << n << " entries", failure();
  Window w;
  w.spatialRank = n;
  w.batch = inputShape[0];
  w.channels = inputShape[1];
  for (int64_t i = 0; i < n; ++i) {
    int64_t a = 2 - n + i; // 1-d ops use the W axis
    w.in[a] = inputShape[2 + i];
    w.kernel[a] = kernel[i];
    w.stride[a] = stride[i];
    w.pad[a] = padding[i];
    w.dilation[a] = dilation[i];
    if (kernel[i] < 1 || stride[i] < 1 || padding[i] < 0 || dilation[i] < 1)
      return kernelError(op) << "kernel, stride and dilation must be positive and padding "
                                "non-negative", failure();
    int64_t span = dilation[i] * (kernel[i] - 1) + 1;
    if (w.in[a] + 2 * padding[i] < span)
      return kernelError(op) << "spatial axis " << i << " of size " << w.in[a]
                             << " is smaller than the window (" << span << ")", failure();
    w.out[a] = (w.in[a] + 2 * padding[i] - span) / stride[i] + 1;
  }
  return w;
}

// A spatial attribute expanded to `n` entries (one entry applies to every axis; an empty
// one takes `fallback`).
inline FailureOr<Shape> spatialAttr(Operation *op, llvm::StringRef name, int64_t n,
                                    std::optional<llvm::ArrayRef<int64_t>> fallback = std::nullopt) {
  auto values = mlir::nn::expandSpatial(op, name, n, fallback);
  if (mlir::failed(values)) return failure();
  return Shape(values->begin(), values->end());
}

// The position of the first maximum of a max pooling's window (PyTorch's scan: row-major,
// padding excluded, a NaN wins), as an index into the H×W plane of the input.
inline int64_t windowArgmax(const Window &w, const double *plane, int64_t oh, int64_t ow) {
  int64_t best = -1;
  double bestValue = -std::numeric_limits<double>::infinity();
  w.forEachTap(oh, ow, [&](int64_t, int64_t, int64_t ih, int64_t iw) {
    double v = plane[ih * w.in[1] + iw];
    if (best < 0) best = ih * w.in[1] + iw; // the first valid tap, even if -inf
    if (v > bestValue || std::isnan(v)) {
      bestValue = v;
      best = ih * w.in[1] + iw;
    }
  });
  return best;
}

} // namespace nnc::interp::kernel
