// Losses and metrics (class axis last): cross_entropy, nll, mse, bce_with_logits, hinge,
// accuracy, binary_accuracy. `reduction` is mean (over every example), sum or none.
#include "KernelSupport.h"

namespace nnc::interp {
using namespace kernel;

namespace {

// Applies the op's `reduction` to the per-example losses.
LogicalResult reduceLoss(Operation *op, Tensor perExample, Results &out) {
  llvm::StringRef reduction = stringAttr(op, "reduction");
  if (reduction == "none") {
    out.push_back(std::move(perExample));
    return success();
  }
  if (reduction != "mean" && reduction != "sum")
    return kernelError(op) << "unknown reduction '" << reduction << "'";
  double sum = 0.0;
  for (double v : perExample.data) sum += v;
  if (reduction == "mean") sum /= double(perExample.numel());
  out.push_back(Tensor::scalar(perExample.dtype, sum));
  return success();
}

// Checks scores [..., C] against labels [...]; returns C.
FailureOr<int64_t> classCount(Operation *op, const Tensor &scores, const Tensor &labels) {
  if (scores.rank() < 1 || Shape(scores.shape.begin(), scores.shape.end() - 1) != labels.shape)
    return kernelError(op) << "labels " << labels.typeString() << " must have the shape of "
                           << scores.typeString() << " without its last axis", failure();
  return scores.shape.back();
}

// The label of example `i` as an index, or a located error when it is not in [0, C).
FailureOr<int64_t> labelAt(Operation *op, const Tensor &labels, int64_t i, int64_t classes) {
  double label = labels.data[i];
  if (!(label >= 0 && label < double(classes)))
    return kernelError(op) << "label " << int64_t(label) << " of example " << i
                           << " is out of range for " << classes << " classes", failure();
  return int64_t(label);
}

// Per example: logsumexp(x) - x[label], with PyTorch's label smoothing ε:
// (1 - ε)·(-log p[label]) + ε·mean_c(-log p[c]).
LogicalResult crossEntropy(Operation *op, Operands in, Results &out) {
  const Tensor &logits = *in[0], &labels = *in[1];
  auto classes = classCount(op, logits, labels);
  if (mlir::failed(classes)) return failure();
  double smoothing = floatAttr(op, "label_smoothing");
  Tensor loss = Tensor::zeros(logits.dtype, labels.shape);
  for (int64_t i = 0; i < labels.numel(); ++i) {
    auto label = labelAt(op, labels, i, *classes);
    if (mlir::failed(label)) return failure();
    const double *row = logits.data.data() + i * *classes;
    double max = -INFINITY, sum = 0.0, sumLogits = 0.0;
    for (int64_t c = 0; c < *classes; ++c) max = std::max(max, row[c]);
    for (int64_t c = 0; c < *classes; ++c) sum += std::exp(row[c] - max), sumLogits += row[c];
    double lse = max + std::log(sum);
    double nll = lse - row[*label], uniform = lse - sumLogits / double(*classes);
    loss.data[i] = (1.0 - smoothing) * nll + smoothing * uniform;
  }
  return reduceLoss(op, std::move(loss), out);
}

LogicalResult nll(Operation *op, Operands in, Results &out) {
  const Tensor &logProbs = *in[0], &labels = *in[1];
  auto classes = classCount(op, logProbs, labels);
  if (mlir::failed(classes)) return failure();
  Tensor loss = Tensor::zeros(logProbs.dtype, labels.shape);
  for (int64_t i = 0; i < labels.numel(); ++i) {
    auto label = labelAt(op, labels, i, *classes);
    if (mlir::failed(label)) return failure();
    loss.data[i] = -logProbs.data[i * *classes + *label];
  }
  return reduceLoss(op, std::move(loss), out);
}

// Elementwise loss of two same-shaped tensors, then the reduction.
template <typename Fn> Kernel pairLoss(Fn fn) {
  return [fn](Operation *op, Operands in, Results &out) -> LogicalResult {
    const Tensor &x = *in[0], &t = *in[1];
    if (x.shape != t.shape)
      return kernelError(op) << "input " << x.typeString() << " and target " << t.typeString()
                             << " must have the same shape";
    Tensor loss = Tensor::zeros(x.dtype, x.shape);
    double margin = op->getName().getStringRef() == "nn.hinge" ? floatAttr(op, "margin") : 0.0;
    for (size_t i = 0; i < loss.data.size(); ++i) loss.data[i] = fn(x.data[i], t.data[i], margin);
    return reduceLoss(op, std::move(loss), out);
  };
}

// The fraction of examples whose first argmax equals the label, as f32.
LogicalResult accuracy(Operation *op, Operands in, Results &out) {
  const Tensor &logits = *in[0], &labels = *in[1];
  auto classes = classCount(op, logits, labels);
  if (mlir::failed(classes)) return failure();
  int64_t correct = 0;
  for (int64_t i = 0; i < labels.numel(); ++i) {
    const double *row = logits.data.data() + i * *classes;
    int64_t best = 0;
    for (int64_t c = 1; c < *classes; ++c)
      if (!std::isnan(row[best]) && (row[c] > row[best] || std::isnan(row[c]))) best = c;
    correct += double(best) == labels.data[i];
  }
  out.push_back(Tensor::scalar(DType::F32, double(correct) / double(labels.numel())));
  return success();
}

// The fraction of elements with (scores > 0) == (targets > 0), as f32.
LogicalResult binaryAccuracy(Operation *op, Operands in, Results &out) {
  const Tensor &scores = *in[0], &targets = *in[1];
  if (scores.shape != targets.shape)
    return kernelError(op) << "scores " << scores.typeString() << " and targets "
                           << targets.typeString() << " must have the same shape";
  int64_t agree = 0;
  for (size_t i = 0; i < scores.data.size(); ++i) agree += (scores.data[i] > 0) == (targets.data[i] > 0);
  out.push_back(Tensor::scalar(DType::F32, double(agree) / double(scores.numel())));
  return success();
}

} // namespace

void registerLossKernels(KernelTable &table) {
  table["nn.cross_entropy"] = crossEntropy;
  table["nn.nll"] = nll;
  table["nn.mse"] = pairLoss([](double x, double t, double) { return (x - t) * (x - t); });
  // Stable: max(x, 0) - x·t + log(1 + exp(-|x|)).
  table["nn.bce_with_logits"] = pairLoss([](double x, double t, double) {
    return std::max(x, 0.0) - x * t + std::log1p(std::exp(-std::abs(x)));
  });
  table["nn.hinge"] = pairLoss([](double x, double t, double margin) { return std::max(0.0, margin - t * x); });
  table["nn.accuracy"] = accuracy;
  table["nn.binary_accuracy"] = binaryAccuracy;
}

} // namespace nnc::interp
