// `predict`: the class of every image of a .npy or IDX file, one index per line.
#include "checkpoint/AtomicFile.h"
#include "data/Batch.h"
#include "driver/Commands.h"
#include "driver/Errors.h"
#include "driver/ImagesFile.h"
#include "driver/Setup.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace nnc::rt::driver {

Status runPredict(const nnc_compiled_model *compiled, const PredictOptions &o) {
  auto opened = openModel(compiled, o);
  if (!opened) return std::move(opened).takeError();
  Model &model = *opened.value();
  if (model.classes() <= 0)
    return dataError(fmt::format("model '{}' has no (B, classes) output to predict with", model.artifact().name));
  if (!o.checkpoint.empty())
    if (auto s = loadCheckpointInto(model, o.checkpoint); !s) return s;
  auto images = loadImagesFile(o.input, model.channels(), model.height(), model.width());
  if (!images) return std::move(images).takeError();
  if (auto s = model.checkData(*images, o.input); !s) return s;
  auto normalization = findNormalization(model, o.checkpoint, o.data, o.standardize);
  if (!normalization) return std::move(normalization).takeError();
  if (auto s = applyNormalization(*normalization, *images); !s) return s;

  const int64_t B = model.batch(), K = model.classes();
  std::vector<int64_t> order(size_t(images->count));
  std::iota(order.begin(), order.end(), int64_t(0));
  std::vector<float> mask(static_cast<size_t>(B));
  std::string out;
  for (int64_t k = 0; k < batchCount(images->count, B, LastBatch::Pad); ++k) {
    auto real = fillBatch(*images, order, k, B, LastBatch::Pad, model.x(), model.y(), mask);
    if (!real) return std::move(real).takeError();
    if (auto s = model.predict(); !s) return s;
    std::span<const float> scores = model.output("predict"); // logits or probabilities: same argmax
    for (int64_t r = 0; r < *real; ++r) {
      const float *row = scores.data() + r * K;
      out += fmt::format("{}\n", std::max_element(row, row + K) - row);
    }
  }
  if (o.output.empty()) {
    std::fputs(out.c_str(), stdout);
    return okStatus();
  }
  auto written = writeFileAtomically(o.output, std::as_bytes(std::span<const char>(out.data(), out.size())));
  if (!written) return fromCheckpoint(written.error());
  return okStatus();
}

} // namespace nnc::rt::driver
