// Shape kernels: reshape, flatten, transpose, concat, slice, pad, split, broadcast_to.
#include "KernelSupport.h"

namespace nnc::interp {
using namespace kernel;

namespace {

LogicalResult reshape(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  Shape shape(arrayAttr(op, "shape").begin(), arrayAttr(op, "shape").end());
  int64_t known = 1, inferred = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1 && inferred < 0) inferred = int64_t(i);
    else if (shape[i] > 0) known *= shape[i];
    else return kernelError(op) << "bad shape entry " << shape[i];
  }
  if (inferred >= 0 && x.numel() % known == 0) shape[inferred] = x.numel() / known;
  if (product(shape) != x.numel())
    return kernelError(op) << "cannot reshape " << x.typeString() << " to "
                           << mlir::nn::formatShape(arrayAttr(op, "shape"));
  Tensor r = x;
  r.shape = shape;
  out.push_back(std::move(r));
  return success();
}

// Merges axes start_axis..end_axis (inclusive); a 0-d input counts as rank 1.
LogicalResult flatten(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  int64_t rank = std::max<int64_t>(x.rank(), 1);
  auto start = normalizeAxis(op, intAttr(op, "start_axis"), rank, "start_axis");
  auto end = normalizeAxis(op, intAttr(op, "end_axis"), rank, "end_axis");
  if (mlir::failed(start) || mlir::failed(end)) return failure();
  if (*start > *end) return kernelError(op) << "start_axis comes after end_axis";
  Shape shape(x.shape.begin(), x.shape.begin() + std::min(*start, x.rank()));
  int64_t merged = 1;
  for (int64_t i = *start; i <= *end && i < x.rank(); ++i) merged *= x.shape[i];
  shape.push_back(merged);
  for (int64_t i = *end + 1; i < x.rank(); ++i) shape.push_back(x.shape[i]);
  Tensor r = x;
  r.shape = shape;
  out.push_back(std::move(r));
  return success();
}

// Result axis i is input axis perm[i]; an empty perm reverses the axes.
LogicalResult transpose(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  Shape perm(arrayAttr(op, "perm").begin(), arrayAttr(op, "perm").end());
  if (perm.empty())
    for (int64_t i = x.rank() - 1; i >= 0; --i) perm.push_back(i);
  std::vector<bool> seen(x.rank(), false);
  if (int64_t(perm.size()) != x.rank()) return kernelError(op) << "perm has the wrong length";
  for (int64_t p : perm) {
    if (p < 0 || p >= x.rank() || seen[p]) return kernelError(op) << "perm is not a permutation";
    seen[p] = true;
  }
  Shape shape, inStrides = x.strides(), strides;
  for (int64_t p : perm) shape.push_back(x.shape[p]), strides.push_back(inStrides[p]);
  Tensor r = Tensor::zeros(x.dtype, shape);
  forEachIndex(shape, [&](llvm::ArrayRef<int64_t> index, int64_t linear) {
    int64_t source = 0;
    for (size_t i = 0; i < index.size(); ++i) source += index[i] * strides[i];
    r.data[linear] = x.data[source];
  });
  out.push_back(std::move(r));
  return success();
}

LogicalResult concat(Operation *op, Operands in, Results &out) {
  const Tensor &first = *in[0];
  if (first.rank() == 0) return kernelError(op) << "cannot concatenate 0-d tensors";
  auto axis = normalizeAxis(op, intAttr(op, "axis"), first.rank());
  if (mlir::failed(axis)) return failure();
  Shape shape = first.shape;
  shape[*axis] = 0;
  for (const Tensor *t : in) {
    bool fits = t->rank() == first.rank();
    for (int64_t d = 0; fits && d < first.rank(); ++d) fits = d == *axis || t->shape[d] == first.shape[d];
    if (!fits) return kernelError(op) << t->typeString() << " does not match " << first.typeString();
    shape[*axis] += t->shape[*axis];
  }
  Tensor r = Tensor::zeros(first.dtype, shape);
  AxisSplit s = splitAt(shape, *axis);
  int64_t offset = 0; // along the axis
  for (const Tensor *t : in) {
    AxisSplit ts = splitAt(t->shape, *axis);
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t i = 0; i < ts.size; ++i)
        for (int64_t k = 0; k < s.inner; ++k) r.data[s.at(o, offset + i, k)] = t->data[ts.at(o, i, k)];
    offset += ts.size;
  }
  out.push_back(std::move(r));
  return success();
}

// Indices start, start + step, ... below end along `axis`, with Python's rules: negative
// start/end count from the end and both clamp to the axis.
LogicalResult slice(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  if (x.rank() == 0) return kernelError(op) << "cannot slice a 0-d tensor";
  auto axis = normalizeAxis(op, intAttr(op, "axis"), x.rank());
  if (mlir::failed(axis)) return failure();
  int64_t size = x.shape[*axis], step = intAttr(op, "step");
  auto clampIndex = [&](int64_t i) {
    if (i < 0) i = i < -size ? 0 : i + size;
    return std::min(i, size);
  };
  int64_t start = clampIndex(intAttr(op, "start")), end = clampIndex(intAttr(op, "end"));
  if (step < 1 || end <= start) return kernelError(op) << "the slice is empty or its step is not positive";
  Shape shape = x.shape;
  shape[*axis] = (end - start + step - 1) / step;
  Tensor r = Tensor::zeros(x.dtype, shape);
  AxisSplit s = splitAt(x.shape, *axis), rs = splitAt(shape, *axis);
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < rs.size; ++i)
      for (int64_t k = 0; k < s.inner; ++k) r.data[rs.at(o, i, k)] = x.data[s.at(o, start + i * step, k)];
  out.push_back(std::move(r));
  return success();
}

LogicalResult pad(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  llvm::ArrayRef<int64_t> low = arrayAttr(op, "low"), high = arrayAttr(op, "high");
  if (int64_t(low.size()) != x.rank() || int64_t(high.size()) != x.rank())
    return kernelError(op) << "low and high need one entry per axis";
  Shape shape = x.shape;
  for (int64_t i = 0; i < x.rank(); ++i) {
    if (low[i] < 0 || high[i] < 0) return kernelError(op) << "padding amounts must be non-negative";
    shape[i] += low[i] + high[i];
  }
  Tensor r = Tensor::zeros(x.dtype, shape);
  r.data.assign(r.data.size(), floatAttr(op, "value"));
  std::vector<int64_t> strides = r.strides();
  forEachIndex(x.shape, [&](llvm::ArrayRef<int64_t> index, int64_t linear) {
    int64_t target = 0;
    for (size_t i = 0; i < index.size(); ++i) target += (index[i] + low[i]) * strides[i];
    r.data[target] = x.data[linear];
  });
  out.push_back(std::move(r));
  return success();
}

LogicalResult split(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  if (x.rank() == 0) return kernelError(op) << "cannot split a 0-d tensor";
  auto axis = normalizeAxis(op, intAttr(op, "axis"), x.rank());
  if (mlir::failed(axis)) return failure();
  llvm::ArrayRef<int64_t> sections = arrayAttr(op, "sections");
  int64_t total = 0;
  for (int64_t section : sections) total += section > 0 ? section : x.shape[*axis] + 1;
  if (total != x.shape[*axis])
    return kernelError(op) << "sections " << mlir::nn::formatShape(sections) << " do not add up to "
                           << x.shape[*axis];
  AxisSplit s = splitAt(x.shape, *axis);
  int64_t offset = 0;
  for (int64_t section : sections) {
    Shape shape = x.shape;
    shape[*axis] = section;
    Tensor r = Tensor::zeros(x.dtype, shape);
    for (int64_t o = 0; o < s.outer; ++o)
      for (int64_t i = 0; i < section; ++i)
        for (int64_t k = 0; k < s.inner; ++k)
          r.data[(o * section + i) * s.inner + k] = x.data[s.at(o, offset + i, k)];
    offset += section;
    out.push_back(std::move(r));
  }
  return success();
}

LogicalResult broadcastTo(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0];
  Shape shape(arrayAttr(op, "shape").begin(), arrayAttr(op, "shape").end());
  auto merged = broadcastShapes(x.shape, shape);
  if (!merged || *merged != shape)
    return kernelError(op) << x.typeString() << " does not broadcast to " << mlir::nn::formatShape(shape);
  Tensor r = Tensor::zeros(x.dtype, shape);
  std::vector<int64_t> source = broadcastIndices(x.shape, shape);
  for (size_t i = 0; i < r.data.size(); ++i) r.data[i] = x.data[source[i]];
  out.push_back(std::move(r));
  return success();
}

} // namespace

void registerShapeKernels(KernelTable &table) {
  table["nn.reshape"] = reshape;
  table["nn.flatten"] = flatten;
  table["nn.transpose"] = transpose;
  table["nn.concat"] = concat;
  table["nn.slice"] = slice;
  table["nn.pad"] = pad;
  table["nn.split"] = split;
  table["nn.broadcast_to"] = broadcastTo;
}

} // namespace nnc::interp
