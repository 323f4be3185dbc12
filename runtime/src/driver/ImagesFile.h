// The images of `predict --input FILE`: a NumPy .npy array of f32 or f64 pixel values
// scaled like the training data before standardization (pixel / 255, in [0, 1]) with
// shape (N, C, H, W), (N, H, W) or (N, H·W·C), or an IDX images file (raw or gzip, magic
// 0x00000803, unsigned bytes), as the training loaders read it.
#pragma once

#include "data/Dataset.h"
#include "data/Error.h"

#include <string>

namespace nnc::rt::driver {

// The images as a Dataset with labels 0. `channels`, `height`, `width` give the layout of
// a flattened (N, features) array. Errors name the file: unreadable, not .npy or IDX,
// an unsupported dtype or rank, no images.
Expected<Dataset> loadImagesFile(const std::string &path, int64_t channels, int64_t height, int64_t width);

} // namespace nnc::rt::driver
