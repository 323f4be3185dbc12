// Loss and metrics of the model over a whole data set with the forward entry point,
// counting every example exactly once although the compiled batch size is fixed.
//
// The last partial batch of n < B examples is padded with copies of its first example e
// (data/Batch.h). Forward returns means over the B rows, so its loss is
// L = (sum over the n real rows + (B - n) · l_e) / B; a second forward of a batch of B
// copies of e gives l_e, and sum = B · L - (B - n) · l_e. The same holds for every metric
// that is a mean over rows (accuracy). No per-row outputs or knowledge of the loss
// function are needed.
#pragma once

#include "data/Dataset.h"
#include "data/Error.h"
#include "driver/Model.h"

#include <functional>

namespace nnc::rt::driver {

struct Evaluation {
  StepValues mean; // means over the examples
  int64_t count = 0;
};

// Called after each batch: (batches done, batches in all).
using EvalProgress = std::function<void(int64_t done, int64_t total)>;

Expected<Evaluation> evaluate(Model &model, const Dataset &data, const EvalProgress &progress = {});

} // namespace nnc::rt::driver
