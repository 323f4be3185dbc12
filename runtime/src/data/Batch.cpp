// Gathering batches from an example order, with padding and masks for the last one.
#include "data/Batch.h"

#include <fmt/format.h>

#include <algorithm>

namespace nnc::rt {

int64_t batchCount(int64_t n, int64_t batchSize, LastBatch last) {
  if (batchSize < 1 || n <= 0)
    return 0;
  return last == LastBatch::Pad ? (n + batchSize - 1) / batchSize : n / batchSize;
}

Expected<int64_t> fillBatch(const Dataset &data, std::span<const int64_t> order,
                            int64_t batchIndex, int64_t batchSize, LastBatch last,
                            std::span<float> images, std::span<int64_t> labels,
                            std::span<float> mask) {
  if (batchSize < 1)
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("batch: the batch size must be >= 1, got {}", batchSize)};
  const int64_t n = int64_t(order.size());
  const int64_t batches = batchCount(n, batchSize, last);
  if (batchIndex < 0 || batchIndex >= batches)
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("batch: index {} is outside [0, {}) ({} examples, batch size {})",
                             batchIndex, batches, n, batchSize)};
  const int64_t size = data.exampleSize();
  if (int64_t(images.size()) != batchSize * size || int64_t(labels.size()) != batchSize ||
      int64_t(mask.size()) != batchSize)
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("batch: buffers hold {} image elements, {} labels and {} mask "
                             "entries; batch size {} needs {}, {} and {}",
                             images.size(), labels.size(), mask.size(), batchSize,
                             batchSize * size, batchSize, batchSize)};
  const int64_t begin = batchIndex * batchSize;
  const int64_t valid = std::min(batchSize, n - begin);
  for (int64_t r = 0; r < batchSize; ++r) {
    // Padding rows repeat row 0 of this batch (always a real example).
    int64_t index = order[size_t(begin + (r < valid ? r : 0))];
    if (index < 0 || index >= data.count)
      return Error{ErrorCode::InvalidArgument,
                   fmt::format("batch: order[{}] = {} is outside [0, {})", begin + r, index,
                               data.count)};
    std::copy_n(data.image(index), size, images.data() + r * size);
    labels[size_t(r)] = data.labels[size_t(index)];
    mask[size_t(r)] = r < valid ? 1.0f : 0.0f;
  }
  return valid;
}

Batch makeBatch(const Dataset &data, int64_t batchSize) {
  Batch batch;
  batch.size = std::max<int64_t>(batchSize, 0);
  batch.images.resize(size_t(batch.size * data.exampleSize()));
  batch.labels.resize(size_t(batch.size));
  batch.mask.resize(size_t(batch.size));
  return batch;
}

Status fillBatch(const Dataset &data, std::span<const int64_t> order, int64_t batchIndex,
                 LastBatch last, Batch &batch) {
  auto valid = fillBatch(data, order, batchIndex, batch.size, last, batch.images,
                         batch.labels, batch.mask);
  if (!valid)
    return std::move(valid).takeError();
  batch.valid = *valid;
  return okStatus();
}

} // namespace nnc::rt
