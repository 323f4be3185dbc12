// Parameter initializers, shared by the runtime and the reference interpreter so both
// start training from identical weights for a seed. Header-only and dependency-free.
//
// Random draws of the state tensor number `stream` (its position among the model's state
// tensors) under `seed`, with Philox step 0:
//   uniform element i:  u_i = uniformFromBits(randomBits(seed, 0, stream, i)) in [0, 1);
//                       value = low + (high - low) · u_i.
//   normal element i:   Box-Muller from words 2i and 2i + 1 of the same stream:
//                       a = u(2i), b = u(2i + 1), z = sqrt(-2 · ln(1 - a)) · cos(2π · b);
//                       value = mean + std · z.
// Fans follow PyTorch's _calculate_fan_in_and_fan_out: for [out, in, k...], fan_in =
// in·prod(k) and fan_out = out·prod(k); a 1-d tensor has fan_in = fan_out = its size
// (PyTorch refuses those; biases initialized this way need it), a 0-d one 1.
#pragma once

#include "nnc/philox.h"

#include <cmath>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

namespace nnc::init {

inline std::pair<double, double> fans(std::span<const int64_t> shape) {
  if (shape.empty()) return {1.0, 1.0};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  double receptive = 1.0;
  for (size_t i = 2; i < shape.size(); ++i) receptive *= double(shape[i]);
  return {double(shape[1]) * receptive, double(shape[0]) * receptive};
}

struct Draws {
  uint64_t seed, stream;
  double uniform(uint64_t i) const { return double(uniformFromBits(randomBits(seed, 0, stream, i))); }
  double normal(uint64_t i) const {
    double a = uniform(2 * i), b = uniform(2 * i + 1);
    return std::sqrt(-2.0 * std::log(1.0 - a)) * std::cos(2.0 * 3.14159265358979323846 * b);
  }
};

// Fills `out` (row-major, `shape`) with initializer `kind`. `arg(name)` returns a numeric
// argument (value, low, high, mean, std, gain) with the caller's defaults applied;
// `fanOut` selects Kaiming's mode. False for an unknown kind (out is left untouched).
template <class Arg>
bool fill(std::string_view kind, Arg &&arg, bool fanOut, std::span<const int64_t> shape, uint64_t seed,
          uint64_t stream, std::span<double> out) {
  Draws draws{seed, stream};
  auto uniform = [&](double low, double high) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = low + (high - low) * draws.uniform(i);
  };
  auto normal = [&](double mean, double std) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = mean + std * draws.normal(i);
  };
  auto [fanIn, fanOutSize] = fans(shape);
  if (kind == "zeros" || kind == "ones" || kind == "constant") {
    double v = kind == "zeros" ? 0.0 : kind == "ones" ? 1.0 : arg("value");
    for (double &x : out) x = v;
  } else if (kind == "uniform") {
    uniform(arg("low"), arg("high"));
  } else if (kind == "normal") {
    normal(arg("mean"), arg("std"));
  } else if (kind == "xavier_uniform" || kind == "xavier_normal") {
    // std = gain · sqrt(2 / (fan_in + fan_out)); the uniform bound is sqrt(3)·std.
    double std = arg("gain") * std::sqrt(2.0 / (fanIn + fanOutSize));
    if (kind == "xavier_uniform") uniform(-std::sqrt(3.0) * std, std::sqrt(3.0) * std);
    else normal(0.0, std);
  } else if (kind == "kaiming_uniform" || kind == "kaiming_normal") {
    // std = gain / sqrt(fan), fan = fan_in or fan_out by mode.
    double std = arg("gain") / std::sqrt(fanOut ? fanOutSize : fanIn);
    if (kind == "kaiming_uniform") uniform(-std::sqrt(3.0) * std, std::sqrt(3.0) * std);
    else normal(0.0, std);
  } else {
    return false;
  }
  return true;
}

} // namespace nnc::init
