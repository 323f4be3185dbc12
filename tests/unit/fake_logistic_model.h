// A hand-written stand-in for the code `nnc compile` will generate for
// models/logistic.graph (softmax regression trained with plain SGD): train_step, forward
// and predict as C++ functions with the calling convention of nnc/compiled_model.h, so the
// runtime's execution layer and the training driver can be tested without code generation.
// The dimensions (B, D = C·H·W, K) come from the artifact the model is built around.
#pragma once

#include "nnc/compiled_model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnc::fake {

// What the last train_step call received (the test checks what the runtime bound).
struct TrainCall {
  int64_t calls = 0;
  int64_t step = 0, seed = 0;
  float lr = 0;
};
extern TrainCall lastTrainCall;

// An nnc_compiled_model with `artifact` (the bytes of `nnc compile --emit=artifact
// models/logistic.graph`) and the three entry functions. Empty `error` on success;
// otherwise the artifact is not logistic's and the returned model must not run.
// Every entry function aborts with a message when a pointer breaks the ABI's alignment
// (64 bytes, which the runtime always gives) or a train step gets a step below 1. With the
// environment variable NNC_FAKE_LOG set, train_step appends "step S seed X lr L" lines
// to that file.
nnc_compiled_model makeLogisticModel(std::vector<uint8_t> artifact, std::string &error);

// Reads the file at `path` and calls makeLogisticModel; an empty model (no artifact
// bytes) when the file cannot be read or is not logistic's, after a message on stderr.
nnc_compiled_model loadLogisticModel(const char *path);

} // namespace nnc::fake
