// Data augmentation of training batches, as torchvision's RandomCrop(padding=P),
// RandomAffine-style integer translation, RandomHorizontalFlip(0.5) and ColorJitter(b, c, s)
// would transform raw images before Normalize. Every random draw of an example is a pure
// function of (seed, epoch, example index) (Philox, nnc/philox.h), so a batch's result does
// not depend on which other examples share it, and a resumed run draws what an
// uninterrupted one would. Evaluation never calls this.
//
// Order per example: crop, translate, flip (geometry), then colour jitter. Images are
// stored standardized (data/Standardize.h); the transforms act as if on raw [0, 1] pixels:
// - per-channel statistics (or none): geometry moves the stored values and fills with the
//   stored value of a black pixel, (0 - mean[c]) / std[c]; jitter undoes the
//   standardization, jitters, clamps to [0, 1] and redoes it;
// - per-pixel statistics: a pixel's stored value depends on its position, so the whole
//   image is taken back to raw values, transformed (fill 0) and standardized again.
#pragma once

#include "data/Error.h"
#include "data/Standardize.h"

#include <array>
#include <cstdint>
#include <span>

namespace nnc::rt {

// Philox stream of the augmentation draws (see data/Shuffle.h for the others).
constexpr uint32_t kAugmentStream = 0x41554754; // "AUGT"

struct AugmentOptions {
  bool flip = false;       // horizontal, with probability 0.5
  int64_t cropPadding = 0; // P: pad P zeros on every side, crop H x W back at a random offset
  int64_t translate = 0;   // N: shift by dy, dx uniform in [-N, N], fill 0
  // ColorJitter strengths s >= 0: factors uniform in [max(0, 1 - s), 1 + s]; 0 = off.
  // Saturation acts on 3-channel images only (skipped otherwise).
  double brightness = 0, contrast = 0, saturation = 0;

  bool geometric() const { return flip || cropPadding > 0 || translate > 0; }
  bool jitter() const { return brightness > 0 || contrast > 0 || saturation > 0; }
  bool enabled() const { return geometric() || jitter(); }
};

// Everything drawn for one example. Each transform draws from its own fixed words, so
// turning one transform on or off leaves the draws of the others unchanged.
struct AugmentDraws {
  int64_t cropTop = 0, cropLeft = 0; // offsets into the padded image, in [0, 2P]
  int64_t shiftY = 0, shiftX = 0;    // content moves down / right by these, in [-N, N]
  bool flip = false;
  double brightness = 1, contrast = 1, saturation = 1; // factors (1 = unchanged)
  std::array<int, 3> jitterOrder = {0, 1, 2}; // 0 brightness, 1 contrast, 2 saturation
};

// The draws of example `example` in epoch `epoch` (words 16·example + k of stream
// kAugmentStream at step `epoch` under `seed`). Options that are off draw identity values.
AugmentDraws drawAugment(const AugmentOptions &options, uint64_t seed, uint64_t epoch, int64_t example);

// The C, H, W of the images and their standardization (nullptr: raw [0, 1] pixels).
struct ImageLayout {
  int64_t channels = 0, height = 0, width = 0;
  const Standardizer *stats = nullptr;
};

// Transforms one image (C, H, W) in place with the given draws.
void applyAugment(const AugmentOptions &options, const AugmentDraws &draws, std::span<float> image,
                  const ImageLayout &layout);

// Augments every row of a batch: images is (B, C, H, W) and examples[r] the example index of
// row r (padding rows repeat an example and get its draws). InvalidArgument when the sizes
// disagree or the statistics have another shape.
Status augmentBatch(const AugmentOptions &options, std::span<float> images, std::span<const int64_t> examples,
                    const ImageLayout &layout, uint64_t seed, uint64_t epoch);

} // namespace nnc::rt
