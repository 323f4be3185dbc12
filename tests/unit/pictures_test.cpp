// The picture helpers of the training driver (runtime/src/driver/Pictures.h, Png.h):
// per-filter normalization, grid layout pixel by pixel, and PNG files read back with
// libpng's own reader.
#include "driver/Pictures.h"
#include "driver/Png.h"

#include <gtest/gtest.h>
#include <png.h>

#include <cstring>
#include <filesystem>

namespace {

using namespace nnc::rt::driver;

constexpr uint8_t G = kBorderGray;

TEST(Pictures, MinMaxPerFilter) {
  std::vector<float> v{-1.f, 0.f, 1.f};
  EXPECT_EQ(minMaxTo8Bit(v), (std::vector<uint8_t>{0, 128, 255}));
  std::vector<float> flat{3.f, 3.f};
  EXPECT_EQ(minMaxTo8Bit(flat), (std::vector<uint8_t>{128, 128})); // no contrast: mid-gray
}

TEST(Pictures, NearSquareColumns) {
  for (auto [tiles, columns] : {std::pair{1, 1}, {2, 2}, {4, 2}, {5, 3}, {6, 3}, {16, 4}, {17, 5}})
    EXPECT_EQ(nearSquareColumns(tiles), columns) << tiles;
}

// Two gray 1x2 filters, scaled x2, 1-px border: [0 255] and [255 0] (each min-max on its own).
TEST(Pictures, GrayFilterGrid) {
  std::vector<float> w{0.f, 1.f, 5.f, 3.f}; // (2, 1, 1, 2)
  Image im = filterGrid(w, 2, 1, 1, 2, /*scale=*/2, /*border=*/1);
  ASSERT_EQ(im.width, 2 * 4 + 3);
  ASSERT_EQ(im.height, 2 + 2);
  ASSERT_EQ(im.channels, 1);
  std::vector<uint8_t> border(11, G), row{G, 0, 0, 255, 255, G, 255, 255, 0, 0, G};
  std::vector<uint8_t> expected;
  for (const auto *r : {&border, &row, &row, &border}) expected.insert(expected.end(), r->begin(), r->end());
  EXPECT_EQ(im.pixels, expected);
}

// cin = 3: one RGB tile per filter, the channels normalized together.
TEST(Pictures, RgbFilter) {
  std::vector<float> w{0.f, 2.f, 1.f}; // (1, 3, 1, 1): r, g, b
  Image im = filterGrid(w, 1, 3, 1, 1, 1, 1);
  ASSERT_EQ(im.width, 3);
  ASSERT_EQ(im.height, 3);
  ASSERT_EQ(im.channels, 3);
  std::vector<uint8_t> expected(27, G);
  expected[12] = 0, expected[13] = 255, expected[14] = 128; // the centre pixel
  EXPECT_EQ(im.pixels, expected);
}

// Other cin: a row per filter, a gray tile per input channel.
TEST(Pictures, ChannelsInColumns) {
  std::vector<float> w{0.f, 1.f, 2.f, 2.f}; // (2, 2, 1, 1)
  Image im = filterGrid(w, 2, 2, 1, 1, 1, 0);
  ASSERT_EQ(im.width, 2);
  ASSERT_EQ(im.height, 2);
  EXPECT_EQ(im.pixels, (std::vector<uint8_t>{0, 255, 128, 128}));
}

TEST(Pictures, InputPictureClampsAndScales) {
  std::vector<float> gray{-0.5f, 0.5f, 2.f}; // (1, 1, 3)
  Image im = inputPicture(gray, 1, 1, 3, 2);
  ASSERT_EQ(im.width, 6);
  ASSERT_EQ(im.height, 2);
  EXPECT_EQ(im.pixels, (std::vector<uint8_t>{0, 0, 128, 128, 255, 255, 0, 0, 128, 128, 255, 255}));
  std::vector<float> rgb{1.f, 0.f, 0.f, 1.f, 0.f, 0.f}; // (3, 1, 2): planar
  Image c = inputPicture(rgb, 3, 1, 2, 1);
  ASSERT_EQ(c.channels, 3);
  EXPECT_EQ(c.pixels, (std::vector<uint8_t>{255, 0, 0, 0, 255, 0}));
}

// Reads a PNG with libpng's simplified reader as `format`.
Image readPng(const std::string &path, png_uint_32 format, int channels) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  EXPECT_TRUE(png_image_begin_read_from_file(&png, path.c_str())) << png.message;
  Image im{png.width, png.height, channels, {}};
  png.format = format;
  im.pixels.resize(PNG_IMAGE_SIZE(png));
  EXPECT_TRUE(png_image_finish_read(&png, nullptr, im.pixels.data(), 0, nullptr)) << png.message;
  return im;
}

TEST(Png, RoundTrip) {
  const std::string dir = ::testing::TempDir();
  Image rgb{5, 3, 3, {}};
  for (int i = 0; i < 5 * 3 * 3; ++i) rgb.pixels.push_back(uint8_t(i * 17 % 256));
  ASSERT_TRUE(writePng(dir + "/rgb.png", rgb));
  Image back = readPng(dir + "/rgb.png", PNG_FORMAT_RGB, 3);
  EXPECT_EQ(back.width, 5);
  EXPECT_EQ(back.height, 3);
  EXPECT_EQ(back.pixels, rgb.pixels);

  Image gray = filterGrid(std::vector<float>{0.f, 1.f, 5.f, 3.f}, 2, 1, 1, 2, 2, 1);
  ASSERT_TRUE(writePng(dir + "/gray.png", gray));
  Image g = readPng(dir + "/gray.png", PNG_FORMAT_GRAY, 1);
  EXPECT_EQ(g.width, gray.width);
  EXPECT_EQ(g.height, gray.height);
  EXPECT_EQ(g.pixels, gray.pixels);
}

TEST(Png, Errors) {
  Image two{1, 1, 2, {0, 0}};
  auto bytes = encodePng(two);
  ASSERT_FALSE(bytes);
  EXPECT_NE(bytes.error().message.find("2 channels"), std::string::npos);
  auto s = writePng("/nonexistent-dir/x.png", Image{1, 1, 1, {7}});
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message.find("/nonexistent-dir/x.png"), std::string::npos) << s.error().message;
}

} // namespace
