// Construction of Datasets from raw bytes and index subsets.
#include "data/Dataset.h"

#include <fmt/format.h>

#include <algorithm>

namespace nnc::rt {

Dataset datasetFromBytes(int64_t count, int64_t channels, int64_t height, int64_t width,
                         const std::vector<uint8_t> &pixels, std::vector<int64_t> labels,
                         int64_t numClasses) {
  Dataset data;
  data.count = count;
  data.channels = channels;
  data.height = height;
  data.width = width;
  data.numClasses = numClasses;
  data.labels = std::move(labels);
  data.images.resize(pixels.size());
  // Table lookup rather than a division: pixel / 255 rounded to float once.
  float table[256];
  for (int v = 0; v < 256; ++v)
    table[v] = float(v) / 255.0f;
  std::transform(pixels.begin(), pixels.end(), data.images.begin(),
                 [&](uint8_t v) { return table[v]; });
  return data;
}

Expected<Dataset> subset(const Dataset &data, std::span<const int64_t> indices) {
  Dataset out;
  out.count = int64_t(indices.size());
  out.channels = data.channels;
  out.height = data.height;
  out.width = data.width;
  out.numClasses = data.numClasses;
  int64_t size = data.exampleSize();
  out.images.resize(indices.size() * size_t(size));
  out.labels.resize(indices.size());
  for (size_t i = 0; i < indices.size(); ++i) {
    int64_t index = indices[i];
    if (index < 0 || index >= data.count)
      return Error{ErrorCode::InvalidArgument,
                   fmt::format("subset: index {} at position {} is outside [0, {})", index, i,
                               data.count)};
    std::copy_n(data.image(index), size, out.images.data() + i * size_t(size));
    out.labels[i] = data.labels[size_t(index)];
  }
  return out;
}

} // namespace nnc::rt
