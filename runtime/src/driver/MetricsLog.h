// The per-epoch metrics file of `train --metrics FILE`: CSV (a header line, one row per
// epoch) or JSON lines (one object per epoch), chosen by the extension. Columns: epoch,
// step, lr (the last step's; when the model has an lr hyperparameter), train_loss,
// train_<metric>..., val_loss, val_<metric>... (with a validation split), test_loss,
// test_<metric>..., seconds, examples_per_second. The whole file is
// rewritten atomically after every epoch; a resumed run reads the rows of the epochs it
// continues from back in, so the file always holds the complete history.
#pragma once

#include "data/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nnc::rt::driver {

// One epoch: column name and value, in column order. NaN is an empty CSV field / null.
using MetricsRow = std::vector<std::pair<std::string, double>>;

// The value of `column`, or NaN.
double valueOf(const MetricsRow &row, const std::string &column);

enum class MetricsFormat { Csv, JsonLines };
// By extension: .csv, .jsonl (also .json, .ndjson); nullopt for anything else.
std::optional<MetricsFormat> metricsFormatFor(const std::string &path);

// The file's text. Numbers are written in the shortest form that reads back exactly.
std::string formatMetrics(MetricsFormat format, const std::vector<MetricsRow> &rows);
Status writeMetrics(const std::string &path, MetricsFormat format, const std::vector<MetricsRow> &rows);
// Rows of a file this driver wrote (Format error naming the line otherwise).
Expected<std::vector<MetricsRow>> readMetrics(const std::string &path, MetricsFormat format);

} // namespace nnc::rt::driver
