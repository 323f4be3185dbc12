// `train --plot FILE`: loss and metric curves over the epochs, drawn by gnuplot (Debian
// gnuplot-nox) from a generated script, as SVG or PNG by the extension. gnuplot runs as a
// subprocess; when it is missing or fails, training goes on and the caller prints the
// warning returned.
#pragma once

#include "driver/MetricsLog.h"

#include <optional>
#include <string>
#include <vector>

namespace nnc::rt::driver {

// Whether the extension is one the plot supports (.svg, .png).
bool isPlotPath(const std::string &path);

// The gnuplot script that draws `rows` (left: *_loss columns, right: the other metrics)
// from `dataPath` into `path`.
std::string plotScript(const std::string &path, const std::string &dataPath, const std::vector<MetricsRow> &rows,
                       const std::vector<std::string> &metricNames);

// Draws the plot; nullopt on success, otherwise a warning naming the plot file and what
// went wrong.
std::optional<std::string> plotMetrics(const std::string &path, const std::vector<MetricsRow> &rows,
                                       const std::vector<std::string> &metricNames);

} // namespace nnc::rt::driver
