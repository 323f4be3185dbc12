// The IDX loader for MNIST-style datasets (MNIST, Fashion-MNIST, KMNIST): images with
// magic 0x00000803 (unsigned bytes, dims N, H, W) and labels with magic 0x00000801 (dim
// N), big-endian, raw or gzip-compressed. Every malformed file gives an Error.
#pragma once

#include "data/Dataset.h"
#include "data/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnc::rt {

constexpr uint32_t kIdxImagesMagic = 0x00000803; // u8, 3 dimensions
constexpr uint32_t kIdxLabelsMagic = 0x00000801; // u8, 1 dimension

struct IdxImages {
  int64_t count = 0, rows = 0, cols = 0;
  std::vector<uint8_t> pixels; // (N, H, W)
};

// Reads an images file. Format errors: wrong magic, a zero dimension, more than 2^31
// elements, truncated or corrupt data, bytes after the last image.
Expected<IdxImages> loadIdxImages(const std::string &path);
// Reads a labels file, with the same checks.
Expected<std::vector<uint8_t>> loadIdxLabels(const std::string &path);

// An images file and its labels file as a Dataset of shape (N, 1, H, W). numClasses 0
// means "max label + 1"; otherwise a label >= numClasses is a Format error whose message
// gives the class count the labels need. A label count that differs from the image
// count is a Mismatch.
Expected<Dataset> loadIdx(const std::string &imagesPath, const std::string &labelsPath,
                          int64_t numClasses = 0);

// The training or test part of an MNIST-layout folder: train-images-idx3-ubyte and
// train-labels-idx1-ubyte (or t10k-...), each with or without ".gz".
enum class IdxPart { Train, Test };
Expected<Dataset> loadIdxFolder(const std::string &dir, IdxPart part, int64_t numClasses = 10);

} // namespace nnc::rt
