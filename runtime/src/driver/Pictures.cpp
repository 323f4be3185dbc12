// Filter grids and input pictures as 8-bit images (see Pictures.h).
#include "driver/Pictures.h"

#include <algorithm>
#include <cmath>

namespace nnc::rt::driver {

std::vector<uint8_t> minMaxTo8Bit(std::span<const float> values) {
  std::vector<uint8_t> out(values.size(), 128);
  if (values.empty()) return out;
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  double min = *lo, range = double(*hi) - double(*lo);
  if (!(range > 0)) return out; // constant (or NaN): no contrast to show
  for (size_t i = 0; i < values.size(); ++i)
    out[i] = uint8_t(std::lround(std::clamp((double(values[i]) - min) / range, 0.0, 1.0) * 255.0));
  return out;
}

int64_t nearSquareColumns(int64_t tiles) {
  int64_t columns = 1;
  while (columns * columns < tiles) ++columns;
  return columns;
}

Image tileGrid(const std::vector<Image> &tiles, int64_t columns, int64_t scale, int64_t border) {
  Image grid;
  if (tiles.empty() || columns <= 0) return grid;
  const Image &first = tiles.front();
  const int64_t rows = (int64_t(tiles.size()) + columns - 1) / columns;
  const int64_t tw = first.width * scale, th = first.height * scale, c = first.channels;
  grid.channels = first.channels;
  grid.width = columns * tw + (columns + 1) * border;
  grid.height = rows * th + (rows + 1) * border;
  grid.pixels.assign(size_t(grid.width * grid.height * c), kBorderGray);
  for (size_t t = 0; t < tiles.size(); ++t) {
    const int64_t x0 = border + int64_t(t) % columns * (tw + border);
    const int64_t y0 = border + int64_t(t) / columns * (th + border);
    for (int64_t y = 0; y < th; ++y)
      for (int64_t x = 0; x < tw; ++x)
        for (int64_t k = 0; k < c; ++k)
          grid.pixels[size_t(((y0 + y) * grid.width + x0 + x) * c + k)] =
              tiles[t].pixels[size_t(((y / scale) * first.width + x / scale) * c + k)];
  }
  return grid;
}

Image filterGrid(std::span<const float> weights, int64_t cout, int64_t cin, int64_t kh, int64_t kw,
                 int64_t scale, int64_t border) {
  const int64_t plane = kh * kw, filter = cin * plane;
  std::vector<Image> tiles;
  for (int64_t f = 0; f < cout; ++f) {
    std::vector<uint8_t> v = minMaxTo8Bit(weights.subspan(size_t(f * filter), size_t(filter))); // (cin, kh, kw)
    if (cin == 3) { // planar (3, kh, kw) -> interleaved RGB
      Image tile{kw, kh, 3, std::vector<uint8_t>(size_t(filter))};
      for (int64_t p = 0; p < plane; ++p)
        for (int64_t k = 0; k < 3; ++k) tile.pixels[size_t(p * 3 + k)] = v[size_t(k * plane + p)];
      tiles.push_back(std::move(tile));
    } else {
      for (int64_t k = 0; k < cin; ++k)
        tiles.push_back(Image{kw, kh, 1, std::vector<uint8_t>(v.begin() + k * plane, v.begin() + (k + 1) * plane)});
    }
  }
  int64_t columns = cin == 1 || cin == 3 ? nearSquareColumns(cout) : cin;
  return tileGrid(tiles, columns, scale, border);
}

Image inputPicture(std::span<const float> chw, int64_t channels, int64_t height, int64_t width, int64_t scale) {
  const int64_t plane = height * width;
  const int c = channels == 3 ? 3 : 1;
  Image tile{width, height, c, std::vector<uint8_t>(size_t(plane * c))};
  for (int64_t p = 0; p < plane; ++p)
    for (int k = 0; k < c; ++k) {
      double v = std::clamp(double(chw[size_t(k * plane + p)]), 0.0, 1.0);
      tile.pixels[size_t(p * c + k)] = uint8_t(std::lround(v * 255.0));
    }
  return tileGrid({tile}, 1, scale, 0);
}

} // namespace nnc::rt::driver
