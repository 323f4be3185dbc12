// Mean/std accumulation (two passes, double precision) and the in-place application.
#include "data/Standardize.h"

#include <fmt/format.h>

#include <cmath>

namespace nnc::rt {

Expected<Standardizer> computeStandardizer(const Dataset &train, StandardizeMode mode,
                                           double stdFloor) {
  if (train.count <= 0 || train.exampleSize() <= 0)
    return Error{ErrorCode::InvalidArgument, "standardize: the training set is empty"};
  if (!(stdFloor >= 0))
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("standardize: stdFloor must be >= 0, got {}", stdFloor)};
  const bool perPixel = mode == StandardizeMode::PerPixel;
  // Statistic s covers the `group` consecutive elements [s·group, (s+1)·group) of each
  // example: one element per pixel, or the H·W plane of a channel.
  const int64_t size = train.exampleSize();
  const int64_t stats = perPixel ? size : train.channels;
  const int64_t group = size / stats;
  const double samples = double(train.count) * double(group);

  std::vector<double> mean(static_cast<size_t>(stats), 0.0);
  std::vector<double> sq(static_cast<size_t>(stats), 0.0);
  for (int64_t i = 0; i < train.count; ++i) {
    const float *x = train.image(i);
    for (int64_t s = 0; s < stats; ++s)
      for (int64_t k = 0; k < group; ++k)
        mean[size_t(s)] += x[s * group + k];
  }
  for (double &m : mean)
    m /= samples;
  // Second pass on the centred values: no cancellation as in E[x^2] - E[x]^2.
  for (int64_t i = 0; i < train.count; ++i) {
    const float *x = train.image(i);
    for (int64_t s = 0; s < stats; ++s)
      for (int64_t k = 0; k < group; ++k) {
        double d = x[s * group + k] - mean[size_t(s)];
        sq[size_t(s)] += d * d;
      }
  }

  Standardizer out;
  out.mode = mode;
  out.channels = train.channels;
  out.height = train.height;
  out.width = train.width;
  out.mean.resize(size_t(stats));
  out.std.resize(size_t(stats));
  for (int64_t s = 0; s < stats; ++s) {
    double sd = std::sqrt(sq[size_t(s)] / samples);
    out.mean[size_t(s)] = float(mean[size_t(s)]);
    out.std[size_t(s)] = sd < stdFloor ? 1.0f : float(sd);
  }
  return out;
}

Status applyStandardizer(const Standardizer &stats, Dataset &data) {
  if (data.channels != stats.channels || data.height != stats.height ||
      data.width != stats.width)
    return Error{ErrorCode::Mismatch,
                 fmt::format("standardize: statistics of images ({}, {}, {}) applied to images "
                             "({}, {}, {})",
                             stats.channels, stats.height, stats.width, data.channels,
                             data.height, data.width)};
  const int64_t size = data.exampleSize();
  const int64_t count =
      stats.mode == StandardizeMode::PerPixel ? size : stats.channels; // statistics
  if (count <= 0 || int64_t(stats.mean.size()) != count || int64_t(stats.std.size()) != count)
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("standardize: {} means and {} stds, expected {}", stats.mean.size(),
                             stats.std.size(), count)};
  const int64_t group = size / count;
  // Multiply by the reciprocal computed in double, then round once per element.
  std::vector<double> inv(stats.std.size());
  for (size_t s = 0; s < inv.size(); ++s)
    inv[s] = 1.0 / double(stats.std[s]);
  for (int64_t i = 0; i < data.count; ++i) {
    float *x = data.image(i);
    for (int64_t s = 0; s < count; ++s) {
      const double mean = stats.mean[size_t(s)], scale = inv[size_t(s)];
      for (int64_t k = 0; k < group; ++k)
        x[s * group + k] = float((double(x[s * group + k]) - mean) * scale);
    }
  }
  return okStatus();
}

} // namespace nnc::rt
