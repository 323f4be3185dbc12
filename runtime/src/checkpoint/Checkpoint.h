// Saving and loading checkpoints (schemas/checkpoint.fbs): the model's state tensors with
// the step, epoch and seed, written crash-safely and verified before use on load.
#pragma once

#include "checkpoint/AlignedBuffer.h"
#include "checkpoint/AtomicFile.h"
#include "checkpoint/CheckpointError.h"
#include "checkpoint/Tensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnc::rt {

// The checkpoint format version this runtime writes and the only one it reads.
constexpr uint32_t kCheckpointVersion = 1;
// FlatBuffers' 2 GiB limit: builder and verifier need sizes strictly below
// FLATBUFFERS_MAX_BUFFER_SIZE (2^31 - 1). Larger saves are refused, larger files rejected.
constexpr uint64_t kMaxCheckpointBytes = (uint64_t(1) << 31) - 2;

// One model's training state. Tensors: parameters, buffers, optimizer state
// `<param>.<state>` (docs/autodiff.md). Loaded tensors point into `storage` (64-byte
// aligned); for saving, the caller's memory backs them.
struct Checkpoint : TensorSet {
  std::string modelName;
  uint64_t fingerprint = 0; // fingerprintOf(the model's tensors), or any caller hash
  int64_t step = 0;         // the last completed train step
  int64_t epoch = 0;
  uint64_t seed = 0;        // the dropout RNG seed
};

// What a loaded checkpoint must belong to. With `tensors` the error names the first
// differing tensor, and the tensor lists must agree even when the fingerprints do.
struct ModelIdentity {
  std::string name; // for messages
  uint64_t fingerprint = 0;
  std::vector<TensorSpec> tensors;
};

struct SaveOptions {
  WriteProgress progress; // see AtomicFile.h; tests use it to kill a save mid-write
};

// Serializes `checkpoint` and replaces `path` atomically (AtomicFile.h). InvalidArgument
// for inconsistent tensors, TooLarge over 2 GiB (nothing is written then), Io for system
// failures; on any error an existing file at `path` is untouched.
CheckpointStatus saveCheckpoint(const std::string &path, const Checkpoint &checkpoint,
                                const SaveOptions &options = {});

// Reads `path` into 64-byte aligned memory and checks, in order: the size limits, the file
// identifier "NNCK", the size prefix (Truncated), the FlatBuffers verifier (Corrupt), the
// version (UnsupportedVersion), every tensor (dtype, byte size = dtype size x elements, bool
// bytes, unique names: Corrupt) and, given `expected`, the model (OtherModel).
CheckpointResult<Checkpoint> loadCheckpoint(const std::string &path);
CheckpointResult<Checkpoint> loadCheckpoint(const std::string &path,
                                            const ModelIdentity &expected);

// The checks of loadCheckpoint after the read, on a file image already in memory (for
// fuzzers and tests); `where` starts every message. The result owns `image`.
CheckpointResult<Checkpoint> parseCheckpoint(AlignedBuffer image, const std::string &where);

} // namespace nnc::rt
