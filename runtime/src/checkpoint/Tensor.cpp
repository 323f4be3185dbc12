// Element sizes, checked size arithmetic, spec formatting, tensor validation and the
// FNV-1a fingerprint.
#include "checkpoint/Tensor.h"

#include <fmt/format.h>

#include <cstring>
#include <unordered_set>

namespace nnc::rt {

size_t dtypeSize(DType t) {
  switch (t) {
  case DType::F32: return 4;
  case DType::F64: return 8;
  case DType::I32: return 4;
  case DType::I64: return 8;
  case DType::I1: return 1;
  }
  return 0;
}

const char *dtypeName(DType t) {
  switch (t) {
  case DType::F32: return "f32";
  case DType::F64: return "f64";
  case DType::I32: return "i32";
  case DType::I64: return "i64";
  case DType::I1: return "i1";
  }
  return "?";
}

bool isValidDType(uint8_t raw) { return raw < kNumDTypes; }

const TensorRecord *TensorSet::find(std::string_view name) const {
  for (const TensorRecord &t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

std::optional<uint64_t> elementCount(std::span<const int64_t> shape) {
  constexpr uint64_t kLimit = uint64_t(1) << 62;
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) return std::nullopt;
    if (__builtin_mul_overflow(n, uint64_t(d), &n) || n > kLimit) return std::nullopt;
  }
  return n;
}

std::optional<uint64_t> byteSize(DType dtype, std::span<const int64_t> shape) {
  auto n = elementCount(shape);
  uint64_t bytes;
  if (!n || __builtin_mul_overflow(*n, uint64_t(dtypeSize(dtype)), &bytes)) return std::nullopt;
  return bytes;
}

std::string formatSpec(DType dtype, std::span<const int64_t> shape) {
  return fmt::format("{}[{}]", dtypeName(dtype), fmt::join(shape, ", "));
}

CheckpointStatus validateTensors(std::span<const TensorRecord> tensors, std::string_view what) {
  auto invalid = [&](std::string msg) {
    return CheckpointError{CheckpointErrorCode::InvalidArgument,
                           fmt::format("{}: {}", what, msg)};
  };
  std::unordered_set<std::string_view> names;
  for (const TensorRecord &t : tensors) {
    if (t.name.empty()) return invalid("a tensor has an empty name");
    if (!names.insert(t.name).second)
      return invalid(fmt::format("tensor '{}' appears twice", t.name));
    if (!isValidDType(uint8_t(t.dtype)))
      return invalid(fmt::format("tensor '{}' has an unknown dtype {}", t.name, int(t.dtype)));
    for (int64_t d : t.shape)
      if (d < 0)
        return invalid(fmt::format("tensor '{}' has a negative dimension in [{}]", t.name,
                                   fmt::join(t.shape, ", ")));
    auto size = byteSize(t.dtype, t.shape);
    if (!size)
      return CheckpointError{CheckpointErrorCode::TooLarge,
                             fmt::format("{}: tensor '{}' of shape {} has too many elements",
                                         what, t.name, formatSpec(t))};
    if (*size != t.bytes.size())
      return invalid(fmt::format("tensor '{}' is {} = {} bytes but {} bytes were given", t.name,
                                 formatSpec(t), *size, t.bytes.size()));
  }
  return checkpointOk();
}

std::vector<int64_t> readInt64s(const void *data, size_t count) {
  std::vector<int64_t> out(count);
  if (count) std::memcpy(out.data(), data, count * sizeof(int64_t));
  return out;
}

namespace {
struct Fnv1a {
  uint64_t h = 0xcbf29ce484222325ull;
  void bytes(const void *p, size_t n) {
    auto *c = static_cast<const unsigned char *>(p);
    for (size_t i = 0; i < n; ++i) h = (h ^ c[i]) * 0x100000001b3ull;
  }
  void u64(uint64_t v) { // little-endian, so the hash does not depend on the host
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    bytes(b, 8);
  }
};

template <class T> uint64_t fingerprintImpl(std::span<const T> tensors) {
  Fnv1a f;
  f.u64(tensors.size());
  for (const TensorSpec &t : tensors) {
    f.u64(t.name.size());
    f.bytes(t.name.data(), t.name.size());
    f.u64(uint64_t(t.dtype));
    f.u64(t.shape.size());
    for (int64_t d : t.shape) f.u64(uint64_t(d));
  }
  return f.h;
}
} // namespace

uint64_t fingerprintOf(std::span<const TensorSpec> tensors) { return fingerprintImpl(tensors); }
uint64_t fingerprintOf(std::span<const TensorRecord> tensors) {
  return fingerprintImpl(tensors);
}

} // namespace nnc::rt
