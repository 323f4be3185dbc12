// PNG encoding with libpng 1.6's png_image: one call sizes the file, a second writes it
// into memory; AtomicFile puts it on disk.
#include "driver/Png.h"

#include "checkpoint/AtomicFile.h"
#include "driver/Errors.h"

#include <fmt/format.h>
#include <png.h>

#include <cstring>

namespace nnc::rt::driver {

Expected<std::vector<uint8_t>> encodePng(const Image &image) {
  if ((image.channels != 1 && image.channels != 3) || image.width <= 0 || image.height <= 0 ||
      image.width > (int64_t(1) << 24) || image.height > (int64_t(1) << 24) ||
      image.pixels.size() != size_t(image.width * image.height * image.channels))
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("cannot encode a {}x{} image with {} channels and {} bytes as PNG", image.width,
                             image.height, image.channels, image.pixels.size())};
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  png.width = png_uint_32(image.width);
  png.height = png_uint_32(image.height);
  png.format = image.channels == 3 ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
  const png_int_32 stride = png_int_32(image.width * image.channels);
  png_alloc_size_t size = 0;
  if (!png_image_write_to_memory(&png, nullptr, &size, 0, image.pixels.data(), stride, nullptr))
    return dataError(fmt::format("libpng: {}", png.message));
  std::vector<uint8_t> bytes(size);
  if (!png_image_write_to_memory(&png, bytes.data(), &size, 0, image.pixels.data(), stride, nullptr))
    return dataError(fmt::format("libpng: {}", png.message));
  bytes.resize(size);
  return bytes;
}

Status writePng(const std::string &path, const Image &image) {
  auto bytes = encodePng(image);
  if (!bytes) return Error{bytes.error().code, fmt::format("{}: {}", path, bytes.error().message)};
  auto written = writeFileAtomically(path, std::as_bytes(std::span<const uint8_t>(*bytes)));
  if (!written) return fromCheckpoint(written.error());
  return okStatus();
}

} // namespace nnc::rt::driver
