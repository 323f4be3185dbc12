// Unit tests of the runtime's data layer: IDX and CIFAR files written into a temporary
// folder (raw and gzip, built with zlib) loaded back with exact values, every malformed
// input giving the right error code and a message naming the file, standardization,
// the validation split, epoch shuffles, batches, and the real Fashion-MNIST when present.
#include "data/Batch.h"
#include "data/Classes.h"
#include "data/Cifar.h"
#include "data/Dataset.h"
#include "data/Idx.h"
#include "data/Shuffle.h"
#include "data/Split.h"
#include "data/Standardize.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <unistd.h>
#include <vector>

namespace nnc::rt {
namespace {

using Bytes = std::vector<uint8_t>;
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------
// Writing test files.

void appendBe32(Bytes &out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(uint8_t(v >> shift));
}

// An IDX images file: magic 0x803, dims (n, rows, cols), then pixel(i, r, c).
Bytes idxImages(uint32_t n, uint32_t rows, uint32_t cols,
                uint8_t (*pixel)(uint32_t, uint32_t, uint32_t)) {
  Bytes out;
  appendBe32(out, kIdxImagesMagic);
  appendBe32(out, n);
  appendBe32(out, rows);
  appendBe32(out, cols);
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t r = 0; r < rows; ++r)
      for (uint32_t c = 0; c < cols; ++c)
        out.push_back(pixel(i, r, c));
  return out;
}

Bytes idxLabels(const Bytes &labels) {
  Bytes out;
  appendBe32(out, kIdxLabelsMagic);
  appendBe32(out, uint32_t(labels.size()));
  out.insert(out.end(), labels.begin(), labels.end());
  return out;
}

uint8_t smallPixel(uint32_t i, uint32_t r, uint32_t c) { return uint8_t(i * 100 + r * 10 + c); }
// Hashed pixels: compress poorly, so a gzip file has a long deflate stream to damage.
uint8_t noisyPixel(uint32_t i, uint32_t r, uint32_t c) {
  uint32_t h = (i * 784 + r * 28 + c) * 2654435761u;
  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  return uint8_t(h >> 24);
}

// A temporary folder per test, removed afterwards.
class DataFiles : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("nnc_data_test_") + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string &name) const { return (dir_ / name).string(); }

  std::string writeRaw(const std::string &name, const Bytes &bytes) {
    std::ofstream out(path(name), std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
    return path(name);
  }
  std::string writeGz(const std::string &name, const Bytes &bytes) {
    gzFile gz = gzopen(path(name).c_str(), "wb9");
    EXPECT_NE(gz, nullptr);
    EXPECT_EQ(gzwrite(gz, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
    EXPECT_EQ(gzclose(gz), Z_OK);
    return path(name);
  }
  Bytes readRaw(const std::string &file) {
    std::ifstream in(file, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
  }

  fs::path dir_;
};

// The error's code matches and its message names the file and contains `fragment`.
template <class T>
void expectError(const Expected<T> &result, ErrorCode code, const std::string &file,
                 const std::string &fragment) {
  ASSERT_FALSE(result.ok()) << "expected an error mentioning '" << fragment << "'";
  EXPECT_EQ(result.error().code, code) << result.error().str();
  EXPECT_NE(result.error().message.find(file), std::string::npos) << result.error().str();
  EXPECT_NE(result.error().message.find(fragment), std::string::npos) << result.error().str();
}

// ---------------------------------------------------------------------------------------
// IDX.

TEST_F(DataFiles, IdxRawAndGzipLoadExactValues) {
  Bytes images = idxImages(3, 2, 3, smallPixel);
  Bytes labels = idxLabels({2, 0, 1});
  for (bool gz : {false, true}) {
    SCOPED_TRACE(gz ? "gzip" : "raw");
    std::string im = gz ? writeGz("im.gz", images) : writeRaw("im", images);
    std::string lb = gz ? writeGz("lb.gz", labels) : writeRaw("lb", labels);
    auto data = loadIdx(im, lb);
    ASSERT_TRUE(data.ok()) << data.error().str();
    EXPECT_EQ(data->count, 3);
    EXPECT_EQ(data->channels, 1);
    EXPECT_EQ(data->height, 2);
    EXPECT_EQ(data->width, 3);
    EXPECT_EQ(data->numClasses, 3); // max label + 1
    EXPECT_EQ(data->labels, (std::vector<int64_t>{2, 0, 1}));
    ASSERT_EQ(data->images.size(), 18u);
    for (uint32_t i = 0; i < 3; ++i)
      for (uint32_t r = 0; r < 2; ++r)
        for (uint32_t c = 0; c < 3; ++c)
          EXPECT_EQ(data->images[i * 6 + r * 3 + c], float(smallPixel(i, r, c)) / 255.0f);
  }
}

TEST_F(DataFiles, IdxPixelExtremes) {
  Bytes images = idxImages(2, 1, 1, [](uint32_t i, uint32_t, uint32_t) {
    return uint8_t(i == 0 ? 0 : 255);
  });
  auto data = loadIdx(writeRaw("im", images), writeRaw("lb", idxLabels({0, 0})), 10);
  ASSERT_TRUE(data.ok()) << data.error().str();
  EXPECT_EQ(data->images, (std::vector<float>{0.0f, 1.0f}));
  EXPECT_EQ(data->numClasses, 10);
}

TEST_F(DataFiles, IdxLabelOutOfRange) {
  std::string im = writeRaw("im", idxImages(3, 2, 2, smallPixel));
  std::string lb = writeRaw("lb", idxLabels({1, 12, 3}));
  expectError(loadIdx(im, lb, 10), ErrorCode::Format, lb, "label 12 of example 1");
  expectError(loadIdx(im, lb, 10), ErrorCode::Format, lb, "need 13 classes");
  auto inferred = loadIdx(im, lb);
  ASSERT_TRUE(inferred.ok()) << inferred.error().str();
  EXPECT_EQ(inferred->numClasses, 13);
}

TEST_F(DataFiles, IdxTruncatedRaw) {
  Bytes images = idxImages(4, 3, 3, smallPixel);
  images.resize(images.size() - 5);
  std::string im = writeRaw("im", images);
  expectError(loadIdxImages(im), ErrorCode::Format, im, "truncated");
  expectError(loadIdxImages(im), ErrorCode::Format, im, "ends at offset 47"); // 16 + 36 - 5
  // A file that stops inside the header.
  std::string header = writeRaw("header", Bytes{0, 0, 8, 3, 0, 0});
  expectError(loadIdxImages(header), ErrorCode::Format, header, "IDX dimensions");
}

TEST_F(DataFiles, IdxTruncatedGzip) {
  std::string full = writeGz("full.gz", idxImages(50, 28, 28, noisyPixel));
  Bytes gz = readRaw(full);
  ASSERT_GT(gz.size(), 10000u);
  gz.resize(gz.size() / 2);
  std::string im = writeRaw("im.gz", gz);
  expectError(loadIdxImages(im), ErrorCode::Format, im, "truncated gzip stream");
  // Cut inside the 8-byte trailer: every image inflates, the CRC is missing.
  Bytes trailer = readRaw(full);
  trailer.resize(trailer.size() - 3);
  std::string cut = writeRaw("cut.gz", trailer);
  expectError(loadIdxImages(cut), ErrorCode::Format, cut, "truncated gzip stream");
}

TEST_F(DataFiles, IdxCorruptGzip) {
  Bytes gz = readRaw(writeGz("full.gz", idxImages(50, 28, 28, noisyPixel)));
  // Damage the middle of the deflate stream.
  Bytes flipped = gz;
  for (size_t k = 0; k < 16; ++k)
    flipped[flipped.size() / 2 + k] ^= 0xA5;
  std::string im = writeRaw("im.gz", flipped);
  expectError(loadIdxImages(im), ErrorCode::Format, im, "corrupt gzip stream");
  // Damage only the CRC-32 in the trailer: the data inflates, the check fails.
  Bytes badCrc = gz;
  badCrc[badCrc.size() - 8] ^= 0xFF;
  std::string crc = writeRaw("crc.gz", badCrc);
  expectError(loadIdxImages(crc), ErrorCode::Format, crc, "incorrect data check");
}

TEST_F(DataFiles, IdxWrongMagic) {
  std::string lb = writeRaw("lb", idxLabels({1, 2}));
  std::string im = writeRaw("im", idxImages(2, 2, 2, smallPixel));
  // A labels file passed as images and the other way round.
  expectError(loadIdx(lb, lb), ErrorCode::Format, lb, "offset 0: wrong magic 0x00000801");
  expectError(loadIdx(im, im), ErrorCode::Format, im, "wrong magic 0x00000803");
  std::string gz = writeGz("lb.gz", idxLabels({1, 2}));
  expectError(loadIdxImages(gz), ErrorCode::Format, gz, "wrong magic");
}

TEST_F(DataFiles, IdxLabelCountMismatch) {
  std::string im = writeGz("im.gz", idxImages(3, 2, 2, smallPixel));
  std::string lb = writeGz("lb.gz", idxLabels({1, 2}));
  auto data = loadIdx(im, lb);
  expectError(data, ErrorCode::Mismatch, lb, "2 labels");
  expectError(data, ErrorCode::Mismatch, im, "3 images");
}

TEST_F(DataFiles, IdxDimensionOverflowAndZero) {
  Bytes header;
  appendBe32(header, kIdxImagesMagic);
  appendBe32(header, 0x10000);
  appendBe32(header, 0x10000);
  appendBe32(header, 1);
  std::string big = writeRaw("big", header);
  expectError(loadIdxImages(big), ErrorCode::Format, big, "more than 2^31 elements");
  Bytes zero;
  appendBe32(zero, kIdxImagesMagic);
  appendBe32(zero, 5);
  appendBe32(zero, 0);
  appendBe32(zero, 28);
  std::string z = writeRaw("zero", zero);
  expectError(loadIdxImages(z), ErrorCode::Format, z, "dimension 1 is 0");
}

TEST_F(DataFiles, IdxTrailingBytesAndMissingFile) {
  Bytes images = idxImages(2, 2, 2, smallPixel);
  images.push_back(7);
  std::string im = writeRaw("im", images);
  expectError(loadIdxImages(im), ErrorCode::Format, im, "offset 24: unexpected data");
  std::string missing = path("does-not-exist");
  expectError(loadIdxImages(missing), ErrorCode::Io, missing, "cannot open");
}

TEST_F(DataFiles, IdxFolderPrefersRawThenGz) {
  writeGz("train-images-idx3-ubyte.gz", idxImages(2, 2, 2, smallPixel));
  writeRaw("train-labels-idx1-ubyte", idxLabels({4, 5}));
  auto data = loadIdxFolder(dir_.string(), IdxPart::Train);
  ASSERT_TRUE(data.ok()) << data.error().str();
  EXPECT_EQ(data->labels, (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(data->numClasses, 10);
  expectError(loadIdxFolder(dir_.string(), IdxPart::Test), ErrorCode::Io,
              path("t10k-images-idx3-ubyte.gz"), "cannot open");
}

// ---------------------------------------------------------------------------------------
// CIFAR.

// One record: the label bytes, then pixel (c, h, w) = (seed + 7c + 3h + w) mod 256.
Bytes cifarRecord(const Bytes &labelBytes, uint8_t seed) {
  Bytes out = labelBytes;
  for (int c = 0; c < 3; ++c)
    for (int h = 0; h < 32; ++h)
      for (int w = 0; w < 32; ++w)
        out.push_back(uint8_t(seed + 7 * c + 3 * h + w));
  return out;
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes &p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST_F(DataFiles, Cifar10ConcatenatesRawAndGzipFiles) {
  std::string a = writeRaw("data_batch_1.bin", concat({cifarRecord({6}, 0), cifarRecord({0}, 50)}));
  std::string b = writeGz("data_batch_2.bin.gz", cifarRecord({9}, 200));
  auto data = loadCifar({a, b}, CifarLabels::Cifar10);
  ASSERT_TRUE(data.ok()) << data.error().str();
  EXPECT_EQ(data->count, 3);
  EXPECT_EQ(data->channels, 3);
  EXPECT_EQ(data->height, 32);
  EXPECT_EQ(data->width, 32);
  EXPECT_EQ(data->numClasses, 10);
  EXPECT_EQ(data->labels, (std::vector<int64_t>{6, 0, 9}));
  const uint8_t seeds[3] = {0, 50, 200};
  for (int i = 0; i < 3; ++i)
    for (int c = 0; c < 3; ++c)
      for (int h = 0; h < 32; h += 5)
        for (int w = 0; w < 32; w += 3)
          ASSERT_EQ(data->image(i)[c * 1024 + h * 32 + w],
                    float(uint8_t(seeds[i] + 7 * c + 3 * h + w)) / 255.0f);
}

TEST_F(DataFiles, Cifar100CoarseAndFine) {
  std::string f = writeRaw("train.bin", concat({cifarRecord({3, 77}, 1), cifarRecord({19, 5}, 2)}));
  auto coarse = loadCifar({f}, CifarLabels::Cifar100Coarse);
  ASSERT_TRUE(coarse.ok()) << coarse.error().str();
  EXPECT_EQ(coarse->labels, (std::vector<int64_t>{3, 19}));
  EXPECT_EQ(coarse->numClasses, 20);
  auto fine = loadCifar100Folder(dir_.string(), CifarPart::Train, /*fineLabels=*/true);
  ASSERT_TRUE(fine.ok()) << fine.error().str();
  EXPECT_EQ(fine->labels, (std::vector<int64_t>{77, 5}));
  EXPECT_EQ(fine->numClasses, 100);
  EXPECT_EQ(fine->image(1)[0], 2.0f / 255.0f); // pixels start after both label bytes
  EXPECT_EQ(fine->images, coarse->images);
}

TEST_F(DataFiles, CifarSizeNotAMultipleOfTheRecord) {
  Bytes bytes = concat({cifarRecord({1}, 0), cifarRecord({2}, 0)});
  bytes.pop_back();
  std::string f = writeRaw("data_batch_1.bin", bytes);
  expectError(loadCifar({f}, CifarLabels::Cifar10), ErrorCode::Format, f,
              "size 6145 is not a multiple of the 3073-byte CIFAR-10 record");
  std::string gz = writeGz("b.gz", bytes);
  expectError(loadCifar({gz}, CifarLabels::Cifar10), ErrorCode::Format, gz, "not a multiple");
  // Two valid CIFAR-10 records are not a whole number of CIFAR-100 records.
  std::string two = writeRaw("two.bin", concat({cifarRecord({1}, 0), cifarRecord({2}, 0)}));
  expectError(loadCifar({two}, CifarLabels::Cifar100Fine), ErrorCode::Format, two,
              "3074-byte CIFAR-100 record");
}

TEST_F(DataFiles, CifarBadLabelEmptyAndMissing) {
  std::string f = writeRaw("bad.bin", concat({cifarRecord({1}, 0), cifarRecord({10}, 0)}));
  expectError(loadCifar({f}, CifarLabels::Cifar10), ErrorCode::Format, f,
              "offset 3073: label 10 of record 1");
  std::string empty = writeRaw("empty.bin", {});
  expectError(loadCifar({empty}, CifarLabels::Cifar10), ErrorCode::Format, empty, "no CIFAR-10");
  expectError(loadCifar10Folder(dir_.string(), CifarPart::Test), ErrorCode::Io,
              path("test_batch.bin"), "cannot open");
  auto none = loadCifar({}, CifarLabels::Cifar10);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::InvalidArgument);
}

// ---------------------------------------------------------------------------------------
// Standardization, split, shuffle, batches on synthetic datasets.

// N examples of (C, H, W) with value(i, e) and label i % classes.
Dataset synthetic(int64_t n, int64_t c, int64_t h, int64_t w, float (*value)(int64_t, int64_t)) {
  Dataset d;
  d.count = n;
  d.channels = c;
  d.height = h;
  d.width = w;
  d.numClasses = 3;
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t e = 0; e < c * h * w; ++e)
      d.images.push_back(value(i, e));
    d.labels.push_back(i % 3);
  }
  return d;
}

// Channel e/4 of a (3, 2, 2) example: different offsets and scales per channel and pixel;
// pixel e = 11 is constant.
float channelValue(int64_t i, int64_t e) {
  if (e == 11)
    return 0.25f;
  float noise = float(((i * 37 + e * 11) % 17)) / 17.0f;
  return float(e / 4) * 0.3f + noise * float(1 + e % 4) * 0.2f;
}

// Mean and population std of data over the examples at element slots where pick(e).
std::pair<double, double> moments(const Dataset &d, bool (*pick)(int64_t, int64_t),
                                  int64_t arg) {
  double sum = 0, sq = 0, n = 0;
  for (int64_t i = 0; i < d.count; ++i)
    for (int64_t e = 0; e < d.exampleSize(); ++e)
      if (pick(e, arg)) {
        sum += d.image(i)[e];
        n += 1;
      }
  double mean = sum / n;
  for (int64_t i = 0; i < d.count; ++i)
    for (int64_t e = 0; e < d.exampleSize(); ++e)
      if (pick(e, arg))
        sq += (d.image(i)[e] - mean) * (d.image(i)[e] - mean);
  return {mean, std::sqrt(sq / n)};
}

TEST(Standardize, PerChannelMeanZeroStdOne) {
  Dataset train = synthetic(200, 3, 2, 2, channelValue);
  auto stats = computeStandardizer(train, StandardizeMode::PerChannel);
  ASSERT_TRUE(stats.ok()) << stats.error().str();
  ASSERT_EQ(stats->mean.size(), 3u);
  Dataset test = synthetic(5, 3, 2, 2, channelValue);
  Dataset testOriginal = test;
  ASSERT_TRUE(applyStandardizer(*stats, train).ok());
  for (int64_t c = 0; c < 3; ++c) {
    auto [mean, sd] = moments(train, [](int64_t e, int64_t ch) { return e / 4 == ch; }, c);
    EXPECT_NEAR(mean, 0.0, 1e-6) << "channel " << c;
    EXPECT_NEAR(sd, 1.0, 1e-5) << "channel " << c;
  }
  // The test set gets the training statistics, not its own.
  ASSERT_TRUE(applyStandardizer(*stats, test).ok());
  for (int64_t e = 0; e < 12; ++e)
    EXPECT_NEAR(test.images[size_t(e)],
                (testOriginal.images[size_t(e)] - stats->mean[size_t(e / 4)]) /
                    stats->std[size_t(e / 4)],
                1e-6);
}

TEST(Standardize, PerPixelMeanZeroStdOneAndConstantPixel) {
  Dataset train = synthetic(200, 3, 2, 2, channelValue);
  auto stats = computeStandardizer(train, StandardizeMode::PerPixel);
  ASSERT_TRUE(stats.ok()) << stats.error().str();
  ASSERT_EQ(stats->mean.size(), 12u);
  EXPECT_EQ(stats->mean[11], 0.25f);
  EXPECT_EQ(stats->std[11], 1.0f); // constant pixel: std below the floor, divisor 1
  ASSERT_TRUE(applyStandardizer(*stats, train).ok());
  for (int64_t p = 0; p < 12; ++p) {
    auto [mean, sd] = moments(train, [](int64_t e, int64_t q) { return e == q; }, p);
    EXPECT_NEAR(mean, 0.0, 1e-6) << "pixel " << p;
    EXPECT_NEAR(sd, p == 11 ? 0.0 : 1.0, 1e-5) << "pixel " << p;
  }
  // A test value at the constant pixel is only centred, not blown up by the floor.
  Dataset test = synthetic(1, 3, 2, 2, [](int64_t, int64_t) { return 0.75f; });
  ASSERT_TRUE(applyStandardizer(*stats, test).ok());
  EXPECT_FLOAT_EQ(test.images[11], 0.5f);
}

TEST(Standardize, Errors) {
  Dataset train = synthetic(4, 3, 2, 2, channelValue);
  auto stats = computeStandardizer(train, StandardizeMode::PerChannel);
  ASSERT_TRUE(stats.ok());
  Dataset other = synthetic(4, 1, 2, 2, channelValue);
  auto applied = applyStandardizer(*stats, other);
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code, ErrorCode::Mismatch);
  auto empty = computeStandardizer(Dataset{}, StandardizeMode::PerPixel);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().code, ErrorCode::InvalidArgument);
}

TEST(Split, DeterministicDisjointAndSized) {
  auto a = splitIndices(1000, 0.1, 42);
  auto b = splitIndices(1000, 0.1, 42);
  auto c = splitIndices(1000, 0.1, 43);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->val.size(), 100u);
  EXPECT_EQ(a->train.size(), 900u);
  EXPECT_EQ(a->val, b->val);
  EXPECT_EQ(a->train, b->train);
  EXPECT_NE(a->val, c->val);
  std::vector<int64_t> all = a->train;
  all.insert(all.end(), a->val.begin(), a->val.end());
  std::sort(all.begin(), all.end());
  std::vector<int64_t> expected(1000);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(all, expected);
  EXPECT_TRUE(std::is_sorted(a->val.begin(), a->val.end()));
  // Tiny fractions still hold out one example, large ones keep one for training.
  EXPECT_EQ(splitIndices(10, 0.001, 1)->val.size(), 1u);
  EXPECT_EQ(splitIndices(10, 0.999, 1)->train.size(), 1u);
  for (double bad : {0.0, 1.0, -0.5, std::nan("")}) {
    auto r = splitIndices(10, bad, 1);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument);
  }
  EXPECT_FALSE(splitIndices(1, 0.5, 1).ok());
}

TEST(Split, Datasets) {
  Dataset data = synthetic(20, 1, 1, 1, [](int64_t i, int64_t) { return float(i); });
  auto split = splitDataset(data, 0.25, 7);
  ASSERT_TRUE(split.ok()) << split.error().str();
  auto indices = splitIndices(20, 0.25, 7);
  ASSERT_EQ(split->val.count, 5);
  ASSERT_EQ(split->train.count, 15);
  for (int64_t k = 0; k < 5; ++k) {
    EXPECT_EQ(split->val.images[size_t(k)], float(indices->val[size_t(k)]));
    EXPECT_EQ(split->val.labels[size_t(k)], indices->val[size_t(k)] % 3);
  }
  EXPECT_EQ(split->train.numClasses, 3);
}

TEST(Shuffle, PermutationReproducibleAndPerEpoch) {
  const int64_t n = 1000;
  std::vector<int64_t> identity(n);
  std::iota(identity.begin(), identity.end(), 0);
  auto e0 = epochPermutation(n, 1234, 0);
  auto sorted = e0;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, identity);
  EXPECT_NE(e0, identity);
  EXPECT_EQ(e0, epochPermutation(n, 1234, 0)); // a pure function of (seed, epoch)
  EXPECT_NE(e0, epochPermutation(n, 1234, 1));
  EXPECT_NE(e0, epochPermutation(n, 1235, 0));
  EXPECT_NE(e0, philoxPermutation(n, 1234, 0, kSplitStream));
  EXPECT_TRUE(epochPermutation(0, 1, 0).empty());
  EXPECT_EQ(epochPermutation(1, 1, 0), (std::vector<int64_t>{0}));
}

TEST(Shuffle, RoughlyUniform) {
  // Over 6000 epochs each of the 6 examples lands first about 1000 times.
  int counts[6] = {};
  for (uint64_t epoch = 0; epoch < 6000; ++epoch)
    ++counts[epochPermutation(6, 99, epoch)[0]];
  for (int k = 0; k < 6; ++k)
    EXPECT_NEAR(counts[k], 1000, 150) << "example " << k;
}

TEST(Batch, PaddedLastBatchIsMasked) {
  Dataset data = synthetic(10, 1, 1, 2, [](int64_t i, int64_t e) { return float(i * 10 + e); });
  std::vector<int64_t> order = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};
  EXPECT_EQ(batchCount(10, 4, LastBatch::Pad), 3);
  EXPECT_EQ(batchCount(10, 4, LastBatch::Drop), 2);
  EXPECT_EQ(batchCount(8, 4, LastBatch::Pad), 2);
  Batch batch = makeBatch(data, 4);
  ASSERT_TRUE(fillBatch(data, order, 0, LastBatch::Pad, batch).ok());
  EXPECT_EQ(batch.valid, 4);
  EXPECT_EQ(batch.labels, (std::vector<int64_t>{0, 2, 1, 0}));
  EXPECT_EQ(batch.images, (std::vector<float>{90, 91, 80, 81, 70, 71, 60, 61}));
  EXPECT_EQ(batch.mask, (std::vector<float>{1, 1, 1, 1}));
  ASSERT_TRUE(fillBatch(data, order, 2, LastBatch::Pad, batch).ok());
  EXPECT_EQ(batch.valid, 2);
  EXPECT_EQ(batch.labels, (std::vector<int64_t>{1, 0, 1, 1}));
  EXPECT_EQ(batch.images, (std::vector<float>{10, 11, 0, 1, 10, 11, 10, 11}));
  EXPECT_EQ(batch.mask, (std::vector<float>{1, 1, 0, 0}));
}

TEST(Batch, DropAndErrors) {
  Dataset data = synthetic(10, 1, 1, 2, [](int64_t i, int64_t e) { return float(i * 10 + e); });
  auto order = epochPermutation(10, 5, 0);
  Batch batch = makeBatch(data, 4);
  ASSERT_TRUE(fillBatch(data, order, 1, LastBatch::Drop, batch).ok());
  EXPECT_EQ(batch.valid, 4);
  EXPECT_EQ(batch.labels[0], order[4] % 3);
  EXPECT_EQ(batch.images[0], float(order[4] * 10));
  auto dropped = fillBatch(data, order, 2, LastBatch::Drop, batch);
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.error().code, ErrorCode::InvalidArgument);
  std::vector<float> images(7), mask(4);
  std::vector<int64_t> labels(4);
  auto wrongSize = fillBatch(data, order, 0, 4, LastBatch::Pad, images, labels, mask);
  ASSERT_FALSE(wrongSize.ok());
  EXPECT_EQ(wrongSize.error().code, ErrorCode::InvalidArgument);
  std::vector<int64_t> badOrder = {0, 10};
  auto outside = fillBatch(data, badOrder, 0, LastBatch::Pad, batch);
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(outside.error().code, ErrorCode::InvalidArgument);
}

// ---------------------------------------------------------------------------------------
// The real Fashion-MNIST (numbers checked with Python's gzip + numpy on the same files).

TEST(FashionMnist, LoadsTheRealFiles) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!fs::exists(dir + "/train-images-idx3-ubyte.gz") ||
      !fs::exists(dir + "/t10k-labels-idx1-ubyte.gz"))
    GTEST_SKIP() << "Fashion-MNIST is not installed in " << dir;
  auto start = std::chrono::steady_clock::now();
  auto train = loadIdxFolder(dir, IdxPart::Train, /*numClasses=*/0);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(train.ok()) << train.error().str();
  std::printf("[ timing   ] Fashion-MNIST training set (60000 images, gzip) loaded in %.3f s\n",
              seconds);
  RecordProperty("train_load_seconds", std::to_string(seconds));
  auto test = loadIdxFolder(dir, IdxPart::Test);
  ASSERT_TRUE(test.ok()) << test.error().str();

  EXPECT_EQ(train->count, 60000);
  EXPECT_EQ(test->count, 10000);
  for (const Dataset *d : {&*train, &*test}) {
    EXPECT_EQ(d->channels, 1);
    EXPECT_EQ(d->height, 28);
    EXPECT_EQ(d->width, 28);
    EXPECT_EQ(d->numClasses, 10);
  }
  EXPECT_EQ(std::vector<int64_t>(train->labels.begin(), train->labels.begin() + 10),
            (std::vector<int64_t>{9, 0, 0, 3, 0, 2, 7, 2, 5, 5}));
  EXPECT_EQ(test->labels[0], 9);
  for (int64_t k = 0; k < 10; ++k)
    EXPECT_EQ(std::count(train->labels.begin(), train->labels.end(), k), 6000);
  double firstSum = 0;
  for (int64_t e = 0; e < 784; ++e)
    firstSum += std::lround(train->image(0)[e] * 255.0f);
  EXPECT_EQ(firstSum, 76247);
  EXPECT_EQ(train->image(0)[14 * 28 + 14], 217.0f / 255.0f);
  EXPECT_EQ(test->image(0)[14 * 28 + 14], 110.0f / 255.0f);

  auto stats = computeStandardizer(*train, StandardizeMode::PerChannel);
  ASSERT_TRUE(stats.ok());
  EXPECT_NEAR(stats->mean[0], 0.2860406, 1e-6);
  EXPECT_NEAR(stats->std[0], 0.3530242, 1e-6);
}

// --classes: the examples of the classes asked for, in order, relabelled by position.
TEST(Classes, KeepsAndRelabelsInTheOrderGiven) {
  std::vector<uint8_t> pixels = {10, 11, 12, 13, 14, 15};
  Dataset data = datasetFromBytes(6, 1, 1, 1, pixels, {0, 3, 1, 3, 2, 0}, 4);
  std::vector<int64_t> classes = {3, 0};
  auto kept = selectClasses(data, classes);
  ASSERT_TRUE(kept) << kept.error().message;
  EXPECT_EQ(kept->count, 4);
  EXPECT_EQ(kept->numClasses, 2);
  EXPECT_EQ(kept->labels, (std::vector<int64_t>{1, 0, 0, 1})); // 0 -> 1, 3 -> 0
  std::vector<float> expected = {10 / 255.f, 11 / 255.f, 13 / 255.f, 15 / 255.f};
  EXPECT_EQ(kept->images, expected);

  std::vector<int64_t> outside = {1, 4}, twice = {2, 2}, none = {};
  EXPECT_EQ(selectClasses(data, outside).error().code, ErrorCode::InvalidArgument);
  EXPECT_NE(selectClasses(data, twice).error().message.find("class 2 is given twice"), std::string::npos);
  EXPECT_EQ(selectClasses(data, none).error().code, ErrorCode::InvalidArgument);
  Dataset noTwos = datasetFromBytes(2, 1, 1, 1, {1, 2}, {0, 1}, 4);
  std::vector<int64_t> two = {2};
  EXPECT_EQ(selectClasses(noTwos, two).error().code, ErrorCode::Mismatch);
}

} // namespace
} // namespace nnc::rt
