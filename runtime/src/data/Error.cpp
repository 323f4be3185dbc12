// Names of error codes and the constructors of located file errors.
#include "data/Error.h"

#include <fmt/format.h>

namespace nnc::rt {

const char *errorCodeName(ErrorCode code) {
  switch (code) {
  case ErrorCode::Io:
    return "io";
  case ErrorCode::Format:
    return "format";
  case ErrorCode::Mismatch:
    return "mismatch";
  case ErrorCode::InvalidArgument:
    return "invalid-argument";
  }
  return "unknown";
}

std::string Error::str() const { return fmt::format("{}: {}", errorCodeName(code), message); }

Error fileError(ErrorCode code, std::string_view path, std::string_view message) {
  return Error{code, fmt::format("{}: {}", path, message)};
}

Error fileErrorAt(ErrorCode code, std::string_view path, uint64_t offset,
                  std::string_view message) {
  return Error{code, fmt::format("{}: offset {}: {}", path, offset, message)};
}

} // namespace nnc::rt
