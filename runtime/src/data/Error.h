// The status type of the data layer: an Error (code + message naming the file and the
// offset or field) and Expected<T>, a value or an Error. Nothing here throws or exits on
// bad input; every loader returns one of these. Offsets count uncompressed bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nnc::rt {

enum class ErrorCode {
  Io,              // the file cannot be opened or read
  Format,          // the bytes are not what the format says (magic, truncation, gzip)
  Mismatch,        // two inputs disagree (label count vs image count, shapes)
  InvalidArgument, // the caller asked for something impossible (fraction, batch size)
};

// "io", "format", "mismatch", "invalid-argument".
const char *errorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message; // "path: offset 16: ..." or "path: ..." for file errors

  // "format: train.gz: offset 8: ..."
  std::string str() const;
};

// A value or an Error. value() on an Error is a programming error (std::get throws).
template <class T> class [[nodiscard]] Expected {
public:
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Expected(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T &value() & { return std::get<0>(v_); }
  const T &value() const & { return std::get<0>(v_); }
  T &&value() && { return std::get<0>(std::move(v_)); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }

  const Error &error() const { return std::get<1>(v_); }
  Error &&takeError() && { return std::get<1>(std::move(v_)); }

private:
  std::variant<T, Error> v_;
};

// Success or an Error, for operations without a result.
using Status = Expected<std::monostate>;
inline Status okStatus() { return Status(std::monostate{}); }

// An Error whose message starts with the file: "path: message".
Error fileError(ErrorCode code, std::string_view path, std::string_view message);
// An Error at a byte offset of a file: "path: offset N: message".
Error fileErrorAt(ErrorCode code, std::string_view path, uint64_t offset,
                  std::string_view message);

} // namespace nnc::rt
