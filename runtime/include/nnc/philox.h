// Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11):
// a counter-based generator, so element i of a random tensor is a pure function of
// (key, counter) and every device and thread draws the same numbers. Header-only and
// dependency-free so that the runtime can share it.
#pragma once

#include <array>
#include <cstdint>

namespace nnc {

inline std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter,
                                             std::array<uint32_t, 2> key) {
  constexpr uint32_t kMul0 = 0xD2511F53u, kMul1 = 0xCD9E8D57u;
  constexpr uint32_t kWeyl0 = 0x9E3779B9u, kWeyl1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = uint64_t(kMul0) * counter[0], p1 = uint64_t(kMul1) * counter[2];
    counter = {uint32_t(p1 >> 32) ^ counter[1] ^ key[0], uint32_t(p1),
               uint32_t(p0 >> 32) ^ counter[3] ^ key[1], uint32_t(p0)};
    key[0] += kWeyl0;
    key[1] += kWeyl1;
  }
  return counter;
}

// Uniform [0, 1) from the top 24 bits of a word (exactly representable in float).
inline float uniformFromBits(uint32_t bits) { return float(bits >> 8) * (1.0f / 16777216.0f); }

// The random word for element `index` of stream `stream` at `step` under `seed`: each
// Philox call yields 4 words for 4 consecutive elements.
inline uint32_t randomBits(uint64_t seed, uint64_t step, uint64_t stream, uint64_t index) {
  auto words = philox4x32_10({uint32_t(index / 4), uint32_t((index / 4) >> 32), uint32_t(step),
                              uint32_t(stream)},
                             {uint32_t(seed), uint32_t(seed >> 32)});
  return words[index % 4];
}

} // namespace nnc
