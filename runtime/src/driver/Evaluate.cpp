// Evaluation with the exact correction for the padded last batch (see Evaluate.h).
#include "driver/Evaluate.h"

#include "data/Batch.h"

#include <numeric>

namespace nnc::rt::driver {

namespace {

// Fills the model's input buffers with batch `index` of `order` (padding repeats the
// batch's first example); returns the number of real rows.
Expected<int64_t> fill(Model &model, const Dataset &data, std::span<const int64_t> order, int64_t index) {
  std::vector<float> mask(size_t(model.batch()));
  return fillBatch(data, order, index, model.batch(), LastBatch::Pad, model.x(), model.y(), mask);
}

} // namespace

Expected<Evaluation> evaluate(Model &model, const Dataset &data, const EvalProgress &progress) {
  Evaluation result;
  const int64_t B = model.batch();
  std::vector<int64_t> order(size_t(data.count));
  std::iota(order.begin(), order.end(), int64_t(0));
  const int64_t batches = batchCount(data.count, B, LastBatch::Pad);
  StepValues sum;
  sum.metrics.assign(model.metricNames().size(), 0.0);
  for (int64_t k = 0; k < batches; ++k) {
    auto real = fill(model, data, order, k);
    if (!real) return std::move(real).takeError();
    auto values = model.forward();
    if (!values) return std::move(values).takeError();
    double loss = values->loss * double(B);
    std::vector<double> metrics = values->metrics;
    for (double &m : metrics) m *= double(B);
    if (*real < B) {
      // Subtract the B - n padding rows: a batch of B copies of the first example.
      const int64_t first = order[size_t(k * B)];
      std::vector<int64_t> copies(size_t(B), first);
      if (auto s = fill(model, data, copies, 0); !s) return std::move(s).takeError();
      auto padding = model.forward();
      if (!padding) return std::move(padding).takeError();
      loss -= double(B - *real) * padding->loss;
      for (size_t i = 0; i < metrics.size(); ++i) metrics[i] -= double(B - *real) * padding->metrics[i];
    }
    sum.loss += loss;
    for (size_t i = 0; i < metrics.size(); ++i) sum.metrics[i] += metrics[i];
    if (progress) progress(k + 1, batches);
  }
  result.count = data.count;
  if (data.count > 0) {
    result.mean.loss = sum.loss / double(data.count);
    for (double &m : sum.metrics) m /= double(data.count);
  }
  result.mean.metrics = sum.metrics;
  return result;
}

} // namespace nnc::rt::driver
