// 64-byte aligned, zeroed storage for the tensors tests hand to compiled models (the
// C API's alignment), shared by the PyTorch parity and zoo tests.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>

struct Aligned {
  Aligned() = default;
  explicit Aligned(size_t bytes) : size(bytes) {
    size_t n = std::max<size_t>(64, (bytes + 63) / 64 * 64);
    p.reset(static_cast<char *>(std::aligned_alloc(64, n)));
    std::memset(p.get(), 0, n);
  }
  struct Free {
    void operator()(char *q) const { std::free(q); }
  };
  std::unique_ptr<char, Free> p;
  size_t size = 0;
  template <class T> T *as() { return reinterpret_cast<T *>(p.get()); }
};
