// Philox-driven Fisher-Yates shuffles.
#include "data/Shuffle.h"

#include "nnc/philox.h"

#include <cstddef>
#include <numeric>
#include <utility>

namespace nnc::rt {

std::vector<int64_t> philoxPermutation(int64_t n, uint64_t seed, uint32_t step,
                                       uint32_t stream) {
  if (n <= 0)
    return {};
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), int64_t(0));
  const std::array<uint32_t, 2> key = {uint32_t(seed), uint32_t(seed >> 32)};
  for (int64_t i = n - 1; i > 0; --i) {
    uint64_t counter = uint64_t(i);
    auto words = philox4x32_10({uint32_t(counter), uint32_t(counter >> 32), step, stream}, key);
    uint64_t r = uint64_t(words[0]) << 32 | words[1];
    auto j = int64_t((unsigned __int128)r * uint64_t(i + 1) >> 64);
    std::swap(order[size_t(i)], order[size_t(j)]);
  }
  return order;
}

std::vector<int64_t> epochPermutation(int64_t n, uint64_t seed, uint64_t epoch) {
  return philoxPermutation(n, seed, uint32_t(epoch), kShuffleStream);
}

} // namespace nnc::rt
