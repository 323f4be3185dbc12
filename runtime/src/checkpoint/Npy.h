// The NumPy .npy format: writing format 1.0 headers and parsing headers of versions 1-3,
// for the dtypes nnc has ('<f4' '<f8' '<i4' '<i8' '|b1'), C order, little-endian.
#pragma once

#include "checkpoint/CheckpointError.h"
#include "checkpoint/Tensor.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace nnc::rt {

// "<f4", "<f8", "<i4", "<i8", "|b1".
const char *npyDescr(DType t);

// The complete header (magic, version 1.0, length, dict, space padding, '\n') of an array
// of `dtype` and `shape`, padded so the data starts at a multiple of 64 bytes as NumPy does.
std::string encodeNpyHeader(DType dtype, std::span<const int64_t> shape);

struct NpyHeader {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  size_t headerBytes = 0; // where the data starts
  uint64_t dataBytes = 0; // size(dtype) * elements
};

// Bytes a preamble needs before parseNpyHeader can know the header length.
constexpr size_t kNpyPreambleBytes = 12;
// The header length of a file whose first bytes are `prefix` (at least kNpyPreambleBytes or
// the whole file when shorter); Malformed when the magic or version is wrong.
CheckpointResult<size_t> npyHeaderLength(std::span<const std::byte> prefix,
                                         const std::string &where);

// Parses the header in `header` (exactly npyHeaderLength bytes). Malformed: bad magic,
// version, dict syntax, keys; Unsupported: fortran_order True, big-endian or other dtypes.
// `where` ("file.npz: entry 'w.npy'") starts every message.
CheckpointResult<NpyHeader> parseNpyHeader(std::span<const std::byte> header,
                                           const std::string &where);

} // namespace nnc::rt
