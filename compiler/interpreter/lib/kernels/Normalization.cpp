// Normalization, dropout and embedding kernels: batch_norm (evaluation form: running
// statistics), batch_norm_train (batch statistics), layer_norm, dropout (evaluation
// form: identity), embedding.
#include "KernelSupport.h"

namespace nnc::interp {
using namespace kernel;

namespace {

// Checks that every per-channel operand from `first` on is [C] for input [N, C, ...].
LogicalResult checkChannelOperands(Operation *op, Operands in, size_t first) {
  const Tensor &x = *in[0];
  if (x.rank() < 2) return kernelError(op) << "input must be [N, C] or [N, C, spatial...]";
  for (size_t i = first; i < in.size(); ++i)
    if (in[i]->rank() != 1 || in[i]->shape[0] != x.shape[1])
      return kernelError(op) << "per-channel operand " << in[i]->typeString() << " does not fit input "
                             << x.typeString();
  return success();
}

// y = (x - mean[c]) / sqrt(var[c] + eps) * gamma[c] + beta[c] over [N, C, inner].
Tensor normalizeChannels(const Tensor &x, const double *mean, const double *var, const Tensor &gamma,
                         const Tensor &beta, double eps) {
  AxisSplit s = splitAt(x.shape, 1);
  Tensor y = Tensor::zeros(x.dtype, x.shape);
  for (int64_t n = 0; n < s.outer; ++n)
    for (int64_t c = 0; c < s.size; ++c) {
      double scale = gamma.data[c] / std::sqrt(var[c] + eps);
      for (int64_t k = 0; k < s.inner; ++k) {
        int64_t i = s.at(n, c, k);
        y.data[i] = (x.data[i] - mean[c]) * scale + beta.data[c];
      }
    }
  return y;
}

LogicalResult batchNorm(Operation *op, Operands in, Results &out) {
  if (mlir::failed(checkChannelOperands(op, in, 1))) return failure();
  out.push_back(normalizeChannels(*in[0], in[3]->data.data(), in[4]->data.data(), *in[1], *in[2],
                                  floatAttr(op, "eps")));
  return success();
}

// Normalizes with the batch mean and biased variance over every axis but the channel
// axis; returns (y, mean, variance).
LogicalResult batchNormTrain(Operation *op, Operands in, Results &out) {
  if (mlir::failed(checkChannelOperands(op, in, 1))) return failure();
  const Tensor &x = *in[0];
  AxisSplit s = splitAt(x.shape, 1);
  double count = double(s.outer * s.inner);
  Tensor mean = Tensor::zeros(x.dtype, {s.size}), var = Tensor::zeros(x.dtype, {s.size});
  for (int64_t c = 0; c < s.size; ++c) {
    double sum = 0.0, squares = 0.0;
    for (int64_t n = 0; n < s.outer; ++n)
      for (int64_t k = 0; k < s.inner; ++k) sum += x.data[s.at(n, c, k)];
    mean.data[c] = sum / count;
    for (int64_t n = 0; n < s.outer; ++n)
      for (int64_t k = 0; k < s.inner; ++k) {
        double d = x.data[s.at(n, c, k)] - mean.data[c];
        squares += d * d;
      }
    var.data[c] = squares / count;
  }
  out.push_back(normalizeChannels(x, mean.data.data(), var.data.data(), *in[1], *in[2], floatAttr(op, "eps")));
  out.push_back(std::move(mean));
  out.push_back(std::move(var));
  return success();
}

// Normalizes over the trailing axes of gamma's shape (biased variance), then scales and
// shifts elementwise.
LogicalResult layerNorm(Operation *op, Operands in, Results &out) {
  const Tensor &x = *in[0], &gamma = *in[1], &beta = *in[2];
  bool fits = gamma.rank() >= 1 && gamma.rank() <= x.rank() && beta.shape == gamma.shape &&
              std::equal(gamma.shape.begin(), gamma.shape.end(), x.shape.end() - gamma.rank());
  if (!fits)
    return kernelError(op) << "gamma " << gamma.typeString() << " and beta " << beta.typeString()
                           << " must match the trailing axes of " << x.typeString();
  int64_t width = gamma.numel(), rows = x.numel() / width;
  double eps = floatAttr(op, "eps");
  Tensor y = Tensor::zeros(x.dtype, x.shape);
  for (int64_t r = 0; r < rows; ++r) {
    const double *row = x.data.data() + r * width;
    double mean = 0.0, var = 0.0;
    for (int64_t j = 0; j < width; ++j) mean += row[j];
    mean /= double(width);
    for (int64_t j = 0; j < width; ++j) var += (row[j] - mean) * (row[j] - mean);
    var /= double(width);
    double inv = 1.0 / std::sqrt(var + eps);
    for (int64_t j = 0; j < width; ++j)
      y.data[r * width + j] = (row[j] - mean) * inv * gamma.data[j] + beta.data[j];
  }
  out.push_back(std::move(y));
  return success();
}

LogicalResult dropout(Operation *, Operands in, Results &out) {
  out.push_back(*in[0]);
  return success();
}

// Rows of table [V, D] selected by integer indices [...]: [..., D].
LogicalResult embedding(Operation *op, Operands in, Results &out) {
  const Tensor &indices = *in[0], &table = *in[1];
  if (table.rank() != 2) return kernelError(op) << "table must be [V, D], got " << table.typeString();
  int64_t rows = table.shape[0], width = table.shape[1];
  Shape shape = indices.shape;
  shape.push_back(width);
  Tensor r = Tensor::zeros(table.dtype, shape);
  for (int64_t i = 0; i < indices.numel(); ++i) {
    double index = indices.data[i];
    if (!(index >= 0 && index < double(rows)))
      return kernelError(op) << "index " << int64_t(index) << " (element " << i
                             << " of the indices) is out of range for a table of " << rows << " rows";
    std::copy_n(table.data.begin() + int64_t(index) * width, width, r.data.begin() + i * width);
  }
  out.push_back(std::move(r));
  return success();
}

} // namespace

void registerNormalizationKernels(KernelTable &table) {
  table["nn.batch_norm"] = batchNorm;
  table["nn.batch_norm_train"] = batchNormTrain;
  table["nn.layer_norm"] = layerNorm;
  table["nn.dropout"] = dropout;
  table["nn.embedding"] = embedding;
}

} // namespace nnc::interp
