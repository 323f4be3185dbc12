// The augmentation draws and transforms (see Augment.h).
#include "data/Augment.h"

#include "nnc/philox.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace nnc::rt {

namespace {

// Word k of example `example`'s draws.
uint32_t word(uint64_t seed, uint64_t epoch, int64_t example, uint64_t k) {
  return randomBits(seed, epoch, kAugmentStream, uint64_t(example) * 16 + k);
}

// Uniform integer in [0, n) from a 32-bit word (bias below n / 2^32).
int64_t below(uint32_t bits, int64_t n) { return int64_t((uint64_t(bits) * uint64_t(n)) >> 32); }

// torchvision's factor range for strength s: [max(0, 1 - s), 1 + s].
double factor(uint32_t bits, double s) {
  const double lo = std::max(0.0, 1.0 - s), hi = 1.0 + s;
  return lo + double(uniformFromBits(bits)) * (hi - lo);
}

// out(y, x) = in(y - dy, x - dx) inside the plane, `fill` elsewhere; one (H, W) plane.
void shiftPlane(float *plane, int64_t H, int64_t W, int64_t dy, int64_t dx, float fill, std::vector<float> &scratch) {
  scratch.assign(plane, plane + H * W);
  for (int64_t y = 0; y < H; ++y)
    for (int64_t x = 0; x < W; ++x) {
      const int64_t sy = y - dy, sx = x - dx;
      plane[y * W + x] = sy >= 0 && sy < H && sx >= 0 && sx < W ? scratch[size_t(sy * W + sx)] : fill;
    }
}

void flipPlane(float *plane, int64_t H, int64_t W) {
  for (int64_t y = 0; y < H; ++y) std::reverse(plane + y * W, plane + (y + 1) * W);
}

// Statistic s of element e: per channel (e / plane) or per pixel (e).
size_t statOf(const Standardizer &stats, int64_t e, int64_t plane) {
  return size_t(stats.mode == StandardizeMode::PerPixel ? e : e / plane);
}

// Raw [0, 1] values and back, exactly as applyStandardizer rounds.
void toRaw(std::span<float> image, const Standardizer &stats, int64_t plane) {
  for (int64_t e = 0; e < int64_t(image.size()); ++e) {
    const size_t s = statOf(stats, e, plane);
    image[size_t(e)] = float(double(image[size_t(e)]) * double(stats.std[s]) + double(stats.mean[s]));
  }
}
void fromRaw(std::span<float> image, const Standardizer &stats, int64_t plane) {
  for (int64_t e = 0; e < int64_t(image.size()); ++e) {
    const size_t s = statOf(stats, e, plane);
    image[size_t(e)] = float((double(image[size_t(e)]) - double(stats.mean[s])) * (1.0 / double(stats.std[s])));
  }
}

float clamp01(double v) { return float(std::clamp(v, 0.0, 1.0)); }

// torchvision's grayscale: 0.2989 R + 0.587 G + 0.114 B.
double gray(const float *image, int64_t plane, int64_t i) {
  return 0.2989 * image[i] + 0.587 * image[plane + i] + 0.114 * image[2 * plane + i];
}

// One jitter step on raw values: torchvision's adjust_brightness / _contrast / _saturation,
// each a blend with a reference image, clamped to [0, 1].
void jitterStep(int which, double f, std::span<float> image, int64_t C, int64_t plane) {
  float *x = image.data();
  const int64_t n = int64_t(image.size());
  if (which == 0) { // blend with black
    for (int64_t e = 0; e < n; ++e) x[e] = clamp01(f * x[e]);
  } else if (which == 1) { // blend with the mean grey level (grayscale mean for RGB)
    double mean = 0;
    if (C == 3)
      for (int64_t i = 0; i < plane; ++i) mean += gray(x, plane, i);
    else
      for (int64_t e = 0; e < n; ++e) mean += x[e];
    mean /= double(C == 3 ? plane : n);
    for (int64_t e = 0; e < n; ++e) x[e] = clamp01(f * x[e] + (1 - f) * mean);
  } else if (C == 3) { // blend with the pixel's grayscale value
    for (int64_t i = 0; i < plane; ++i) {
      const double g = gray(x, plane, i);
      for (int64_t c = 0; c < 3; ++c) x[c * plane + i] = clamp01(f * x[c * plane + i] + (1 - f) * g);
    }
  }
}

} // namespace

AugmentDraws drawAugment(const AugmentOptions &o, uint64_t seed, uint64_t epoch, int64_t example) {
  AugmentDraws d;
  auto w = [&](uint64_t k) { return word(seed, epoch, example, k); };
  if (o.flip) d.flip = uniformFromBits(w(0)) < 0.5f; // RandomHorizontalFlip: rand < p
  if (o.cropPadding > 0) {
    d.cropTop = below(w(1), 2 * o.cropPadding + 1);
    d.cropLeft = below(w(2), 2 * o.cropPadding + 1);
  }
  if (o.translate > 0) {
    d.shiftY = below(w(3), 2 * o.translate + 1) - o.translate;
    d.shiftX = below(w(4), 2 * o.translate + 1) - o.translate;
  }
  if (o.brightness > 0) d.brightness = factor(w(5), o.brightness);
  if (o.contrast > 0) d.contrast = factor(w(6), o.contrast);
  if (o.saturation > 0) d.saturation = factor(w(7), o.saturation);
  if (o.jitter()) { // ColorJitter applies its adjustments in a random order
    static constexpr std::array<std::array<int, 3>, 6> kOrders = {
        {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}};
    d.jitterOrder = kOrders[size_t(below(w(8), 6))];
  }
  return d;
}

void applyAugment(const AugmentOptions &o, const AugmentDraws &d, std::span<float> image, const ImageLayout &l) {
  const int64_t C = l.channels, H = l.height, W = l.width, plane = H * W;
  const Standardizer *stats = l.stats;
  const bool perPixel = stats && stats->mode == StandardizeMode::PerPixel;
  bool raw = !stats; // whether `image` holds raw values now
  std::vector<float> scratch;
  if (o.geometric()) {
    if (perPixel) {
      toRaw(image, *stats, plane);
      raw = true;
    }
    for (int64_t c = 0; c < C; ++c) {
      // A black pixel as stored: 0 raw, (0 - mean) / std standardized per channel.
      const float fill = raw ? 0.0f : float((0.0 - double(stats->mean[size_t(c)])) * (1.0 / double(stats->std[size_t(c)])));
      float *p = image.data() + c * plane;
      // Crop at (top, left) of the image padded by P: content moves by P - offset.
      if (o.cropPadding > 0) shiftPlane(p, H, W, o.cropPadding - d.cropTop, o.cropPadding - d.cropLeft, fill, scratch);
      if (o.translate > 0) shiftPlane(p, H, W, d.shiftY, d.shiftX, fill, scratch);
      if (d.flip) flipPlane(p, H, W);
    }
  }
  if (o.jitter()) {
    if (!raw) toRaw(image, *stats, plane);
    raw = true;
    for (int which : d.jitterOrder) {
      const double f = which == 0 ? d.brightness : which == 1 ? d.contrast : d.saturation;
      if (f != 1.0) jitterStep(which, f, image, C, plane);
    }
  }
  if (raw && stats) fromRaw(image, *stats, plane);
}

Status augmentBatch(const AugmentOptions &o, std::span<float> images, std::span<const int64_t> examples,
                    const ImageLayout &l, uint64_t seed, uint64_t epoch) {
  const int64_t size = l.channels * l.height * l.width;
  if (size <= 0 || int64_t(images.size()) != int64_t(examples.size()) * size)
    return Error{ErrorCode::InvalidArgument,
                 fmt::format("augment: {} image elements for {} examples of {}x{}x{}", images.size(), examples.size(),
                             l.channels, l.height, l.width)};
  if (const Standardizer *s = l.stats) {
    const int64_t count = s->mode == StandardizeMode::PerPixel ? size : l.channels;
    if (s->channels != l.channels || s->height != l.height || s->width != l.width ||
        int64_t(s->mean.size()) != count || int64_t(s->std.size()) != count)
      return Error{ErrorCode::InvalidArgument,
                   fmt::format("augment: statistics of images ({}, {}, {}) for images ({}, {}, {})", s->channels,
                               s->height, s->width, l.channels, l.height, l.width)};
  }
  if (!o.enabled()) return okStatus();
  for (size_t r = 0; r < examples.size(); ++r)
    applyAugment(o, drawAugment(o, seed, epoch, examples[r]), images.subspan(r * size_t(size), size_t(size)), l);
  return okStatus();
}

} // namespace nnc::rt
