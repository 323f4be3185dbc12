// Epoch shuffling: a permutation of [0, N) that is a pure function of (seed, epoch), drawn
// with the counter-based Philox generator (nnc/philox.h), so a run resumed from a
// checkpoint at epoch e sees exactly the order an uninterrupted run would.
#pragma once

#include <cstdint>
#include <vector>

namespace nnc::rt {

// Philox stream numbers of the data layer, far from the dropout streams (0, 1, 2, ...).
constexpr uint32_t kShuffleStream = 0x53485546; // "SHUF"
constexpr uint32_t kSplitStream = 0x53504c54;   // "SPLT"

// Fisher-Yates over [0, n): for i = n-1 down to 1, swap i with j uniform in [0, i], where
// j = (r · (i + 1)) >> 64 and r is the 64-bit word pair 0, 1 of Philox at counter
// (i, step, stream) under key `seed` (bias below (i + 1) / 2^64). Empty for n <= 0.
std::vector<int64_t> philoxPermutation(int64_t n, uint64_t seed, uint32_t step,
                                       uint32_t stream);

// The example order of epoch `epoch`: philoxPermutation(n, seed, epoch, kShuffleStream).
std::vector<int64_t> epochPermutation(int64_t n, uint64_t seed, uint64_t epoch);

} // namespace nnc::rt
