// Batching: copies batch k of an example order (an epoch permutation or any index list)
// into fixed-size buffers. The compiled train step has a static batch size B, so a last
// partial batch is either padded (rows past the end repeat the batch's row 0, with mask
// 0 so they add nothing to the loss or metrics) or dropped.
#pragma once

#include "data/Dataset.h"
#include "data/Error.h"

#include <cstdint>
#include <span>
#include <vector>

namespace nnc::rt {

enum class LastBatch {
  Pad,  // ceil(N / B) batches; the last is padded and masked
  Drop, // floor(N / B) batches; the remainder is skipped this epoch
};

// The number of batches of size batchSize over n examples (0 when batchSize < 1).
int64_t batchCount(int64_t n, int64_t batchSize, LastBatch last);

// Fills batch `batchIndex` of `order` (indices into data). images is (B, C, H, W), labels
// (B) and mask (B): 1 for a real row, 0 for padding. Returns the number of real rows.
// InvalidArgument for batchSize < 1, a batch index outside [0, batchCount), an index in
// order outside [0, N), or buffers of the wrong size (their contents are then unspecified).
Expected<int64_t> fillBatch(const Dataset &data, std::span<const int64_t> order,
                            int64_t batchIndex, int64_t batchSize, LastBatch last,
                            std::span<float> images, std::span<int64_t> labels,
                            std::span<float> mask);

// Owned buffers of one batch.
struct Batch {
  int64_t size = 0;            // B
  int64_t valid = 0;           // real rows of the last fill
  std::vector<float> images;   // (B, C, H, W)
  std::vector<int64_t> labels; // (B)
  std::vector<float> mask;     // (B)
};

// Buffers sized for batches of `batchSize` examples of `data`.
Batch makeBatch(const Dataset &data, int64_t batchSize);
// fillBatch into `batch`, setting batch.valid.
Status fillBatch(const Dataset &data, std::span<const int64_t> order, int64_t batchIndex,
                 LastBatch last, Batch &batch);

} // namespace nnc::rt
