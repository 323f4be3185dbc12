// Aligned allocation through std::aligned_alloc and a read loop that retries EINTR and
// short reads.
#include "checkpoint/AlignedBuffer.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace nnc::rt {

void AlignedBuffer::Free::operator()(std::byte *p) const { release ? release(p) : std::free(p); }

AlignedBuffer AlignedBuffer::adopt(std::byte *p, size_t size, void (*release)(void *)) {
  AlignedBuffer b;
  b.data_ = std::unique_ptr<std::byte, Free>(p, Free{release});
  b.size_ = size;
  return b;
}

CheckpointResult<AlignedBuffer> AlignedBuffer::allocate(size_t size, const std::string &what) {
  // aligned_alloc wants a multiple of the alignment; an empty buffer still gets one block
  // so data() is never null.
  size_t rounded = size == 0 ? kTensorAlignment
                             : (size + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
  if (rounded < size)
    return CheckpointError{CheckpointErrorCode::OutOfMemory,
                           fmt::format("{}: cannot allocate {} bytes", what, size)};
  auto *p = static_cast<std::byte *>(std::aligned_alloc(kTensorAlignment, rounded));
  if (!p)
    return CheckpointError{CheckpointErrorCode::OutOfMemory,
                           fmt::format("{}: cannot allocate {} bytes", what, size)};
  std::memset(p + size, 0, rounded - size);
  AlignedBuffer b;
  b.data_.reset(p);
  b.size_ = size;
  return b;
}

CheckpointResult<AlignedBuffer> readFileAligned(const std::string &path, uint64_t maxBytes) {
  auto ioError = [&](const char *op, int err) {
    return CheckpointError{err == ENOENT ? CheckpointErrorCode::NotFound
                                         : CheckpointErrorCode::Io,
                           fmt::format("{}: cannot {}: {}", path, op, std::strerror(err))};
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ioError("open", errno);
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};

  struct stat st;
  if (::fstat(fd, &st) != 0) return ioError("stat", errno);
  if (!S_ISREG(st.st_mode))
    return CheckpointError{CheckpointErrorCode::Io, fmt::format("{}: not a regular file", path)};
  uint64_t size = uint64_t(st.st_size);
  if (size > maxBytes)
    return CheckpointError{CheckpointErrorCode::TooLarge,
                           fmt::format("{}: the file is {} bytes, over the limit of {} bytes",
                                       path, size, maxBytes)};

  auto buf = AlignedBuffer::allocate(size, path);
  if (!buf) return std::move(buf).takeError();
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, buf->data() + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ioError("read", errno);
    }
    if (n == 0) break; // the file shrank while we read it
    done += size_t(n);
  }
  if (done != size)
    return CheckpointError{CheckpointErrorCode::Truncated,
                           fmt::format("{}: the file shrank from {} to {} bytes while being read",
                                       path, size, done)};
  return buf;
}

} // namespace nnc::rt
