// NumPy .npz archives (a zip of NAME.npy entries) to move weights to and from PyTorch and
// NumPy by tensor name: np.load(path)["h1.w"] is the tensor "h1.w".
#pragma once

#include "checkpoint/CheckpointError.h"
#include "checkpoint/Tensor.h"

#include <span>
#include <string>

namespace nnc::rt {

// Writes one uncompressed '<name>.npy' entry per tensor (format 1.0, C order, little-
// endian), like np.savez. The archive is built in `path.tmp-<pid>` and committed like a
// checkpoint (fsync, rename, directory fsync): `path` is never left half-written.
CheckpointStatus exportNpz(const std::string &path, std::span<const TensorRecord> tensors);

struct NpzImportOptions {
  // When not empty: each of these must be in the archive with this dtype and shape
  // (Mismatch otherwise), and the result lists them in this order.
  std::span<const TensorSpec> expected;
  // With `expected`: skip entries that name no expected tensor instead of failing.
  bool allowUnexpected = false;
};

// Reads every entry of an .npz (stored or deflated, as np.savez / np.savez_compressed
// write them) into 64-byte aligned memory. NotFound; WrongIdentifier (not a zip); Corrupt
// (zip inconsistency, CRC); Malformed (non-.npy entry, bad .npy header, data size not what
// the header says, bool bytes other than 0/1); Unsupported (dtype, big-endian,
// fortran_order True); Mismatch (against `options.expected`).
CheckpointResult<TensorSet> importNpz(const std::string &path,
                                      const NpzImportOptions &options = {});

} // namespace nnc::rt
