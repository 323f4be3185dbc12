// `filters`: a convolution's learned filters as a PNG grid (layout: Pictures.h). The
// default weight is the first convolution's: the first 4-d parameter whose input channels
// equal the model's image channels, else the first 4-d parameter, in artifact order.
#include "driver/Commands.h"
#include "driver/Errors.h"
#include "driver/Pictures.h"
#include "driver/Png.h"
#include "driver/Setup.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>

namespace nnc::rt::driver {

namespace {

bool isFilterBank(const StateSpec &s) {
  return s.shape.size() == 4 && (s.dtype == DType::F32 || s.dtype == DType::F64);
}

// The state tensor to draw, or an error naming --param (usage) or the model (no 4-d one).
Expected<const StateTensor *> chooseWeight(Model &model, const std::string &param) {
  const auto &state = model.session().state();
  std::string banks;
  for (const StateTensor &t : state)
    if (isFilterBank(*t.spec)) banks += fmt::format("{}{} {}", banks.empty() ? "" : ", ", t.spec->name, formatSpec(*t.spec));
  if (!param.empty()) {
    for (const StateTensor &t : state)
      if (t.spec->name == param) {
        if (isFilterBank(*t.spec)) return &t;
        return usageError(fmt::format("--param {}: {} is not a 4-d (out, in, kh, kw) float weight ({})", param,
                                      formatSpec(*t.spec), banks.empty() ? "the model has none" : "4-d: " + banks));
      }
    return usageError(fmt::format("--param {}: model '{}' has no such tensor ({})", param, model.artifact().name,
                                  banks.empty() ? "and no 4-d weights" : "4-d weights: " + banks));
  }
  for (const StateTensor &t : state)
    if (t.spec->role == Role::Parameter && isFilterBank(*t.spec) && t.spec->shape[1] == model.channels()) return &t;
  for (const StateTensor &t : state)
    if (t.spec->role == Role::Parameter && isFilterBank(*t.spec)) return &t;
  return dataError(fmt::format("model '{}' has no 4-d parameter (convolution weights) to draw as filters",
                               model.artifact().name));
}

} // namespace

Status runFilters(const nnc_compiled_model *compiled, const FiltersOptions &o) {
  auto opened = openModel(compiled, o);
  if (!opened) return std::move(opened).takeError();
  Model &model = *opened.value();
  if (!o.checkpoint.empty())
    if (auto s = loadCheckpointInto(model, o.checkpoint); !s) return s;
  auto chosen = chooseWeight(model, o.param);
  if (!chosen) return std::move(chosen).takeError();
  const StateTensor &t = **chosen;
  const auto &shape = t.spec->shape;
  const size_t n = size_t(shape[0] * shape[1] * shape[2] * shape[3]);
  if (n == 0) return dataError(fmt::format("tensor '{}' {} is empty", t.spec->name, formatSpec(*t.spec)));
  std::vector<float> values(n);
  if (t.spec->dtype == DType::F32) {
    std::memcpy(values.data(), t.buffer.data(), n * sizeof(float));
  } else {
    const auto *d = reinterpret_cast<const double *>(t.buffer.data());
    for (size_t i = 0; i < n; ++i) values[i] = float(d[i]);
  }
  Image grid = filterGrid(values, shape[0], shape[1], shape[2], shape[3], o.scale, /*border=*/2);
  if (auto s = writePng(o.output, grid); !s) return s;
  std::string layout = shape[1] == 1 || shape[1] == 3
                           ? fmt::format("{} {} filters, {} per row", shape[0], shape[1] == 3 ? "RGB" : "gray",
                                         nearSquareColumns(shape[0]))
                           : fmt::format("{} filters x {} input channels, a row per filter", shape[0], shape[1]);
  std::printf("%s: %s %s, %s, %lldx%lld pixels\n", o.output.c_str(), t.spec->name.c_str(),
              formatSpec(*t.spec).c_str(), layout.c_str(), (long long)grid.width, (long long)grid.height);
  return okStatus();
}

} // namespace nnc::rt::driver
