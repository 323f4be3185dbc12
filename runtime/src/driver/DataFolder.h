// The data sets of `--data DIR`: MNIST-style IDX files (MNIST, Fashion-MNIST, KMNIST:
// train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...) or CIFAR-10
// binary batches (data_batch_1.bin ... data_batch_5.bin, test_batch.bin, in DIR or in
// DIR/cifar-10-batches-bin), recognised by their file names.
#pragma once

#include "data/Dataset.h"
#include "data/Error.h"

#include <cstdint>
#include <string>

namespace nnc::rt::driver {

constexpr const char *kDefaultDataDir = "/usr/share/datasets/fashion-mnist";

struct DataFolder {
  std::string format;                // "IDX" or "CIFAR-10"
  std::string trainImages, testImages; // the files that messages name
  Dataset train, test;               // empty when not asked for
};

// Loads the parts asked for. `classes` (0: 10) bounds IDX labels. Errors name the folder
// or the file: a missing folder, no recognisable data set, any loader error.
Expected<DataFolder> loadDataFolder(const std::string &dir, int64_t classes, bool loadTrain, bool loadTest);

} // namespace nnc::rt::driver
