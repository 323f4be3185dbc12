// The CIFAR-10 / CIFAR-100 binary loader. A CIFAR-10 record is 1 label byte + 3072 pixel
// bytes (1024 red, 1024 green, 1024 blue, each 32x32 row-major, i.e. (C, H, W));
// a CIFAR-100 record is a coarse label byte, a fine label byte, then the same pixels.
// Files may be raw or gzip-compressed and are concatenated in the order given.
#pragma once

#include "data/Dataset.h"
#include "data/Error.h"

#include <string>
#include <vector>

namespace nnc::rt {

enum class CifarLabels {
  Cifar10,        // 10 classes
  Cifar100Coarse, // 20 superclasses
  Cifar100Fine,   // 100 classes
};

// Loads and concatenates `files` into a (N, 3, 32, 32) Dataset. Format errors: a file size
// (after decompression) that is not a multiple of the record size, a label outside the
// classes, no records at all, more than 2^31 elements; Io when a file cannot be read.
Expected<Dataset> loadCifar(const std::vector<std::string> &files, CifarLabels labels);

// The standard folders: cifar-10-batches-bin (data_batch_1..5.bin, test_batch.bin) and
// cifar-100-binary (train.bin, test.bin).
enum class CifarPart { Train, Test };
Expected<Dataset> loadCifar10Folder(const std::string &dir, CifarPart part);
Expected<Dataset> loadCifar100Folder(const std::string &dir, CifarPart part, bool fineLabels);

} // namespace nnc::rt
