// loadCheckpoint: reads the file into aligned memory, verifies it with the generated
// FlatBuffers verifier before reading any field, then checks version, tensors and model.
#include "checkpoint/AlignedBuffer.h"
#include "checkpoint/Checkpoint.h"

#include "schemas/checkpoint_generated.h"

#include <fmt/format.h>

#include <cctype>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace nnc::rt {
namespace {

// Size prefix (4) + root offset (4) + identifier (4).
constexpr size_t kHeaderBytes = 12;

CheckpointError err(CheckpointErrorCode code, const std::string &path, const std::string &msg) {
  return {code, fmt::format("{}: {}", path, msg)};
}

// The 4 identifier bytes as text when printable, else as hex.
std::string showIdentifier(const std::byte *p) {
  bool printable = true;
  for (int i = 0; i < 4; ++i) printable &= std::isprint(static_cast<unsigned char>(p[i])) != 0;
  if (printable) return fmt::format("\"{}\"", std::string(reinterpret_cast<const char *>(p), 4));
  return fmt::format("{:02x} {:02x} {:02x} {:02x}", uint8_t(p[0]), uint8_t(p[1]), uint8_t(p[2]),
                     uint8_t(p[3]));
}

// The first difference between the model's tensors and the checkpoint's, or "".
std::string firstDifference(const std::vector<TensorSpec> &model,
                            const std::vector<TensorRecord> &ckpt) {
  std::unordered_map<std::string_view, const TensorRecord *> byName;
  for (const TensorRecord &t : ckpt) byName.emplace(t.name, &t);
  std::unordered_set<std::string_view> modelNames;
  for (const TensorSpec &m : model) {
    modelNames.insert(m.name);
    auto it = byName.find(m.name);
    if (it == byName.end())
      return fmt::format("tensor '{}' ({}) of the model is not in the checkpoint", m.name,
                         formatSpec(m));
    const TensorRecord &c = *it->second;
    if (c.dtype != m.dtype || c.shape != m.shape)
      return fmt::format("tensor '{}' is {} in the model but {} in the checkpoint", m.name,
                         formatSpec(m), formatSpec(c));
  }
  for (const TensorRecord &c : ckpt)
    if (!modelNames.count(c.name))
      return fmt::format("tensor '{}' ({}) of the checkpoint is not in the model", c.name,
                         formatSpec(c));
  return "";
}

} // namespace

CheckpointResult<Checkpoint> loadCheckpoint(const std::string &path) {
  auto file = readFileAligned(path, kMaxCheckpointBytes);
  if (!file) return std::move(file).takeError();
  return parseCheckpoint(std::move(file).value(), path);
}

CheckpointResult<Checkpoint> parseCheckpoint(AlignedBuffer image, const std::string &path) {
  const std::byte *base = image.data();
  const size_t size = image.size();
  if (size > kMaxCheckpointBytes)
    return err(CheckpointErrorCode::TooLarge, path,
               fmt::format("{} bytes is over the 2 GiB checkpoint limit", size));

  if (size < kHeaderBytes)
    return err(CheckpointErrorCode::Truncated, path,
               size == 0 ? std::string("the file is empty")
                         : fmt::format("the file is {} bytes, shorter than a checkpoint header "
                                       "({} bytes)",
                                       size, kHeaderBytes));
  const char *id = schema::CheckpointIdentifier();
  if (std::memcmp(base + 8, id, 4) != 0)
    return err(CheckpointErrorCode::WrongIdentifier, path,
               fmt::format("not an nnc checkpoint: expected the file identifier \"{}\" at bytes "
                           "8-11, found {}",
                           id, showIdentifier(base + 8)));
  uint64_t declared = uint64_t(flatbuffers::ReadScalar<uint32_t>(base)) + 4;
  if (declared > size)
    return err(CheckpointErrorCode::Truncated, path,
               fmt::format("the file is truncated: {} bytes, but its header says {}", size,
                           declared));
  if (declared < size)
    return err(CheckpointErrorCode::Corrupt, path,
               fmt::format("{} unexpected bytes after the {}-byte checkpoint", size - declared,
                           declared));

  // Nothing is read from the buffer before the verifier has checked every offset.
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t *>(base), size);
  if (!schema::VerifySizePrefixedCheckpointBuffer(verifier))
    return err(CheckpointErrorCode::Corrupt, path,
               "the checkpoint is corrupt (FlatBuffers verification failed)");
  const schema::Checkpoint *root =
      schema::GetSizePrefixedCheckpoint(reinterpret_cast<const uint8_t *>(base));

  if (root->version() != kCheckpointVersion)
    return err(CheckpointErrorCode::UnsupportedVersion, path,
               fmt::format("checkpoint version {} is not supported (this runtime reads version "
                           "{})",
                           root->version(), kCheckpointVersion));

  Checkpoint c;
  c.modelName = root->model_name() ? root->model_name()->str() : "";
  c.fingerprint = root->model_fingerprint();
  c.step = root->step();
  c.epoch = root->epoch();
  c.seed = root->seed();
  std::unordered_set<std::string_view> names;
  if (const auto *tensors = root->tensors()) {
    c.tensors.reserve(tensors->size());
    for (flatbuffers::uoffset_t i = 0; i < tensors->size(); ++i) {
      const schema::Tensor *t = tensors->Get(i);
      TensorRecord r;
      r.name = t->name()->str();
      auto corrupt = [&](const std::string &msg) {
        return err(CheckpointErrorCode::Corrupt, path,
                   fmt::format("tensor {} ('{}'): {}", i, r.name, msg));
      };
      if (!names.insert(t->name()->string_view()).second) return corrupt("duplicate name");
      auto rawType = static_cast<uint8_t>(t->dtype());
      if (!isValidDType(rawType)) return corrupt(fmt::format("unknown dtype {}", int(rawType)));
      r.dtype = static_cast<DType>(rawType);
      if (const auto *shape = t->shape()) r.shape = readInt64s(shape->Data(), shape->size());
      auto expected = byteSize(r.dtype, r.shape);
      if (!expected)
        return corrupt(fmt::format("invalid shape [{}]", fmt::join(r.shape, ", ")));
      size_t have = t->data() ? t->data()->size() : 0;
      if (have != *expected)
        return corrupt(fmt::format("{} needs {} bytes but the checkpoint holds {}",
                                   formatSpec(r), *expected, have));
      if (have) {
        r.bytes = std::as_bytes(std::span(t->data()->data(), have));
        if (reinterpret_cast<uintptr_t>(r.bytes.data()) % kTensorAlignment != 0)
          return corrupt("data is not 64-byte aligned (not written by nnc)");
      }
      if (r.dtype == DType::I1)
        for (std::byte b : r.bytes)
          if (uint8_t(b) > 1) return corrupt("a bool element is neither 0 nor 1");
      c.tensors.push_back(std::move(r));
    }
  }
  c.storage = std::make_shared<AlignedBuffer>(std::move(image));
  return c;
}

CheckpointResult<Checkpoint> loadCheckpoint(const std::string &path,
                                            const ModelIdentity &expected) {
  auto c = loadCheckpoint(path);
  if (!c) return c;
  std::string diff = expected.tensors.empty() ? "" : firstDifference(expected.tensors, c->tensors);
  if (c->fingerprint == expected.fingerprint && diff.empty()) return c;
  std::string msg = fmt::format("the checkpoint belongs to another model: it was saved from "
                                "'{}' (fingerprint {:#018x}), not '{}' (fingerprint {:#018x})",
                                c->modelName, c->fingerprint, expected.name,
                                expected.fingerprint);
  if (!diff.empty())
    msg += "; first difference: " + diff;
  else if (expected.tensors.empty())
    msg += " (give the model's tensor list to name the first differing tensor)";
  else
    msg += "; the tensor names, dtypes and shapes agree, so the fingerprints were computed "
           "differently (tensor order?)";
  return err(CheckpointErrorCode::OtherModel, path, msg);
}

} // namespace nnc::rt
