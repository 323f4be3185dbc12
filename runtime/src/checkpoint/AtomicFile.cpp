// write(2)/fsync(2)/rename(2) with EINTR and short-write handling. No stdio buffering is
// involved, so fsync alone makes the data durable (no fflush needed).
#include "checkpoint/AtomicFile.h"

#include <cstdlib>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace nnc::rt {
namespace {

constexpr size_t kChunkBytes = size_t(8) << 20;

CheckpointError sysError(const std::string &what, int err) {
  return {CheckpointErrorCode::Io, fmt::format("{}: {}", what, std::strerror(err))};
}

bool fsyncRetrying(int fd) {
  while (::fsync(fd) != 0)
    if (errno != EINTR) return false;
  return true;
}

// fsync of the directory makes the rename durable. Filesystems that cannot sync a
// directory (EINVAL, ENOTSUP) are accepted: there is nothing more to do on them.
CheckpointStatus syncDirectoryOf(const std::string &path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return sysError(fmt::format("{}: cannot open directory {} to sync it", path, dir), errno);
  bool ok = fsyncRetrying(fd);
  int err = errno;
  ::close(fd);
  if (!ok && err != EINVAL && err != ENOTSUP)
    return sysError(fmt::format("{}: written and renamed, but syncing directory {} failed", path,
                                dir),
                    err);
  return checkpointOk();
}

} // namespace

std::string tempPathFor(const std::string &path) {
  return fmt::format("{}.tmp-{}", path, ::getpid());
}

CheckpointStatus commitTempFile(const std::string &tmp, const std::string &path) {
  auto fail = [&](CheckpointError e) {
    ::unlink(tmp.c_str());
    return e;
  };
  int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fail(sysError(fmt::format("{}: cannot reopen {}", path, tmp), errno));
  bool ok = fsyncRetrying(fd);
  int err = errno;
  ::close(fd);
  if (!ok) return fail(sysError(fmt::format("{}: cannot fsync {}", path, tmp), err));
  if (::rename(tmp.c_str(), path.c_str()) != 0)
    return fail(sysError(fmt::format("{}: cannot rename {} over it", path, tmp), errno));
  return syncDirectoryOf(path);
}

CheckpointStatus writeFileAtomically(const std::string &path, std::span<const std::byte> bytes,
                                     const WriteProgress &progress) {
  std::string tmp = tempPathFor(path);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return sysError(fmt::format("{}: cannot create {}", path, tmp), errno);
  auto fail = [&](CheckpointError e) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return e;
  };

  // Fault injection for the crash tests (tests/lit/codegen/kill_during_checkpoint.test):
  // NNC_TEST_PAUSE_IN_SAVE=S sleeps S seconds once half the file is written.
  const char *pause = std::getenv("NNC_TEST_PAUSE_IN_SAVE");
  size_t pauseAt = pause ? bytes.size() / 2 : SIZE_MAX;
  size_t done = 0;
  while (done < bytes.size()) {
    if (done >= pauseAt) {
      ::sleep(unsigned(std::atoi(pause)));
      pauseAt = SIZE_MAX;
    }
    size_t chunk = std::min({kChunkBytes, bytes.size() - done, pauseAt > done ? pauseAt - done : kChunkBytes});
    size_t written = 0;
    while (written < chunk) {
      ssize_t n = ::write(fd, bytes.data() + done + written, chunk - written);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(sysError(fmt::format("{}: cannot write {}", path, tmp), errno));
      }
      written += size_t(n);
    }
    done += chunk;
    if (progress) progress(done, bytes.size());
  }
  if (!fsyncRetrying(fd))
    return fail(sysError(fmt::format("{}: cannot fsync {}", path, tmp), errno));
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return sysError(fmt::format("{}: cannot close {}", path, tmp), err);
  }
  // Already synced: the rename and the directory sync remain.
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return sysError(fmt::format("{}: cannot rename {} over it", path, tmp), err);
  }
  return syncDirectoryOf(path);
}

} // namespace nnc::rt
