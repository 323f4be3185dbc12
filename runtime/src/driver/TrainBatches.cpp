// The padding policy of training batches (see TrainBatches.h).
#include "driver/TrainBatches.h"

#include <algorithm>

namespace nnc::rt::driver {

int64_t trainBatchCount(int64_t n, int64_t batchSize, bool dropLast) {
  if (n <= 0 || batchSize < 1) return 0;
  return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
}

TrainBatch trainBatch(std::span<const int64_t> order, int64_t batchIndex, int64_t batchSize) {
  TrainBatch batch;
  const int64_t n = int64_t(order.size()), begin = batchIndex * batchSize;
  batch.real = std::clamp<int64_t>(n - begin, 0, batchSize);
  for (int64_t r = 0; r < batchSize && n > 0; ++r)
    batch.indices.push_back(order[size_t(r < batch.real ? begin + r : (r - batch.real) % n)]);
  return batch;
}

} // namespace nnc::rt::driver
