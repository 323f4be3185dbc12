// CIFAR parsing: whole-file reads, record-size checks, label and pixel extraction.
#include "data/Cifar.h"

#include "data/ByteStream.h"

#include <fmt/format.h>

#include <filesystem>

namespace nnc::rt {

namespace {
constexpr int64_t kPixels = 3 * 32 * 32; // bytes per image, (C, H, W)
} // namespace

Expected<Dataset> loadCifar(const std::vector<std::string> &files, CifarLabels labels) {
  if (files.empty())
    return Error{ErrorCode::InvalidArgument, "loadCifar: no files given"};
  const bool is100 = labels != CifarLabels::Cifar10;
  const int64_t labelBytes = is100 ? 2 : 1;
  const int64_t labelIndex = labels == CifarLabels::Cifar100Fine ? 1 : 0;
  const int64_t record = labelBytes + kPixels;
  const int64_t numClasses = labels == CifarLabels::Cifar10          ? 10
                             : labels == CifarLabels::Cifar100Coarse ? 20
                                                                     : 100;
  const char *name = is100 ? "CIFAR-100" : "CIFAR-10";

  std::vector<uint8_t> pixels; // (N, 3, 32, 32)
  std::vector<int64_t> classes;
  std::vector<uint8_t> bytes;
  for (const std::string &path : files) {
    auto in = ByteStream::open(path);
    if (!in)
      return std::move(in).takeError();
    bytes.clear();
    // Everything read so far plus this file stays within the 2^31-element limit.
    uint64_t budget = kMaxDatasetElements / kPixels * record - pixels.size() / kPixels * record;
    if (auto s = in->readToEnd(bytes, budget, fmt::format("{} records", name)); !s)
      return std::move(s).takeError();
    if (bytes.size() % record != 0)
      return fileError(ErrorCode::Format, path,
                       fmt::format("size {} is not a multiple of the {}-byte {} record ({} "
                                   "records and {} bytes left over)",
                                   bytes.size(), record, name, bytes.size() / record,
                                   bytes.size() % record));
    size_t records = bytes.size() / record;
    pixels.reserve(pixels.size() + records * kPixels);
    for (size_t r = 0; r < records; ++r) {
      const uint8_t *rec = bytes.data() + r * record;
      int64_t label = rec[labelIndex];
      if (label >= numClasses)
        return fileErrorAt(ErrorCode::Format, path, r * record + labelIndex,
                           fmt::format("label {} of record {} is out of range for {} classes",
                                       label, r, numClasses));
      classes.push_back(label);
      pixels.insert(pixels.end(), rec + labelBytes, rec + record);
    }
  }
  if (classes.empty())
    return fileError(ErrorCode::Format, files.front(),
                     fmt::format("no {} records in the {} file(s) given", name, files.size()));
  return datasetFromBytes(int64_t(classes.size()), 3, 32, 32, pixels, std::move(classes),
                          numClasses);
}

Expected<Dataset> loadCifar10Folder(const std::string &dir, CifarPart part) {
  std::vector<std::string> files;
  std::filesystem::path root(dir);
  if (part == CifarPart::Train) {
    for (int i = 1; i <= 5; ++i)
      files.push_back((root / fmt::format("data_batch_{}.bin", i)).string());
  } else {
    files.push_back((root / "test_batch.bin").string());
  }
  return loadCifar(files, CifarLabels::Cifar10);
}

Expected<Dataset> loadCifar100Folder(const std::string &dir, CifarPart part, bool fineLabels) {
  std::filesystem::path file =
      std::filesystem::path(dir) / (part == CifarPart::Train ? "train.bin" : "test.bin");
  return loadCifar({file.string()},
                   fineLabels ? CifarLabels::Cifar100Fine : CifarLabels::Cifar100Coarse);
}

} // namespace nnc::rt
