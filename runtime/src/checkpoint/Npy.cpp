// .npy headers: the writer mirrors numpy.lib.format.write_array_header_1_0; the reader is
// a strict parser of the Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': ...}.
#include "checkpoint/Npy.h"

#include <fmt/format.h>

#include <cstring>
#include <optional>

namespace nnc::rt {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicBytes = 6;
constexpr size_t kMaxHeaderBytes = size_t(1) << 20;

// A cursor over the header dict; every parse function returns false after recording the
// first problem in `problem`.
struct DictParser {
  std::string_view s;
  size_t pos = 0;
  std::string problem;

  bool fail(std::string msg) {
    if (problem.empty()) problem = fmt::format("{} at header offset {}", msg, pos);
    return false;
  }
  void ws() {
    while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n' || s[pos] == '\r'))
      ++pos;
  }
  bool peek(char c) {
    ws();
    return pos < s.size() && s[pos] == c;
  }
  bool expect(char c) {
    if (!peek(c)) return fail(fmt::format("expected '{}'", c));
    ++pos;
    return true;
  }
  bool string(std::string &out) {
    ws();
    if (pos >= s.size() || (s[pos] != '\'' && s[pos] != '"')) return fail("expected a string");
    char q = s[pos++];
    size_t start = pos;
    while (pos < s.size() && s[pos] != q) {
      if (s[pos] == '\\') return fail("escapes in strings are not supported");
      ++pos;
    }
    if (pos >= s.size()) return fail("unterminated string");
    out = std::string(s.substr(start, pos - start));
    ++pos;
    return true;
  }
  bool boolean(bool &out) {
    ws();
    if (s.substr(pos, 4) == "True") {
      pos += 4;
      out = true;
      return true;
    }
    if (s.substr(pos, 5) == "False") {
      pos += 5;
      out = false;
      return true;
    }
    return fail("expected True or False");
  }
  bool integer(int64_t &out) {
    ws();
    size_t start = pos;
    uint64_t v = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (__builtin_mul_overflow(v, uint64_t(10), &v) ||
          __builtin_add_overflow(v, uint64_t(s[pos] - '0'), &v) || v > (uint64_t(1) << 62))
        return fail("a dimension is too large");
      ++pos;
    }
    if (pos == start) return fail("expected a non-negative integer");
    if (pos < s.size() && s[pos] == 'L') ++pos; // Python 2's long suffix
    out = int64_t(v);
    return true;
  }
  // (), (n,), (n, m), (n, m,)
  bool tuple(std::vector<int64_t> &out) {
    if (!expect('(')) return false;
    bool trailingComma = false;
    while (!peek(')')) {
      int64_t d;
      if (!integer(d)) return false;
      out.push_back(d);
      trailingComma = false;
      if (peek(',')) {
        ++pos;
        trailingComma = true;
      } else if (!peek(')')) {
        return fail("expected ',' or ')' in the shape");
      }
    }
    ++pos;
    if (out.size() == 1 && !trailingComma) return fail("the shape is not a tuple");
    return true;
  }
};

} // namespace

const char *npyDescr(DType t) {
  switch (t) {
  case DType::F32: return "<f4";
  case DType::F64: return "<f8";
  case DType::I32: return "<i4";
  case DType::I64: return "<i8";
  case DType::I1: return "|b1";
  }
  return "?";
}

std::string encodeNpyHeader(DType dtype, std::span<const int64_t> shape) {
  std::string shapeText;
  if (shape.size() == 1)
    shapeText = fmt::format("({},)", shape[0]);
  else
    shapeText = fmt::format("({})", fmt::join(shape, ", "));
  std::string dict = fmt::format("{{'descr': '{}', 'fortran_order': False, 'shape': {}, }}",
                                 npyDescr(dtype), shapeText);
  // 10 preamble bytes + dict + padding + '\n' is a multiple of 64.
  size_t total = 10 + dict.size() + 1;
  size_t padded = (total + 63) / 64 * 64;
  dict.append(padded - total, ' ');
  dict.push_back('\n');
  std::string out(kMagic, kMagicBytes);
  out.push_back('\x01');
  out.push_back('\x00');
  out.push_back(char(dict.size() & 0xff));
  out.push_back(char(dict.size() >> 8));
  return out + dict;
}

CheckpointResult<size_t> npyHeaderLength(std::span<const std::byte> prefix,
                                         const std::string &where) {
  auto malformed = [&](const std::string &msg) {
    return CheckpointError{CheckpointErrorCode::Malformed, fmt::format("{}: {}", where, msg)};
  };
  auto at = [&](size_t i) { return uint8_t(prefix[i]); };
  bool magic = prefix.size() >= kMagicBytes &&
               std::memcmp(prefix.data(), kMagic, kMagicBytes) == 0;
  if (!magic) return malformed("not an .npy array (no \\x93NUMPY magic)");
  if (prefix.size() < 10) return malformed("the .npy header is truncated");
  uint8_t major = at(6), minor = at(7);
  size_t total;
  if (major == 1) {
    total = 10 + (size_t(at(8)) | size_t(at(9)) << 8);
  } else if (major == 2 || major == 3) {
    if (prefix.size() < 12) return malformed("the .npy header is truncated");
    uint64_t len = uint64_t(at(8)) | uint64_t(at(9)) << 8 | uint64_t(at(10)) << 16 |
                   uint64_t(at(11)) << 24;
    if (len > kMaxHeaderBytes)
      return malformed(fmt::format("the .npy header length {} is over {} bytes", len,
                                   kMaxHeaderBytes));
    total = 12 + size_t(len);
  } else {
    return malformed(fmt::format(".npy format version {}.{} is not supported", major, minor));
  }
  return total;
}

CheckpointResult<NpyHeader> parseNpyHeader(std::span<const std::byte> header,
                                           const std::string &where) {
  auto length = npyHeaderLength(header, where);
  if (!length) return std::move(length).takeError();
  auto malformed = [&](const std::string &msg) {
    return CheckpointError{CheckpointErrorCode::Malformed,
                           fmt::format("{}: malformed .npy header: {}", where, msg)};
  };
  if (header.size() != *length) return malformed("the header is truncated");
  size_t dictStart = uint8_t(header[6]) == 1 ? 10 : 12;

  DictParser p;
  p.s = std::string_view(reinterpret_cast<const char *>(header.data()) + dictStart,
                         header.size() - dictStart);
  std::optional<std::string> descr;
  std::optional<bool> fortran;
  std::optional<std::vector<int64_t>> shape;
  if (!p.expect('{')) return malformed(p.problem);
  while (!p.peek('}')) {
    std::string key;
    if (!p.string(key) || !p.expect(':')) return malformed(p.problem);
    if (key == "descr") {
      if (descr) return malformed("duplicate key 'descr'");
      if (p.peek('[')) {
        return CheckpointError{CheckpointErrorCode::Unsupported,
                               fmt::format("{}: structured dtypes are not supported", where)};
      }
      descr.emplace();
      if (!p.string(*descr)) return malformed(p.problem);
    } else if (key == "fortran_order") {
      if (fortran) return malformed("duplicate key 'fortran_order'");
      fortran.emplace();
      if (!p.boolean(*fortran)) return malformed(p.problem);
    } else if (key == "shape") {
      if (shape) return malformed("duplicate key 'shape'");
      shape.emplace();
      if (!p.tuple(*shape)) return malformed(p.problem);
    } else {
      return malformed(fmt::format("unexpected key '{}'", key));
    }
    if (p.peek(',')) {
      ++p.pos;
    } else if (!p.peek('}')) {
      return malformed(p.problem.empty() ? "expected ',' or '}'" : p.problem);
    }
  }
  ++p.pos;
  p.ws();
  if (p.pos != p.s.size()) return malformed("unexpected text after the dict");
  if (!descr || !fortran || !shape)
    return malformed(fmt::format("missing key '{}'", !descr ? "descr"
                                                     : !fortran ? "fortran_order"
                                                                : "shape"));

  auto unsupported = [&](const std::string &msg) {
    return CheckpointError{CheckpointErrorCode::Unsupported, fmt::format("{}: {}", where, msg)};
  };
  if (*fortran)
    return unsupported("fortran_order True (column-major) arrays are not supported; save "
                       "np.ascontiguousarray(a) instead");
  NpyHeader h;
  if (*descr == "<f4") h.dtype = DType::F32;
  else if (*descr == "<f8") h.dtype = DType::F64;
  else if (*descr == "<i4") h.dtype = DType::I32;
  else if (*descr == "<i8") h.dtype = DType::I64;
  else if (*descr == "|b1") h.dtype = DType::I1;
  else if (!descr->empty() && (*descr)[0] == '>')
    return unsupported(fmt::format("big-endian dtype '{}' is not supported; convert with "
                                   "a.astype(a.dtype.newbyteorder('<'))",
                                   *descr));
  else
    return unsupported(fmt::format("dtype '{}' is not supported (nnc reads '<f4' '<f8' '<i4' "
                                   "'<i8' '|b1')",
                                   *descr));
  h.shape = std::move(*shape);
  auto bytes = byteSize(h.dtype, h.shape);
  if (!bytes)
    return CheckpointError{CheckpointErrorCode::TooLarge,
                           fmt::format("{}: the shape ({}) has too many elements", where,
                                       fmt::join(h.shape, ", "))};
  h.headerBytes = header.size();
  h.dataBytes = *bytes;
  return h;
}

} // namespace nnc::rt
