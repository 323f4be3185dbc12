// What a training run prints and records: the metrics row of an epoch, the metrics as
// text, and the line every run ends with.
#pragma once

#include "driver/Evaluate.h"
#include "driver/MetricsLog.h"
#include "driver/Model.h"

#include <cstdint>
#include <optional>
#include <string>

namespace nnc::rt::driver {

// The row of one epoch (columns: see MetricsLog.h); lr is the epoch's last step's.
MetricsRow metricsRow(const Model &model, int64_t epoch, int64_t step, std::optional<double> lr, const StepValues &train,
                      const std::optional<StepValues> &val, const StepValues &test, double seconds, double rate);
// " accuracy 0.8123" for every metric.
std::string describeMetrics(const Model &model, const StepValues &v);
// The index of the metric named "accuracy", or -1.
int accuracyIndex(const Model &model);
// The summary line every run ends with.
std::string finalLine(const Model &model, const Evaluation &test);

} // namespace nnc::rt::driver
