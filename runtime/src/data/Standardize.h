// Standardization x -> (x - mean) / std with statistics computed once on the training set
// and applied unchanged to every other set (validation, test), so no test information
// leaks into training. Statistics are per channel (C) or per pixel (C, H, W); std is the
// population standard deviation (divide by N, as numpy's default and torchvision's usual
// normalization constants).
//
// Constant inputs: where std < stdFloor (default 1e-7; e.g. MNIST's always-black corner
// pixels in per-pixel mode) the divisor is 1, so the value is only centred. Dividing by
// the floor itself would turn a test-set value that differs from the constant into a
// number of order 1e7.
#pragma once

#include "data/Dataset.h"
#include "data/Error.h"

#include <cstdint>
#include <vector>

namespace nnc::rt {

enum class StandardizeMode {
  PerChannel, // mean/std of shape (C): over all examples and positions of the channel
  PerPixel,   // mean/std of shape (C, H, W): over the examples only
};

struct Standardizer {
  StandardizeMode mode = StandardizeMode::PerChannel;
  int64_t channels = 0, height = 0, width = 0; // the shape it was computed on
  std::vector<float> mean;                     // (C) or (C, H, W)
  std::vector<float> std;                      // (C) or (C, H, W), after the floor rule
};

// Statistics of `train` (accumulated in double). InvalidArgument for an empty dataset or
// stdFloor < 0.
Expected<Standardizer> computeStandardizer(const Dataset &train, StandardizeMode mode,
                                           double stdFloor = 1e-7);

// Applies the statistics in place; Mismatch when `data` has another (C, H, W).
Status applyStandardizer(const Standardizer &stats, Dataset &data);

} // namespace nnc::rt
