// Training augmentation (runtime/src/data/Augment.h): every transform exactly on small
// hand-made images, raw and standardized (per channel and per pixel), the torchvision
// factor ranges and formulas of colour jitter, and draws that depend only on
// (seed, epoch, example index).
#include "data/Augment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

namespace {

using namespace nnc::rt;

// The first example index in [0, 10000) whose draws satisfy `pred`.
template <class Pred> int64_t findExample(const AugmentOptions &o, uint64_t seed, uint64_t epoch, Pred pred) {
  for (int64_t i = 0; i < 10000; ++i)
    if (pred(drawAugment(o, seed, epoch, i))) return i;
  ADD_FAILURE() << "no example with the wanted draws";
  return 0;
}

std::vector<float> iota(size_t n, float first = 1) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = first + float(i);
  return v;
}

// out(y, x) = in(y - dy, x - dx) or fill, on every (H, W) plane.
std::vector<float> shifted(const std::vector<float> &in, int64_t C, int64_t H, int64_t W, int64_t dy, int64_t dx,
                           const std::vector<float> &fill) {
  std::vector<float> out(in.size());
  for (int64_t c = 0; c < C; ++c)
    for (int64_t y = 0; y < H; ++y)
      for (int64_t x = 0; x < W; ++x) {
        int64_t sy = y - dy, sx = x - dx;
        out[size_t((c * H + y) * W + x)] =
            sy >= 0 && sy < H && sx >= 0 && sx < W ? in[size_t((c * H + sy) * W + sx)] : fill[size_t(c)];
      }
  return out;
}

Standardizer perChannel(std::vector<float> mean, std::vector<float> std, int64_t H, int64_t W) {
  Standardizer s;
  s.mode = StandardizeMode::PerChannel;
  s.channels = int64_t(mean.size());
  s.height = H;
  s.width = W;
  s.mean = std::move(mean);
  s.std = std::move(std);
  return s;
}

// Standardizes raw values as applyStandardizer does (through a Dataset).
std::vector<float> standardize(const std::vector<float> &raw, const Standardizer &s) {
  Dataset d;
  d.count = 1;
  d.channels = s.channels;
  d.height = s.height;
  d.width = s.width;
  d.images = raw;
  EXPECT_TRUE(applyStandardizer(s, d).ok());
  return d.images;
}

TEST(Augment, FlipMirrorsEachRow) {
  AugmentOptions o;
  o.flip = true;
  const ImageLayout layout{2, 2, 3, nullptr};
  std::vector<float> image = iota(12);
  int64_t flipped = findExample(o, 7, 1, [](const AugmentDraws &d) { return d.flip; });
  int64_t kept = findExample(o, 7, 1, [](const AugmentDraws &d) { return !d.flip; });
  std::vector<float> a = image, b = image;
  applyAugment(o, drawAugment(o, 7, 1, flipped), a, layout);
  applyAugment(o, drawAugment(o, 7, 1, kept), b, layout);
  EXPECT_EQ(a, (std::vector<float>{3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10}));
  EXPECT_EQ(b, image);
  // p = 0.5.
  int flips = 0;
  for (int64_t i = 0; i < 4000; ++i) flips += drawAugment(o, 7, 1, i).flip;
  EXPECT_NEAR(flips / 4000.0, 0.5, 0.03);
}

TEST(Augment, CropShiftsByTheDrawnOffsetWithZeroPadding) {
  AugmentOptions o;
  o.cropPadding = 2;
  const ImageLayout layout{1, 4, 5, nullptr};
  const std::vector<float> image = iota(20);
  std::set<std::pair<int64_t, int64_t>> offsets;
  for (int64_t i = 0; i < 300; ++i) {
    AugmentDraws d = drawAugment(o, 3, 2, i);
    ASSERT_GE(d.cropTop, 0);
    ASSERT_LE(d.cropTop, 4);
    ASSERT_GE(d.cropLeft, 0);
    ASSERT_LE(d.cropLeft, 4);
    offsets.insert({d.cropTop, d.cropLeft});
    std::vector<float> x = image;
    applyAugment(o, d, x, layout);
    // RandomCrop(padding=2): out(y, x) = padded(y + top, x + left) = in(y + top - 2, x + left - 2).
    EXPECT_EQ(x, shifted(image, 1, 4, 5, 2 - d.cropTop, 2 - d.cropLeft, {0.0f})) << "example " << i;
  }
  EXPECT_EQ(offsets.size(), 25u); // every offset of the 5 x 5 possible
  // A hand-checked case: top 0, left 4 moves the content 2 down and 2 left.
  AugmentDraws d;
  d.cropTop = 0;
  d.cropLeft = 4;
  std::vector<float> x = image;
  applyAugment(o, d, x, layout);
  EXPECT_EQ(x, (std::vector<float>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 5, 0, 0, 8, 9, 10, 0, 0}));
}

TEST(Augment, TranslateShiftsByUpToNWithTheBlackPixelOfEachChannel) {
  AugmentOptions o;
  o.translate = 1;
  // Per-channel statistics: stored values move, the fill is (0 - mean) / std of the channel.
  const Standardizer stats = perChannel({0.5f, 0.25f}, {0.2f, 0.5f}, 3, 3);
  const ImageLayout layout{2, 3, 3, &stats};
  const std::vector<float> image = iota(18, -4);
  const std::vector<float> black = {float((0.0 - 0.5) * (1.0 / double(0.2f))), float((0.0 - 0.25) * (1.0 / 0.5))};
  EXPECT_EQ(black[1], -0.5f);
  std::set<std::pair<int64_t, int64_t>> shifts;
  for (int64_t i = 0; i < 200; ++i) {
    AugmentDraws d = drawAugment(o, 9, 4, i);
    ASSERT_LE(std::abs(d.shiftY), 1);
    ASSERT_LE(std::abs(d.shiftX), 1);
    shifts.insert({d.shiftY, d.shiftX});
    std::vector<float> x = image;
    applyAugment(o, d, x, layout);
    EXPECT_EQ(x, shifted(image, 2, 3, 3, d.shiftY, d.shiftX, black)) << "example " << i;
  }
  EXPECT_EQ(shifts.size(), 9u);
}

TEST(Augment, GeometryOnPerPixelStatisticsActsOnRawPixels) {
  // Per-pixel statistics: the stored value of a pixel depends on its position, so the image
  // is moved in raw values and standardized again; a black pixel stays black.
  AugmentOptions o;
  o.translate = 1;
  o.flip = true;
  Standardizer stats;
  stats.mode = StandardizeMode::PerPixel;
  stats.channels = 1;
  stats.height = 3;
  stats.width = 4;
  for (int i = 0; i < 12; ++i) {
    stats.mean.push_back(0.05f * float(i));
    stats.std.push_back(0.1f + 0.02f * float(i));
  }
  std::vector<float> raw(12);
  for (int i = 0; i < 12; ++i) raw[size_t(i)] = float((i * 5) % 12) / 11.0f;
  const ImageLayout rawLayout{1, 3, 4, nullptr}, layout{1, 3, 4, &stats};
  for (int64_t i = 0; i < 50; ++i) {
    AugmentDraws d = drawAugment(o, 1, 1, i);
    std::vector<float> expected = raw, x = standardize(raw, stats);
    applyAugment(o, d, expected, rawLayout);
    applyAugment(o, d, x, layout);
    std::vector<float> want = standardize(expected, stats);
    for (size_t k = 0; k < x.size(); ++k) EXPECT_NEAR(x[k], want[k], 1e-5) << "example " << i << " element " << k;
  }
}

TEST(Augment, ColourJitterFollowsTorchvisionFormulas) {
  // RGB 1x2 image, raw values.
  const std::vector<float> rgb = {0.2f, 0.9f, 0.5f, 0.6f, 0.1f, 0.8f}; // R(2), G(2), B(2)
  const ImageLayout layout{3, 1, 2, nullptr};
  auto gray = [&](const std::vector<float> &v, int i) { return 0.2989 * v[size_t(i)] + 0.587 * v[size_t(2 + i)] + 0.114 * v[size_t(4 + i)]; };
  auto clamp = [](double v) { return float(std::clamp(v, 0.0, 1.0)); };
  AugmentDraws d;
  {
    AugmentOptions o;
    o.brightness = 0.5;
    d.brightness = 1.3;
    std::vector<float> x = rgb;
    applyAugment(o, d, x, layout);
    for (size_t k = 0; k < x.size(); ++k) EXPECT_FLOAT_EQ(x[k], clamp(1.3 * rgb[k])) << k; // 0.9·1.3 clamps to 1
    EXPECT_EQ(x[1], 1.0f);
  }
  {
    AugmentOptions o;
    o.contrast = 0.5;
    d = {};
    d.contrast = 0.6;
    std::vector<float> x = rgb;
    applyAugment(o, d, x, layout);
    const double mean = (gray(rgb, 0) + gray(rgb, 1)) / 2; // the mean of the grayscale image
    for (size_t k = 0; k < x.size(); ++k) EXPECT_FLOAT_EQ(x[k], clamp(0.6 * rgb[k] + 0.4 * mean)) << k;
  }
  {
    AugmentOptions o;
    o.saturation = 0.5;
    d = {};
    d.saturation = 1.4;
    std::vector<float> x = rgb;
    applyAugment(o, d, x, layout);
    for (int c = 0; c < 3; ++c)
      for (int i = 0; i < 2; ++i)
        EXPECT_FLOAT_EQ(x[size_t(c * 2 + i)], clamp(1.4 * rgb[size_t(c * 2 + i)] - 0.4 * gray(rgb, i))) << c << i;
  }
  {
    // One channel: contrast blends with the plain mean, saturation does nothing.
    AugmentOptions o;
    o.contrast = 0.5;
    o.saturation = 0.5;
    d = {};
    d.contrast = 1.5;
    d.saturation = 0.5;
    const std::vector<float> grey = {0.1f, 0.4f, 0.7f};
    std::vector<float> x = grey;
    applyAugment(o, d, x, ImageLayout{1, 1, 3, nullptr});
    for (size_t k = 0; k < 3; ++k) EXPECT_FLOAT_EQ(x[k], clamp(1.5 * grey[k] - 0.5 * 0.4)) << k;
  }
}

TEST(Augment, ColourJitterOnStandardizedDataWorksInRawPixels) {
  const Standardizer stats = perChannel({0.4f, 0.5f, 0.45f}, {0.25f, 0.2f, 0.3f}, 1, 2);
  const std::vector<float> rgb = {0.2f, 0.9f, 0.5f, 0.6f, 0.1f, 0.8f};
  AugmentOptions o;
  o.brightness = o.contrast = o.saturation = 0.4;
  for (int64_t i = 0; i < 30; ++i) {
    AugmentDraws d = drawAugment(o, 2, 5, i);
    std::vector<float> raw = rgb, x = standardize(rgb, stats);
    applyAugment(o, d, raw, ImageLayout{3, 1, 2, nullptr});
    applyAugment(o, d, x, ImageLayout{3, 1, 2, &stats});
    std::vector<float> want = standardize(raw, stats);
    for (size_t k = 0; k < x.size(); ++k) EXPECT_NEAR(x[k], want[k], 1e-5) << "example " << i;
    for (float v : raw) EXPECT_TRUE(v >= 0 && v <= 1) << v; // clamped to [0, 1]
  }
}

TEST(Augment, JitterFactorsAreUniformInTorchvisionsRange) {
  AugmentOptions o;
  o.brightness = 0.4;
  o.contrast = 1.5; // [max(0, -0.5), 2.5] = [0, 2.5]
  o.saturation = 0.1;
  double lowB = 9, highB = -9, lowC = 9, highC = -9, meanS = 0;
  std::set<std::array<int, 3>> orders;
  for (int64_t i = 0; i < 3000; ++i) {
    AugmentDraws d = drawAugment(o, 11, 3, i);
    lowB = std::min(lowB, d.brightness);
    highB = std::max(highB, d.brightness);
    lowC = std::min(lowC, d.contrast);
    highC = std::max(highC, d.contrast);
    ASSERT_GE(d.saturation, 0.9);
    ASSERT_LT(d.saturation, 1.1);
    meanS += d.saturation / 3000;
    orders.insert(d.jitterOrder);
  }
  EXPECT_GE(lowB, 0.6);
  EXPECT_LT(lowB, 0.61);
  EXPECT_LT(highB, 1.4);
  EXPECT_GT(highB, 1.39);
  EXPECT_GE(lowC, 0.0);
  EXPECT_LT(lowC, 0.01);
  EXPECT_GT(highC, 2.49);
  EXPECT_NEAR(meanS, 1.0, 0.005);
  EXPECT_EQ(orders.size(), 6u); // ColorJitter's random order
}

TEST(Augment, DrawsDependOnlyOnSeedEpochAndExample) {
  AugmentOptions o;
  o.flip = true;
  o.cropPadding = 3;
  o.translate = 2;
  o.brightness = o.contrast = o.saturation = 0.3;
  auto same = [](const AugmentDraws &a, const AugmentDraws &b) {
    return a.flip == b.flip && a.cropTop == b.cropTop && a.cropLeft == b.cropLeft && a.shiftY == b.shiftY &&
           a.shiftX == b.shiftX && a.brightness == b.brightness && a.contrast == b.contrast &&
           a.saturation == b.saturation && a.jitterOrder == b.jitterOrder;
  };
  int sameEpoch = 0, otherEpoch = 0, otherSeed = 0;
  for (int64_t i = 0; i < 100; ++i) {
    sameEpoch += same(drawAugment(o, 5, 2, i), drawAugment(o, 5, 2, i));
    otherEpoch += same(drawAugment(o, 5, 2, i), drawAugment(o, 5, 3, i));
    otherSeed += same(drawAugment(o, 5, 2, i), drawAugment(o, 6, 2, i));
  }
  EXPECT_EQ(sameEpoch, 100);
  EXPECT_EQ(otherEpoch, 0);
  EXPECT_EQ(otherSeed, 0);
  // Turning the jitter off leaves the geometric draws as they were.
  AugmentOptions geometric = o;
  geometric.brightness = geometric.contrast = geometric.saturation = 0;
  for (int64_t i = 0; i < 20; ++i) {
    AugmentDraws a = drawAugment(o, 5, 2, i), b = drawAugment(geometric, 5, 2, i);
    EXPECT_EQ(a.flip, b.flip);
    EXPECT_EQ(a.cropTop, b.cropTop);
    EXPECT_EQ(a.shiftX, b.shiftX);
    EXPECT_EQ(b.brightness, 1.0);
  }

  // A batch row depends on its example, not on the other rows. (Brightness: with shifts of
  // up to 5 pixels a 4 x 4 image would often come out all black.)
  o = AugmentOptions{};
  o.flip = true;
  o.brightness = 0.3;
  const ImageLayout layout{1, 4, 4, nullptr};
  std::vector<float> image = iota(16, 0);
  for (float &v : image) v /= 16;
  std::vector<float> batchA, batchB;
  for (int r = 0; r < 2; ++r) batchA.insert(batchA.end(), image.begin(), image.end());
  batchB = batchA;
  const std::vector<int64_t> rowsA = {42, 7}, rowsB = {9, 42};
  ASSERT_TRUE(augmentBatch(o, batchA, rowsA, layout, 5, 2).ok());
  ASSERT_TRUE(augmentBatch(o, batchB, rowsB, layout, 5, 2).ok());
  EXPECT_TRUE(std::equal(batchA.begin(), batchA.begin() + 16, batchB.begin() + 16));
  EXPECT_NE(batchA, batchB);
  // Another epoch transforms the same example differently.
  std::vector<float> again(batchA.size());
  for (int r = 0; r < 2; ++r) std::copy(image.begin(), image.end(), again.begin() + r * 16);
  ASSERT_TRUE(augmentBatch(o, again, rowsA, layout, 5, 3).ok());
  EXPECT_FALSE(std::equal(batchA.begin(), batchA.begin() + 16, again.begin()));
}

TEST(Augment, NothingAskedLeavesTheBatchAloneAndBadSizesAreErrors) {
  const ImageLayout layout{1, 2, 2, nullptr};
  std::vector<float> batch = iota(8);
  const std::vector<int64_t> rows = {0, 1};
  ASSERT_TRUE(augmentBatch(AugmentOptions{}, batch, rows, layout, 1, 1).ok());
  EXPECT_EQ(batch, iota(8));
  AugmentDraws d = drawAugment(AugmentOptions{}, 1, 1, 0);
  EXPECT_FALSE(d.flip);
  EXPECT_EQ(d.cropTop + d.cropLeft + d.shiftX + d.shiftY, 0);
  AugmentOptions o;
  o.flip = true;
  std::vector<float> small(7);
  auto bad = augmentBatch(o, small, rows, layout, 1, 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::InvalidArgument);
  const Standardizer other = perChannel({0.5f, 0.5f}, {1, 1}, 2, 2);
  auto mismatch = augmentBatch(o, batch, rows, ImageLayout{1, 2, 2, &other}, 1, 1);
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.error().message.find("statistics"), std::string::npos);
}

} // namespace
