// An in-memory image classification dataset as the training driver feeds it: float32
// images scaled to [0, 1] in (N, C, H, W) order, int64 labels and the class count.
#pragma once

#include "data/Error.h"

#include <cstdint>
#include <span>
#include <vector>

namespace nnc::rt {

// Datasets are limited to 2^31 image elements (N·C·H·W), checked by every loader.
constexpr uint64_t kMaxDatasetElements = uint64_t(1) << 31;

struct Dataset {
  int64_t count = 0;    // N
  int64_t channels = 0; // C
  int64_t height = 0;   // H
  int64_t width = 0;    // W
  int64_t numClasses = 0;
  std::vector<float> images;   // (N, C, H, W), pixel / 255 until standardized
  std::vector<int64_t> labels; // (N), each in [0, numClasses)

  int64_t exampleSize() const { return channels * height * width; } // C·H·W
  const float *image(int64_t i) const { return images.data() + i * exampleSize(); }
  float *image(int64_t i) { return images.data() + i * exampleSize(); }
};

// Builds a Dataset from bytes in (N, C, H, W) order (pixel / 255) and labels.
Dataset datasetFromBytes(int64_t count, int64_t channels, int64_t height, int64_t width,
                         const std::vector<uint8_t> &pixels, std::vector<int64_t> labels,
                         int64_t numClasses);

// The examples at `indices`, in that order; InvalidArgument for an index outside [0, N).
Expected<Dataset> subset(const Dataset &data, std::span<const int64_t> indices);

} // namespace nnc::rt
