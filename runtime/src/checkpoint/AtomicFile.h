// Crash-safe file replacement: write `path.tmp-<pid>` in the same directory, fsync it,
// rename it over `path`, fsync the directory. A crash at any point leaves either the old
// file or the complete new one at `path`, never a mix.
#pragma once

#include "checkpoint/CheckpointError.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace nnc::rt {

// Called after each chunk reaches the temporary file: (bytes written, total bytes).
// Tests use it to kill a save mid-write.
using WriteProgress = std::function<void(uint64_t written, uint64_t total)>;

// "dir/model.nnck" -> "dir/model.nnck.tmp-<pid>".
std::string tempPathFor(const std::string &path);

// Writes `bytes` to the temporary file in chunks, then commits it (commitTempFile). On any
// failure the temporary file is removed and `path` is left as it was.
CheckpointStatus writeFileAtomically(const std::string &path, std::span<const std::byte> bytes,
                                     const WriteProgress &progress = {});

// fsyncs the finished file `tmp`, renames it over `path` and fsyncs the directory. On a
// failure before the rename `tmp` is removed and `path` is untouched.
CheckpointStatus commitTempFile(const std::string &tmp, const std::string &path);

} // namespace nnc::rt
