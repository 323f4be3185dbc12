// The early-stopping rule (see EarlyStopping.h).
#include "driver/EarlyStopping.h"

namespace nnc::rt::driver {

bool EarlyStopping::update(int64_t epoch, double valLoss) {
  if (valLoss < bestLoss - minDelta) { // NaN compares false
    bestEpoch = epoch;
    bestLoss = valLoss;
    wait = 0;
    return true;
  }
  ++wait;
  return false;
}

} // namespace nnc::rt::driver
