// `dream`: activation maximisation. Starts every row of a batch from its own noise and
// descends L(x) = cross_entropy(model(x), C) + l2/2 · |x|² on the input x with the
// compiled `input_gradient` entry point (nnc compile --grad-wrt=x: the forward pass in
// evaluation form, so batch norm uses running statistics and dropout is off), then saves
// the row whose class probability ended highest. x lives in the model's (standardized)
// input space; after every step it is projected so that its pixels, de-standardized, stay
// in [0, 1] — a picture the model could be shown.
#include "driver/Commands.h"
#include "driver/Errors.h"
#include "driver/Pictures.h"
#include "driver/Png.h"
#include "driver/Setup.h"
#include "exec/CompiledModel.h"

#include "nnc/philox.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace nnc::rt::driver {

namespace {

// Per-element (C·H·W) statistics of the input; mean 0 and std 1 without standardization.
// The picture's shape comes from the statistics when they cover the example (an MLP's
// flat input of a 1x28x28 data set), else from the model's input.
struct PixelMap {
  std::vector<float> mean, std;
  int64_t channels = 1, height = 1, width = 1;
};

Expected<PixelMap> pixelMap(const Model &model, const Normalization &n) {
  const int64_t size = model.exampleSize();
  PixelMap m{std::vector<float>(size_t(size), 0.f), std::vector<float>(size_t(size), 1.f), model.channels(),
             model.height(), model.width()};
  if (n) {
    const int64_t plane = n->height * n->width;
    if (n->channels * plane != size)
      return Error{ErrorCode::Mismatch, fmt::format("the input statistics are for {}x{}x{} images but model '{}' "
                                                    "takes {}",
                                                    n->channels, n->height, n->width, model.artifact().name,
                                                    model.inputDescription())};
    for (int64_t e = 0; e < size; ++e) {
      size_t s = size_t(n->mode == StandardizeMode::PerChannel ? e / plane : e);
      m.mean[size_t(e)] = n->mean[s];
      m.std[size_t(e)] = n->std[s];
    }
    m.channels = n->channels, m.height = n->height, m.width = n->width;
  } else if (model.channels() == 1 && model.height() == 1) { // flat features: square if they are one
    int64_t side = std::llround(std::sqrt(double(size))), rgb = std::llround(std::sqrt(double(size) / 3));
    if (side * side == size) m.height = m.width = side;
    else if (3 * rgb * rgb == size) m.channels = 3, m.height = m.width = rgb;
  }
  return m;
}

// Probability of class `c` per row of `scores` (B, K): the scores themselves when every
// row already is a distribution (a softmax output), else their softmax (logits).
std::vector<double> classProbabilities(std::span<const float> scores, int64_t B, int64_t K, int64_t c) {
  bool distribution = true;
  for (int64_t r = 0; r < B && distribution; ++r) {
    double sum = 0;
    for (int64_t k = 0; k < K; ++k) {
      float v = scores[size_t(r * K + k)];
      distribution = distribution && v >= 0 && v <= 1;
      sum += v;
    }
    distribution = distribution && std::abs(sum - 1) < 1e-3;
  }
  std::vector<double> p(static_cast<size_t>(B));
  for (int64_t r = 0; r < B; ++r) {
    const float *row = scores.data() + r * K;
    if (distribution) {
      p[size_t(r)] = row[c];
      continue;
    }
    double max = *std::max_element(row, row + K), sum = 0;
    for (int64_t k = 0; k < K; ++k) sum += std::exp(double(row[k]) - max);
    p[size_t(r)] = std::exp(double(row[c]) - max) / sum;
  }
  return p;
}

double mean(const std::vector<double> &v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? 0 : s / double(v.size());
}

} // namespace

Status runDream(const nnc_compiled_model *compiled, const DreamOptions &o) {
  auto opened = openModel(compiled, o);
  if (!opened) return std::move(opened).takeError();
  Model &model = *opened.value();
  const Artifact &a = model.artifact();
  const int64_t B = model.batch(), K = model.classes(), E = model.exampleSize(), C = o.classIndex;
  if (K <= 0) return dataError(fmt::format("model '{}' has no (B, classes) output to dream of", a.name));
  if (C < 0 || C >= K)
    return usageError(fmt::format("--class {}: model '{}' has {} classes (0 to {})", C, a.name, K, K - 1));

  // input_gradient(x, y) -> (loss, d_x, ...), compiled only on request.
  const EntryPointSpec *entry = a.entryPoint("input_gradient");
  if (!entry)
    return dataError(fmt::format("model '{}' has no input_gradient entry point; `dream` needs one: recompile with "
                                 "`nnc compile --grad-wrt={} {} -o <binary>`",
                                 a.name, model.inputName(), a.source));
  int gradient = -1;
  for (size_t i = 0; i < entry->results.size(); ++i)
    if (entry->results[i].role == Role::InputGradient && entry->results[i].name == "d_" + model.inputName() &&
        entry->results[i].dtype == DType::F32 && size_t(*elementCount(entry->results[i].shape)) == size_t(B * E))
      gradient = int(i);
  if (gradient < 0)
    return dataError(fmt::format("model '{}': input_gradient has no f32 gradient 'd_{}'; recompile with "
                                 "`nnc compile --grad-wrt={} ...`",
                                 a.name, model.inputName(), model.inputName()));
  std::vector<const void *> inputs;
  for (const ValueSpec *v : entryInputs(*entry)) {
    if (v->name == model.inputName()) inputs.push_back(model.x().data());
    else if (v->dtype == DType::I64 && v->shape == std::vector<int64_t>{B}) inputs.push_back(model.y().data());
    else return dataError(fmt::format("model '{}': input_gradient takes input '{}' {}, which the driver cannot feed",
                                      a.name, v->name, formatSpec(*v)));
  }

  if (!o.checkpoint.empty())
    if (auto s = loadCheckpointInto(model, o.checkpoint); !s) return s;
  auto normalization = findNormalization(model, o.checkpoint, o.data, o.standardize);
  if (!normalization) return std::move(normalization).takeError();
  auto map = pixelMap(model, *normalization);
  if (!map) return std::move(map).takeError();
  const PixelMap &px = *map;

  // A second executor on the model's session (same state) for input_gradient.
  auto loaded = loadCompiledModel(compiled, "nnc_main_model");
  if (!loaded) return fromCheckpoint(loaded.error());
  auto executor = Executor::create(std::move(loaded).value(), model.session());
  if (!executor) return fromCheckpoint(executor.error());
  std::vector<AlignedBuffer> results;
  std::vector<void *> resultPointers;
  for (const ValueSpec &r : entry->results) {
    auto buffer = AlignedBuffer::allocate(std::max<size_t>(1, size_t(*byteSize(r.dtype, r.shape))),
                                          fmt::format("input_gradient result '{}'", r.name));
    if (!buffer) return fromCheckpoint(buffer.error());
    results.push_back(std::move(buffer).value());
    resultPointers.push_back(results.back().data());
  }
  const float *dx = reinterpret_cast<const float *>(results[size_t(gradient)].data());

  // Start: pixels uniform in [0.4, 0.6] (Philox, --seed), in the model's input space.
  std::span<float> x = model.x();
  for (int64_t i = 0; i < B * E; ++i) {
    float pixel = 0.4f + 0.2f * uniformFromBits(randomBits(o.seed, 0, /*stream=*/0x647265616d, uint64_t(i)));
    x[size_t(i)] = (pixel - px.mean[size_t(i % E)]) / px.std[size_t(i % E)];
  }
  auto probabilities = [&]() -> Expected<std::vector<double>> {
    if (auto s = model.predict(); !s) return std::move(s).takeError();
    return classProbabilities(model.output("predict"), B, K, C);
  };
  auto start = probabilities();
  if (!start) return std::move(start).takeError();

  std::vector<double> g(static_cast<size_t>(E));
  for (int64_t step = 0; step < o.steps; ++step) {
    std::fill(model.y().begin(), model.y().end(), C); // predict may have zeroed the labels
    auto ran = executor.value()->run("input_gradient", inputs, resultPointers);
    if (!ran) return fromCheckpoint(ran.error());
    for (int64_t r = 0; r < B; ++r) {
      // The loss is the batch mean: B · d_x is row r's own gradient. One step of length
      // lr per pixel (RMS), whatever the gradient's scale.
      float *xr = x.data() + r * E;
      double sq = 0;
      for (int64_t e = 0; e < E; ++e) {
        g[size_t(e)] = double(B) * dx[r * E + e] + o.l2 * xr[e];
        sq += g[size_t(e)] * g[size_t(e)];
      }
      double rms = std::sqrt(sq / double(E));
      if (!(rms > 0) || !std::isfinite(rms)) continue;
      for (int64_t e = 0; e < E; ++e) {
        float m = px.mean[size_t(e)], s = px.std[size_t(e)];
        float v = xr[e] - float(o.lr * g[size_t(e)] / rms);
        xr[e] = (std::clamp(v * s + m, 0.f, 1.f) - m) / s; // pixels stay in [0, 1]
      }
    }
  }
  auto final = probabilities();
  if (!final) return std::move(final).takeError();
  const int64_t best = std::max_element(final->begin(), final->end()) - final->begin();

  std::vector<float> pixels(static_cast<size_t>(E));
  for (int64_t e = 0; e < E; ++e)
    pixels[size_t(e)] = x[size_t(best * E + e)] * px.std[size_t(e)] + px.mean[size_t(e)];
  Image image = inputPicture(pixels, px.channels, px.height, px.width, o.scale);
  if (auto s = writePng(o.output, image); !s) return s;
  std::printf("class %lld: mean probability over %lld starts %.4f -> %.4f after %lld steps\n", (long long)C,
              (long long)B, mean(*start), mean(*final), (long long)o.steps);
  std::printf("%s: start %lld (probability %.4f -> %.4f), %lldx%lld %s pixels\n", o.output.c_str(),
              (long long)best, (*start)[size_t(best)], (*final)[size_t(best)], (long long)image.width,
              (long long)image.height, image.channels == 3 ? "RGB" : "gray");
  return okStatus();
}

} // namespace nnc::rt::driver
