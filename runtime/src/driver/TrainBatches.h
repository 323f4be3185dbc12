// Which examples make up each training batch of an epoch. The compiled train step has a
// static batch size B and (for now) no mask input, so every batch must hold B real
// examples: the last partial batch is padded with the first examples of the epoch's order
// (they are trained on twice that epoch), or dropped with --drop-last. This is the one
// place that decides it; when the train step gains a mask input, padding rows get mask 0
// here instead.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace nnc::rt::driver {

// Batches per epoch over n examples: ceil(n / B), or floor(n / B) when dropping the last.
int64_t trainBatchCount(int64_t n, int64_t batchSize, bool dropLast);

struct TrainBatch {
  std::vector<int64_t> indices; // B example indices
  int64_t real = 0;             // how many are this batch's own examples (the rest is padding)
};

// Batch `batchIndex` of `order`: order[k·B ... k·B + B), the last one completed with
// order[0], order[1], ... (wrapping again if B > n).
TrainBatch trainBatch(std::span<const int64_t> order, int64_t batchIndex, int64_t batchSize);

} // namespace nnc::rt::driver
