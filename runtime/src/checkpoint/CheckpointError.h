// The status type of the checkpoint layer: a CheckpointError (code + message naming the
// file) and CheckpointResult<T>, a value or an error. Nothing here throws across the API or
// exits on bad input. The shape mirrors data/Error.h's Expected so the two can merge later.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace nnc::rt {

enum class CheckpointErrorCode {
  NotFound,           // the file does not exist
  Io,                 // open/read/write/fsync/rename failed (message has strerror)
  TooLarge,           // over a size limit (2 GiB FlatBuffer, element count overflow)
  Truncated,          // the file ends before its own header says it should
  Corrupt,            // the bytes fail the FlatBuffers verifier or a consistency check
  WrongIdentifier,    // not a checkpoint / not a zip archive (e.g. an IDX file)
  UnsupportedVersion, // a checkpoint version this runtime does not know
  OtherModel,         // the fingerprint or tensor list differs from the expected model
  Unsupported,        // valid elsewhere but not here (npy dtype, fortran_order, big-endian)
  Malformed,          // an .npy header or archive entry that does not follow the format
  Mismatch,           // an .npz entry's dtype/shape differs from the expected tensor
  InvalidArgument,    // the caller's tensors are inconsistent (size, duplicate name)
  OutOfMemory,        // the aligned buffer could not be allocated
};

// "not-found", "io", "too-large", ... (stable; tests and logs use them).
const char *checkpointErrorCodeName(CheckpointErrorCode code);

struct CheckpointError {
  CheckpointErrorCode code;
  std::string message; // "path: what is wrong"

  // "corrupt: model.nnck: ..."
  std::string str() const;
};

// A value or a CheckpointError. value() on an error is a programming error.
template <class T> class [[nodiscard]] CheckpointResult {
public:
  CheckpointResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  CheckpointResult(CheckpointError error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T &value() & { return std::get<0>(v_); }
  const T &value() const & { return std::get<0>(v_); }
  T &&value() && { return std::get<0>(std::move(v_)); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }

  const CheckpointError &error() const { return std::get<1>(v_); }
  CheckpointError &&takeError() && { return std::get<1>(std::move(v_)); }

private:
  std::variant<T, CheckpointError> v_;
};

// Success or a CheckpointError, for operations without a result.
using CheckpointStatus = CheckpointResult<std::monostate>;
inline CheckpointStatus checkpointOk() { return CheckpointStatus(std::monostate{}); }

} // namespace nnc::rt
