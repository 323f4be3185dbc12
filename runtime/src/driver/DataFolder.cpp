// Recognising and loading a data folder through the data layer's IDX and CIFAR loaders.
#include "driver/DataFolder.h"

#include "data/Cifar.h"
#include "data/Idx.h"

#include <fmt/format.h>

#include <filesystem>

namespace nnc::rt::driver {

namespace fs = std::filesystem;

namespace {

bool present(const fs::path &p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// An IDX file of the folder: the raw name if present, else the .gz name.
std::string idxFile(const fs::path &dir, const std::string &name) {
  return present(dir / name) ? (dir / name).string() : (dir / name).string() + ".gz";
}

} // namespace

Expected<DataFolder> loadDataFolder(const std::string &dir, int64_t classes, bool loadTrain, bool loadTest) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return fileError(ErrorCode::Io, dir, present(dir) ? "--data must name a folder, not a file" : "no such folder (--data)");
  DataFolder out;
  fs::path root(dir);
  bool idx = present(root / "train-images-idx3-ubyte") || present(root / "train-images-idx3-ubyte.gz") ||
             present(root / "t10k-images-idx3-ubyte") || present(root / "t10k-images-idx3-ubyte.gz");
  if (idx) {
    out.format = "IDX";
    out.trainImages = idxFile(root, "train-images-idx3-ubyte");
    out.testImages = idxFile(root, "t10k-images-idx3-ubyte");
    int64_t n = classes > 0 ? classes : 10;
    if (loadTrain) {
      auto d = loadIdx(out.trainImages, idxFile(root, "train-labels-idx1-ubyte"), n);
      if (!d) return std::move(d).takeError();
      out.train = std::move(d).value();
    }
    if (loadTest) {
      auto d = loadIdx(out.testImages, idxFile(root, "t10k-labels-idx1-ubyte"), n);
      if (!d) return std::move(d).takeError();
      out.test = std::move(d).value();
    }
    return out;
  }
  fs::path cifar = present(root / "cifar-10-batches-bin") ? root / "cifar-10-batches-bin" : root;
  if (present(cifar / "data_batch_1.bin") || present(cifar / "test_batch.bin")) {
    out.format = "CIFAR-10";
    out.trainImages = (cifar / "data_batch_1.bin").string();
    out.testImages = (cifar / "test_batch.bin").string();
    if (loadTrain) {
      auto d = loadCifar10Folder(cifar.string(), CifarPart::Train);
      if (!d) return std::move(d).takeError();
      out.train = std::move(d).value();
    }
    if (loadTest) {
      auto d = loadCifar10Folder(cifar.string(), CifarPart::Test);
      if (!d) return std::move(d).takeError();
      out.test = std::move(d).value();
    }
    return out;
  }
  return fileError(ErrorCode::Io, dir,
                   "no data set here (--data): expected MNIST-style IDX files (train-images-idx3-ubyte[.gz], "
                   "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]) or "
                   "CIFAR-10 binary batches (data_batch_1.bin ... data_batch_5.bin, test_batch.bin)");
}

} // namespace nnc::rt::driver
