#include "driver/TrainReport.h"

#include <fmt/format.h>

namespace nnc::rt::driver {

// The row of one epoch (columns: see MetricsLog.h).
MetricsRow metricsRow(const Model &model, int64_t epoch, int64_t step, std::optional<double> lr, const StepValues &train,
                      const std::optional<StepValues> &val, const StepValues &test, double seconds, double rate) {
  MetricsRow row{{"epoch", double(epoch)}, {"step", double(step)}};
  if (lr) row.emplace_back("lr", *lr); // the last step's
  auto add = [&](const char *part, const StepValues &v) {
    row.emplace_back(fmt::format("{}_loss", part), v.loss);
    for (size_t i = 0; i < model.metricNames().size(); ++i)
      row.emplace_back(fmt::format("{}_{}", part, model.metricNames()[i]), v.metrics[i]);
  };
  add("train", train);
  if (val) add("val", *val);
  add("test", test);
  row.emplace_back("seconds", seconds);
  row.emplace_back("examples_per_second", rate);
  return row;
}

// " accuracy 0.8123" for every metric.
std::string describeMetrics(const Model &model, const StepValues &v) {
  std::string out;
  for (size_t i = 0; i < model.metricNames().size(); ++i) out += fmt::format(" {} {:.4f}", model.metricNames()[i], v.metrics[i]);
  return out;
}

int accuracyIndex(const Model &model) {
  for (size_t i = 0; i < model.metricNames().size(); ++i)
    if (model.metricNames()[i] == "accuracy") return int(i);
  return -1;
}

// The summary line every run ends with.
std::string finalLine(const Model &model, const Evaluation &test) {
  int acc = accuracyIndex(model);
  if (acc >= 0)
    return fmt::format("test accuracy: {:.4f} (test loss {:.4f}, {} examples)", test.mean.metrics[size_t(acc)],
                       test.mean.loss, test.count);
  return fmt::format("test loss: {:.4f}{} ({} examples)", test.mean.loss, describeMetrics(model, test.mean), test.count);
}

} // namespace nnc::rt::driver
