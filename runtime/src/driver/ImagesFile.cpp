// Reading predict's input: .npy through the checkpoint layer's header parser, IDX through
// the data layer.
#include "driver/ImagesFile.h"

#include "checkpoint/AlignedBuffer.h"
#include "checkpoint/Npy.h"
#include "data/Idx.h"
#include "driver/Errors.h"

#include <fmt/format.h>

#include <cstring>

namespace nnc::rt::driver {

namespace {

constexpr uint64_t kMaxInputBytes = uint64_t(8) << 30;

Expected<Dataset> fromNpy(const std::string &path, const AlignedBuffer &file, int64_t channels, int64_t height,
                          int64_t width) {
  auto bytes = file.bytes();
  auto length = npyHeaderLength(bytes.first(std::min(bytes.size(), kNpyPreambleBytes)), path);
  if (!length) return fromCheckpoint(length.error());
  if (*length > bytes.size()) return fileError(ErrorCode::Format, path, "the .npy header is truncated");
  auto header = parseNpyHeader(bytes.first(*length), path);
  if (!header) return fromCheckpoint(header.error());
  const NpyHeader &h = header.value();
  if (h.dtype != DType::F32 && h.dtype != DType::F64)
    return fileError(ErrorCode::Format, path,
                     fmt::format("the array is {}; expected float32 or float64 pixel values in [0, 1] (divide uint8 "
                                 "images by 255)",
                                 dtypeName(h.dtype)));
  if (h.headerBytes + h.dataBytes != bytes.size())
    return fileError(ErrorCode::Format, path,
                     fmt::format("the file has {} data bytes but its header announces {}",
                                 bytes.size() - h.headerBytes, h.dataBytes));
  Dataset d;
  const auto &s = h.shape;
  if (s.size() == 4) d = Dataset{s[0], s[1], s[2], s[3], 0, {}, {}};
  else if (s.size() == 3) d = Dataset{s[0], 1, s[1], s[2], 0, {}, {}};
  else if (s.size() == 2 && s[1] == channels * height * width) d = Dataset{s[0], channels, height, width, 0, {}, {}};
  else
    return fileError(ErrorCode::Format, path,
                     fmt::format("the array is {}; expected (N, C, H, W), (N, H, W) or (N, {})",
                                 formatSpec(h.dtype, h.shape), channels * height * width));
  if (d.count == 0) return fileError(ErrorCode::Format, path, "the array holds no images");
  const std::byte *data = bytes.data() + h.headerBytes;
  const size_t n = size_t(*elementCount(h.shape));
  d.images.resize(n);
  if (h.dtype == DType::F32) std::memcpy(d.images.data(), data, n * 4);
  else
    for (size_t i = 0; i < n; ++i) {
      double v;
      std::memcpy(&v, data + 8 * i, 8);
      d.images[i] = float(v);
    }
  d.labels.assign(size_t(d.count), 0);
  return d;
}

} // namespace

Expected<Dataset> loadImagesFile(const std::string &path, int64_t channels, int64_t height, int64_t width) {
  auto file = readFileAligned(path, kMaxInputBytes);
  if (!file) return fromCheckpoint(file.error());
  static const char npyMagic[] = "\x93NUMPY";
  if (file->size() >= 6 && std::memcmp(file->data(), npyMagic, 6) == 0)
    return fromNpy(path, file.value(), channels, height, width);
  auto idx = loadIdxImages(path); // also reads gzip; its errors name the file and the offset
  if (!idx) {
    const unsigned char *p = reinterpret_cast<const unsigned char *>(file->data());
    bool looksIdx = file->size() >= 4 && ((p[0] == 0 && p[1] == 0 && p[2] == 8) || (p[0] == 0x1f && p[1] == 0x8b));
    if (!looksIdx)
      return fileError(ErrorCode::Format, path,
                       "neither a NumPy .npy array nor an IDX images file (magic 0x00000803, raw or gzip)");
    return std::move(idx).takeError();
  }
  std::vector<int64_t> labels(size_t(idx->count), 0);
  return datasetFromBytes(idx->count, 1, idx->rows, idx->cols, idx->pixels, std::move(labels), 0);
}

} // namespace nnc::rt::driver
