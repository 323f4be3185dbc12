// The input standardization of a training run and its file. Training computes the
// statistics on its training examples and saves them next to the checkpoint
// (`standardize.npz`: mode, image_shape, mean, std), so eval and predict apply exactly the
// statistics the weights were trained with.
#pragma once

#include "data/Error.h"
#include "data/Standardize.h"

#include <optional>
#include <string>

namespace nnc::rt::driver {

// --standardize: "per-channel", "per-pixel" or "none".
enum class Normalize { None, PerChannel, PerPixel };
std::optional<Normalize> parseNormalize(const std::string &text);

// Statistics, or none (inputs pass unchanged).
using Normalization = std::optional<Standardizer>;

// The statistics of `train` for `mode`.
Expected<Normalization> computeNormalization(const Dataset &train, Normalize mode);
// Applies them in place (nothing for none); Mismatch when the image shape differs.
Status applyNormalization(const Normalization &n, Dataset &data);

// "<dir of checkpoint>/standardize.npz".
std::string normalizationPathFor(const std::string &checkpointPath);
// Writes the file atomically; loads it (Io when missing, Format when it is not one).
Status saveNormalization(const std::string &path, const Normalization &n);
Expected<Normalization> loadNormalization(const std::string &path);

} // namespace nnc::rt::driver
