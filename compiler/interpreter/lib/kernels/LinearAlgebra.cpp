// Linear algebra kernels: linear, matmul and batch_matmul (broadcast batch axes).
#include "KernelSupport.h"

namespace nnc::interp {
using namespace kernel;

namespace {

// input [..., in] · weight[out, in]ᵀ + bias[out].
LogicalResult linear(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0], &w = *in[1];
  const Tensor *bias = in.size() == 3 ? in[2] : nullptr;
  if (x.rank() < 1 || w.rank() != 2 || w.shape[1] != x.shape.back() ||
      (bias && (bias->rank() != 1 || bias->shape[0] != w.shape[0])))
    return kernelError(op) << "input " << x.typeString() << ", weight " << w.typeString()
                           << (bias ? " and bias " + bias->typeString() : std::string())
                           << " do not fit";
  int64_t features = w.shape[1], outFeatures = w.shape[0], rows = x.numel() / features;
  Shape shape = x.shape;
  shape.back() = outFeatures;
  Tensor r = Tensor::zeros(x.dtype, shape);
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t o = 0; o < outFeatures; ++o) {
      double acc = bias ? bias->data[o] : 0.0;
      for (int64_t k = 0; k < features; ++k) acc += x.data[i * features + k] * w.data[o * features + k];
      r.data[i * outFeatures + o] = acc;
    }
  out.push_back(std::move(r));
  return success();
}

// op(lhs) · op(rhs) over the last two axes, op transposing when transpose_a/_b is set;
// leading (batch) axes broadcast. matmul takes rank 2 only, batch_matmul rank >= 3.
LogicalResult matmul(Operation *op, Operands in, Results &out) {
  const Tensor &a = *in[0], &b = *in[1];
  bool batched = op->getName().getStringRef() == "nn.batch_matmul";
  bool ranksOk = batched ? a.rank() >= 3 && b.rank() >= 3 : a.rank() == 2 && b.rank() == 2;
  if (!ranksOk) return kernelError(op) << "operands " << a.typeString() << " and " << b.typeString() << " have the wrong rank";
  bool ta = boolAttr(op, "transpose_a"), tb = boolAttr(op, "transpose_b");
  int64_t ar = a.rank(), br = b.rank();
  int64_t m = a.shape[ta ? ar - 1 : ar - 2], k = a.shape[ta ? ar - 2 : ar - 1];
  int64_t k2 = b.shape[tb ? br - 1 : br - 2], n = b.shape[tb ? br - 2 : br - 1];
  Shape aBatch(a.shape.begin(), a.shape.end() - 2), bBatch(b.shape.begin(), b.shape.end() - 2);
  auto batch = broadcastShapes(aBatch, bBatch);
  if (k != k2 || !batch)
    return kernelError(op) << "cannot multiply " << a.typeString() << " by " << b.typeString();
  std::vector<int64_t> ai = broadcastIndices(aBatch, *batch), bi = broadcastIndices(bBatch, *batch);
  Shape shape = *batch;
  shape.push_back(m);
  shape.push_back(n);
  Tensor r = Tensor::zeros(a.dtype, shape);
  for (size_t s = 0; s < ai.size(); ++s) {
    const double *pa = a.data.data() + ai[s] * m * k, *pb = b.data.data() + bi[s] * k * n;
    double *pr = r.data.data() + int64_t(s) * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double acc = 0.0;
        for (int64_t p = 0; p < k; ++p)
          acc += (ta ? pa[p * m + i] : pa[i * k + p]) * (tb ? pb[j * k + p] : pb[p * n + j]);
        pr[i * n + j] = acc;
      }
  }
  out.push_back(std::move(r));
  return success();
}

} // namespace

void registerLinearAlgebraKernels(KernelTable &table) {
  table["nn.linear"] = linear;
  table["nn.matmul"] = matmul;
  table["nn.batch_matmul"] = matmul;
}

} // namespace nnc::interp
