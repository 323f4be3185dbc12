// Softmax, log_softmax, sum/mean/max over axes, and argmax.
#include "KernelSupport.h"

namespace nnc::interp {
using namespace kernel;

namespace {

// Stable softmax (log = false) or log_softmax along `axis`: x - max is exponentiated.
LogicalResult softmax(Operation *op, Operands in, Results &out, bool log) {
  const Tensor &x = *in[0];
  if (x.rank() == 0) return kernelError(op) << "input must have rank >= 1";
  auto axis = normalizeAxis(op, intAttr(op, "axis"), x.rank());
  if (mlir::failed(axis)) return failure();
  AxisSplit s = splitAt(x.shape, *axis);
  Tensor r = Tensor::zeros(x.dtype, x.shape);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) {
      double max = -INFINITY;
      for (int64_t i = 0; i < s.size; ++i) max = std::max(max, x.data[s.at(o, i, k)]);
      double sum = 0.0;
      for (int64_t i = 0; i < s.size; ++i) sum += std::exp(x.data[s.at(o, i, k)] - max);
      for (int64_t i = 0; i < s.size; ++i) {
        double shifted = x.data[s.at(o, i, k)] - max;
        r.data[s.at(o, i, k)] = log ? shifted - std::log(sum) : std::exp(shifted) / sum;
      }
    }
  out.push_back(std::move(r));
  return success();
}

enum class Reduce { Sum, Mean, Max };

// sum/mean/max over `axes` (all when empty), keeping reduced axes as 1 with `keepdims`.
LogicalResult reduce(Operation *op, Operands in, Results &out, Reduce kind) {
  const Tensor &x = *in[0];
  std::vector<bool> reduced(x.rank(), false);
  llvm::ArrayRef<int64_t> axes = arrayAttr(op, "axes");
  if (axes.empty()) reduced.assign(x.rank(), true);
  for (int64_t a : axes) {
    auto axis = normalizeAxis(op, a, x.rank(), "axes entry");
    if (mlir::failed(axis)) return failure();
    if (reduced[*axis]) return kernelError(op) << "axis " << a << " is listed twice in axes";
    reduced[*axis] = true;
  }
  bool keepdims = boolAttr(op, "keepdims");
  Shape shape;
  int64_t count = 1;
  for (int64_t i = 0; i < x.rank(); ++i) {
    if (!reduced[i]) shape.push_back(x.shape[i]);
    else if (keepdims) shape.push_back(1);
    if (reduced[i]) count *= x.shape[i];
  }
  Tensor r = Tensor::zeros(x.dtype, shape);
  if (kind == Reduce::Max) r.data.assign(r.data.size(), -INFINITY);
  std::vector<int64_t> target = reducedIndices(x.shape, reduced);
  for (size_t i = 0; i < x.data.size(); ++i) {
    double &acc = r.data[target[i]], v = x.data[i];
    if (kind != Reduce::Max) acc += v;
    else if (std::isnan(v) || v > acc) acc = v; // NaN propagates, as torch.amax
  }
  if (kind == Reduce::Mean)
    for (double &v : r.data) v /= double(count);
  out.push_back(std::move(r));
  return success();
}

// The first index of the maximum along `axis` (a NaN counts as the maximum, as in
// torch.argmax), as i64.
LogicalResult argmax(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  if (x.rank() == 0) return kernelError(op) << "input must have rank >= 1";
  auto axis = normalizeAxis(op, intAttr(op, "axis"), x.rank());
  if (mlir::failed(axis)) return failure();
  AxisSplit s = splitAt(x.shape, *axis);
  Shape shape = x.shape;
  if (boolAttr(op, "keepdims")) shape[*axis] = 1;
  else shape.erase(shape.begin() + *axis);
  Tensor r = Tensor::zeros(DType::I64, shape);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t k = 0; k < s.inner; ++k) {
      int64_t best = 0;
      for (int64_t i = 1; i < s.size; ++i) {
        double v = x.data[s.at(o, i, k)], b = x.data[s.at(o, best, k)];
        if (!std::isnan(b) && (v > b || std::isnan(v))) best = i;
      }
      r.data[o * s.inner + k] = double(best);
    }
  out.push_back(std::move(r));
  return success();
}

} // namespace

void registerReductionKernels(KernelTable &table) {
  table["nn.softmax"] = [](Operation *op, Operands in, Results &out) { return softmax(op, in, out, false); };
  table["nn.log_softmax"] = [](Operation *op, Operands in, Results &out) { return softmax(op, in, out, true); };
  table["nn.sum"] = [](Operation *op, Operands in, Results &out) { return reduce(op, in, out, Reduce::Sum); };
  table["nn.mean"] = [](Operation *op, Operands in, Results &out) { return reduce(op, in, out, Reduce::Mean); };
  table["nn.max"] = [](Operation *op, Operands in, Results &out) { return reduce(op, in, out, Reduce::Max); };
  table["nn.argmax"] = argmax;
}

} // namespace nnc::interp
