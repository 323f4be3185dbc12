// Named tensors as the checkpoint layer sees them: element type, shape and raw bytes
// (little-endian, row-major), plus the checked size arithmetic and the model fingerprint.
#pragma once

#include "checkpoint/CheckpointError.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nnc::rt {

// Element types; the values equal nnc.schema.DType's. I1 (bool) is one byte, 0 or 1.
enum class DType : uint8_t { F32 = 0, F64 = 1, I32 = 2, I64 = 3, I1 = 4 };
constexpr int kNumDTypes = 5;

size_t dtypeSize(DType t);         // bytes per element
const char *dtypeName(DType t);    // "f32", "f64", "i32", "i64", "i1" (the .graph names)
bool isValidDType(uint8_t raw);

// A tensor's identity without data: what a model declares and a fingerprint hashes.
struct TensorSpec {
  std::string name;            // "h1.w", "h1.w.momentum_buffer", "bn.running_mean"
  DType dtype = DType::F32;
  std::vector<int64_t> shape;  // empty for a 0-d tensor
};

// A tensor with its bytes. The bytes are not owned: for saving they are the caller's
// memory; loaded records point into their TensorSet's storage.
struct TensorRecord : TensorSpec {
  std::span<const std::byte> bytes; // exactly byteSize(dtype, shape) bytes, C order
};

// Records plus whatever owns their bytes (an aligned file image, per-entry buffers).
// Copies share the storage, so a record stays valid while any copy lives.
struct TensorSet {
  std::vector<TensorRecord> tensors;
  std::shared_ptr<const void> storage;

  // The record named `name`, or nullptr.
  const TensorRecord *find(std::string_view name) const;
};

// Elements of `shape` (1 for a 0-d tensor), or nullopt if a dimension is negative or the
// count exceeds 2^62.
std::optional<uint64_t> elementCount(std::span<const int64_t> shape);
// size(dtype) * elementCount(shape), or nullopt on a negative dimension or overflow.
std::optional<uint64_t> byteSize(DType dtype, std::span<const int64_t> shape);

// "f32[2, 3]", "i64[]" (0-d).
std::string formatSpec(DType dtype, std::span<const int64_t> shape);
inline std::string formatSpec(const TensorSpec &t) { return formatSpec(t.dtype, t.shape); }

// Checks tensors before writing them: non-empty unique names, a known dtype, dimensions
// >= 0 and bytes.size() == byteSize. `what` names the destination in messages.
CheckpointStatus validateTensors(std::span<const TensorRecord> tensors, std::string_view what);

// Copies `count` little-endian int64 values from possibly unaligned memory (shape vectors
// of files the runtime reads: FlatBuffers 2.0.8's verifier checks only a vector's length
// word for alignment, so a crafted file may misalign the elements).
std::vector<int64_t> readInt64s(const void *data, size_t count);

// A 64-bit FNV-1a hash of the names, dtypes and shapes in order: the model fingerprint
// callers pass to saveCheckpoint/loadCheckpoint.
uint64_t fingerprintOf(std::span<const TensorSpec> tensors);
uint64_t fingerprintOf(std::span<const TensorRecord> tensors);

} // namespace nnc::rt
