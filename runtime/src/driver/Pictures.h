// Pictures of a model for `filters` and `dream`: 8-bit images built from weight and input
// tensors. Pure functions (no files, no model), so the layout is tested pixel by pixel.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace nnc::rt::driver {

// An 8-bit image, rows top to bottom, channels interleaved (1: gray, 3: RGB).
struct Image {
  int64_t width = 0, height = 0;
  int channels = 1;
  std::vector<uint8_t> pixels; // height * width * channels
};

constexpr uint8_t kBorderGray = 128; // the lines between tiles: mid-gray, neither extreme

// Min-max over all of `values` to 0..255 (rounded); a constant tensor is all 128.
std::vector<uint8_t> minMaxTo8Bit(std::span<const float> values);

// Columns of a near-square grid of `tiles`: ceil(sqrt(tiles)) (6 -> 3 columns, 2 rows).
int64_t nearSquareColumns(int64_t tiles);

// Same-sized tiles, each upscaled `scale` times (nearest neighbour), in rows of `columns`,
// with `border` pixels of kBorderGray around and between them. Missing tiles of the last
// row stay border gray.
Image tileGrid(const std::vector<Image> &tiles, int64_t columns, int64_t scale, int64_t border);

// The filters of a convolution weight (cout, cin, kh, kw), each normalized on its own
// (minMaxTo8Bit over its cin·kh·kw values). cin = 3: one RGB tile per filter; cin = 1:
// one gray tile per filter; both in a near-square grid. Any other cin: one gray tile per
// (filter, input channel), a row per filter and a column per input channel.
Image filterGrid(std::span<const float> weights, int64_t cout, int64_t cin, int64_t kh, int64_t kw,
                 int64_t scale, int64_t border);

// An input image (C, H, W) with values in [0, 1] (clamped), upscaled `scale` times:
// RGB for C = 3, else channel 0 in gray.
Image inputPicture(std::span<const float> chw, int64_t channels, int64_t height, int64_t width, int64_t scale);

} // namespace nnc::rt::driver
