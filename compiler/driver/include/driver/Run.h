// `nnc run`: compiles a model to stage grad and runs it in the reference interpreter,
// before any code generation exists. Inputs are synthetic and reproducible from the
// seed (floats uniform in [-1, 1), integers uniform in [0, --int-range)); the train step
// runs repeatedly on the same batch, so its loss must fall as the model memorizes it.
#pragma once

#include "driver/Compile.h"

#include <cstdint>
#include <optional>
#include <string>

namespace nnc {

struct RunOptions {
  CompileOptions compile;           // input, batch
  std::string function;             // train_step (default when there is one), forward, predict
  int64_t steps = 10;
  uint64_t seed = 0;
  int64_t intRange = 2;             // integer inputs (labels, tokens) are drawn in [0, intRange)
  std::optional<double> lr;         // overrides the .graph learning rate
};

// Prints one line per step (or the results once) and returns the exit status.
int run(const RunOptions &options);

} // namespace nnc
