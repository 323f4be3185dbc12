// saveCheckpoint: checks the tensors and the 2 GiB limit, builds the size-prefixed
// FlatBuffer with 64-byte aligned tensor data, and replaces the file atomically.
#include "checkpoint/AlignedBuffer.h"
#include "checkpoint/Checkpoint.h"

#include "schemas/checkpoint_generated.h"

#include <fmt/format.h>

#include <new>

static_assert(FLATBUFFERS_MAX_ALIGNMENT >= 64,
              "tensor data is force_align 64: build with FLATBUFFERS_MAX_ALIGNMENT=64");

namespace nnc::rt {
namespace {

static_assert(int(DType::F32) == int(schema::DType::F32) &&
              int(DType::F64) == int(schema::DType::F64) &&
              int(DType::I32) == int(schema::DType::I32) &&
              int(DType::I64) == int(schema::DType::I64) &&
              int(DType::I1) == int(schema::DType::I1));

// An upper bound of the serialized size: every tensor's data padded to 64 bytes plus a
// generous allowance for its table, name, shape and the padding FlatBuffers inserts.
uint64_t sizeBound(const Checkpoint &c) {
  uint64_t total = 1024 + c.modelName.size() + 4 * uint64_t(c.tensors.size());
  for (const TensorRecord &t : c.tensors)
    total += 256 + t.name.size() + 8 * t.shape.size() +
             (t.bytes.size() + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
  return total;
}

} // namespace

CheckpointStatus saveCheckpoint(const std::string &path, const Checkpoint &checkpoint,
                                const SaveOptions &options) {
  if (auto s = validateTensors(checkpoint.tensors, path); !s) return s;
  uint64_t bound = sizeBound(checkpoint);
  if (bound > kMaxCheckpointBytes)
    return CheckpointError{
        CheckpointErrorCode::TooLarge,
        fmt::format("{}: the checkpoint would take up to {} bytes, over FlatBuffers' 2 GiB "
                    "limit ({} bytes); nothing was written",
                    path, bound, kMaxCheckpointBytes)};

  try {
    flatbuffers::FlatBufferBuilder fbb(bound);
    std::vector<flatbuffers::Offset<schema::Tensor>> tensors;
    tensors.reserve(checkpoint.tensors.size());
    for (const TensorRecord &t : checkpoint.tensors) {
      auto name = fbb.CreateString(t.name);
      auto shape = fbb.CreateVector(t.shape);
      fbb.ForceVectorAlignment(t.bytes.size(), sizeof(uint8_t), kTensorAlignment);
      auto data =
          fbb.CreateVector(reinterpret_cast<const uint8_t *>(t.bytes.data()), t.bytes.size());
      tensors.push_back(
          schema::CreateTensor(fbb, name, static_cast<schema::DType>(t.dtype), shape, data));
    }
    auto tensorVec = fbb.CreateVector(tensors);
    auto modelName = fbb.CreateString(checkpoint.modelName);
    auto root = schema::CreateCheckpoint(fbb, kCheckpointVersion, modelName,
                                         checkpoint.fingerprint, checkpoint.step,
                                         checkpoint.epoch, checkpoint.seed, tensorVec);
    schema::FinishSizePrefixedCheckpointBuffer(fbb, root);
    auto bytes = std::as_bytes(std::span(fbb.GetBufferPointer(), fbb.GetSize()));
    return writeFileAtomically(path, bytes, options.progress);
  } catch (const std::bad_alloc &) {
    return CheckpointError{CheckpointErrorCode::OutOfMemory,
                           fmt::format("{}: out of memory serializing {} bytes", path, bound)};
  }
}

} // namespace nnc::rt
