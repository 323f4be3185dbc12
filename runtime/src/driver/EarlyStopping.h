// Early stopping on the validation loss (`train --early-stopping PATIENCE [--min-delta D]`):
// an epoch improves when its validation loss is below best - D (Keras and Lightning's rule);
// training stops once PATIENCE epochs in a row have not improved. A pure function of the
// losses so far, so a resumed run rebuilds it by replaying the epochs it continues from.
// The driver keeps the best epoch's weights and restores them at the end (Train.cpp).
#pragma once

#include <cstdint>
#include <limits>

namespace nnc::rt::driver {

struct EarlyStopping {
  int64_t patience = 1;
  double minDelta = 0;

  int64_t bestEpoch = 0; // 0: none yet
  double bestLoss = std::numeric_limits<double>::infinity();
  int64_t wait = 0; // epochs since the best one

  // Records epoch `epoch`'s validation loss; true when it is the new best (NaN never is).
  bool update(int64_t epoch, double valLoss);
  bool shouldStop() const { return wait >= patience; }
};

} // namespace nnc::rt::driver
