// Seeded train/validation partitions of example indices and of Datasets.
#include "data/Split.h"

#include "data/Shuffle.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace nnc::rt {

Expected<SplitIndices> splitIndices(int64_t n, double valFraction, uint64_t seed) {
  if (!(valFraction > 0.0 && valFraction < 1.0))
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("validation split: the fraction must be in (0, 1), got {}",
                             valFraction)};
  if (n < 2)
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("validation split: needs at least 2 examples, got {}", n)};
  int64_t valCount = std::clamp<int64_t>(std::llround(double(n) * valFraction), 1, n - 1);
  std::vector<int64_t> order = philoxPermutation(n, seed, 0, kSplitStream);
  SplitIndices out;
  out.val.assign(order.begin(), order.begin() + valCount);
  out.train.assign(order.begin() + valCount, order.end());
  std::sort(out.val.begin(), out.val.end());
  std::sort(out.train.begin(), out.train.end());
  return out;
}

Expected<SplitDatasets> splitDataset(const Dataset &data, double valFraction, uint64_t seed) {
  auto indices = splitIndices(data.count, valFraction, seed);
  if (!indices)
    return std::move(indices).takeError();
  auto train = subset(data, indices->train);
  if (!train)
    return std::move(train).takeError();
  auto val = subset(data, indices->val);
  if (!val)
    return std::move(val).takeError();
  return SplitDatasets{std::move(train).value(), std::move(val).value()};
}

} // namespace nnc::rt
