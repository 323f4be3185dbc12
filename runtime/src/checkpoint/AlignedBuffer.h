// 64-byte aligned heap memory and a whole-file reader into it, so FlatBuffers' force_align 64
// tensor data and .npy payloads land on cache-line (and AVX-512) boundaries.
#pragma once

#include "checkpoint/CheckpointError.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace nnc::rt {

constexpr size_t kTensorAlignment = 64;

class AlignedBuffer {
public:
  AlignedBuffer() = default;

  // `size` bytes (zero-initialised tail padding up to a multiple of 64), or OutOfMemory.
  // `what` names the purpose in the message.
  static CheckpointResult<AlignedBuffer> allocate(size_t size, const std::string &what);
  // Takes `p` (`size` bytes, 64-byte aligned, zero tail up to a multiple of 64), which
  // `release` frees: memory from another allocator, such as CUDA managed memory.
  static AlignedBuffer adopt(std::byte *p, size_t size, void (*release)(void *));

  std::byte *data() { return data_.get(); }
  const std::byte *data() const { return data_.get(); }
  size_t size() const { return size_; }
  std::span<const std::byte> bytes() const { return {data_.get(), size_}; }

private:
  struct Free {
    Free() : release(nullptr) {}
    explicit Free(void (*r)(void *)) : release(r) {}
    void (*release)(void *); // null: std::free
    void operator()(std::byte *p) const;
  };
  std::unique_ptr<std::byte, Free> data_;
  size_t size_ = 0;
};

// The whole regular file at `path` in aligned memory. NotFound when it does not exist,
// TooLarge over `maxBytes` (checked before allocating), Io for other failures.
CheckpointResult<AlignedBuffer> readFileAligned(const std::string &path, uint64_t maxBytes);

} // namespace nnc::rt
