// `export-npz` and `import-npz`: weights by tensor name through NumPy archives, to and
// from checkpoints.
#include "driver/Commands.h"
#include "driver/Errors.h"
#include "driver/Setup.h"

#include <fmt/format.h>

#include <cstdio>

namespace nnc::rt::driver {

Status runExportNpz(const nnc_compiled_model *compiled, const WeightsOptions &o) {
  auto opened = openModel(compiled, o);
  if (!opened) return std::move(opened).takeError();
  Model &model = *opened.value();
  if (!o.checkpoint.empty())
    if (auto s = loadCheckpointInto(model, o.checkpoint); !s) return s;
  auto status = model.session().exportNpz(o.file, /*parametersOnly=*/!o.allState);
  if (!status) return fromCheckpoint(status.error());
  return okStatus();
}

Status runImportNpz(const nnc_compiled_model *compiled, const WeightsOptions &o) {
  auto opened = openModel(compiled, o);
  if (!opened) return std::move(opened).takeError();
  Model &model = *opened.value();
  if (!o.checkpoint.empty())
    if (auto s = loadCheckpointInto(model, o.checkpoint); !s) return s;
  auto loaded = model.session().importNpz(o.file, o.allowUnknown);
  if (!loaded) return fromCheckpoint(loaded.error());
  auto saved = model.session().saveCheckpoint(o.output);
  if (!saved) return fromCheckpoint(saved.error());
  std::printf("%zu tensors from %s written to %s\n", loaded.value(), o.file.c_str(), o.output.c_str());
  return okStatus();
}

} // namespace nnc::rt::driver
