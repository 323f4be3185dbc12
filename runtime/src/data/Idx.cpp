// IDX parsing: big-endian header, dimension checks, bounded reads of the payload.
#include "data/Idx.h"

#include "data/ByteStream.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace nnc::rt {

namespace {

// Reads the magic and `rank` big-endian dimensions; checks the magic, that no dimension is
// zero and that their product stays within kMaxDatasetElements.
Expected<std::vector<uint64_t>> readHeader(ByteStream &in, uint32_t expectedMagic, int rank,
                                           const char *what) {
  unsigned char bytes[4 * 4];
  auto be32 = [&](int i) {
    const unsigned char *p = bytes + 4 * i;
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
  };
  // The magic first, so that a short file of the wrong kind reports the wrong magic.
  if (auto s = in.readExact(bytes, 4, "the IDX magic"); !s)
    return std::move(s).takeError();
  uint32_t magic = be32(0);
  if (magic != expectedMagic)
    return fileErrorAt(ErrorCode::Format, in.path(), 0,
                       fmt::format("wrong magic 0x{:08x}: an IDX {} file starts with 0x{:08x}",
                                   magic, what, expectedMagic));
  if (auto s = in.readExact(bytes + 4, 4 * uint64_t(rank), "the IDX dimensions"); !s)
    return std::move(s).takeError();
  std::vector<uint64_t> dims;
  uint64_t elements = 1;
  for (int d = 0; d < rank; ++d) {
    uint64_t dim = be32(1 + d);
    if (dim == 0)
      return fileErrorAt(ErrorCode::Format, in.path(), 4 + 4 * uint64_t(d),
                         fmt::format("dimension {} is 0", d));
    elements *= dim; // < 2^31 · 2^32 before the check below, so it cannot wrap
    if (elements > kMaxDatasetElements)
      return fileErrorAt(ErrorCode::Format, in.path(), 4 + 4 * uint64_t(d),
                         fmt::format("dimensions up to {} hold more than 2^31 elements", d));
    dims.push_back(dim);
  }
  return dims;
}

} // namespace

Expected<IdxImages> loadIdxImages(const std::string &path) {
  auto in = ByteStream::open(path);
  if (!in)
    return std::move(in).takeError();
  auto dims = readHeader(*in, kIdxImagesMagic, 3, "images");
  if (!dims)
    return std::move(dims).takeError();
  IdxImages images;
  images.count = int64_t((*dims)[0]);
  images.rows = int64_t((*dims)[1]);
  images.cols = int64_t((*dims)[2]);
  uint64_t bytes = (*dims)[0] * (*dims)[1] * (*dims)[2];
  if (auto s = in->readAppend(images.pixels, bytes,
                              fmt::format("{} images of {}x{}", images.count, images.rows,
                                          images.cols));
      !s)
    return std::move(s).takeError();
  if (auto s = in->expectEnd(); !s)
    return std::move(s).takeError();
  return images;
}

Expected<std::vector<uint8_t>> loadIdxLabels(const std::string &path) {
  auto in = ByteStream::open(path);
  if (!in)
    return std::move(in).takeError();
  auto dims = readHeader(*in, kIdxLabelsMagic, 1, "labels");
  if (!dims)
    return std::move(dims).takeError();
  std::vector<uint8_t> labels;
  if (auto s = in->readAppend(labels, (*dims)[0], fmt::format("{} labels", (*dims)[0])); !s)
    return std::move(s).takeError();
  if (auto s = in->expectEnd(); !s)
    return std::move(s).takeError();
  return labels;
}

Expected<Dataset> loadIdx(const std::string &imagesPath, const std::string &labelsPath,
                          int64_t numClasses) {
  if (numClasses < 0)
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("loadIdx: numClasses must be >= 0, got {}", numClasses)};
  auto images = loadIdxImages(imagesPath);
  if (!images)
    return std::move(images).takeError();
  auto labels = loadIdxLabels(labelsPath);
  if (!labels)
    return std::move(labels).takeError();
  if (int64_t(labels->size()) != images->count)
    return fileError(ErrorCode::Mismatch, labelsPath,
                     fmt::format("{} labels, but {} holds {} images", labels->size(),
                                 imagesPath, images->count));
  int64_t needed = int64_t(*std::max_element(labels->begin(), labels->end())) + 1;
  if (numClasses != 0 && needed > numClasses) {
    auto bad = std::find_if(labels->begin(), labels->end(),
                            [&](uint8_t l) { return l >= numClasses; });
    return fileErrorAt(ErrorCode::Format, labelsPath, 8 + uint64_t(bad - labels->begin()),
                       fmt::format("label {} of example {} is out of range for {} classes (the "
                                   "labels need {} classes)",
                                   *bad, bad - labels->begin(), numClasses, needed));
  }
  std::vector<int64_t> wide(labels->begin(), labels->end());
  return datasetFromBytes(images->count, 1, images->rows, images->cols, images->pixels,
                          std::move(wide), numClasses != 0 ? numClasses : needed);
}

Expected<Dataset> loadIdxFolder(const std::string &dir, IdxPart part, int64_t numClasses) {
  const char *prefix = part == IdxPart::Train ? "train" : "t10k";
  // Prefers the uncompressed file when both exist; reports the .gz name when neither does.
  auto pick = [&](const char *kind) {
    std::filesystem::path raw = std::filesystem::path(dir) / fmt::format("{}-{}", prefix, kind);
    std::error_code ec;
    if (std::filesystem::exists(raw, ec))
      return raw.string();
    return raw.string() + ".gz";
  };
  return loadIdx(pick("images-idx3-ubyte"), pick("labels-idx1-ubyte"), numClasses);
}

} // namespace nnc::rt
