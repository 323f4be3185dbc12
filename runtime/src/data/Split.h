// The validation split: a deterministic, seeded partition of a training set into train
// and validation examples, so the same seed always holds out the same examples.
#pragma once

#include "data/Dataset.h"
#include "data/Error.h"

#include <cstdint>
#include <vector>

namespace nnc::rt {

struct SplitIndices {
  std::vector<int64_t> train; // ascending
  std::vector<int64_t> val;   // ascending
};

// Holds out round(n · valFraction) examples (at least 1, at most n - 1): the first ones of
// philoxPermutation(n, seed, 0, kSplitStream). InvalidArgument unless 0 < valFraction < 1
// and n >= 2.
Expected<SplitIndices> splitIndices(int64_t n, double valFraction, uint64_t seed);

struct SplitDatasets {
  Dataset train;
  Dataset val;
};

// splitIndices applied to a Dataset (examples keep their original relative order).
Expected<SplitDatasets> splitDataset(const Dataset &data, double valFraction, uint64_t seed);

} // namespace nnc::rt
