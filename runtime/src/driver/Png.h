// PNG files of 8-bit gray or RGB images, through libpng's simplified API (png_image).
#pragma once

#include "data/Error.h"
#include "driver/Pictures.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnc::rt::driver {

// The PNG bytes of `image` (1 or 3 channels, width and height > 0); InvalidArgument
// otherwise, Format when libpng fails.
Expected<std::vector<uint8_t>> encodePng(const Image &image);
// Encodes and writes atomically (a failed write leaves an existing file alone); errors
// name `path`.
Status writePng(const std::string &path, const Image &image);

} // namespace nnc::rt::driver
