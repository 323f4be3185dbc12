// Shared command steps: the model with its flags, checkpoints, input statistics.
#include "driver/Setup.h"

#include "driver/Errors.h"
#include "exec/CompiledModel.h"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

namespace nnc::rt::driver {

Expected<std::unique_ptr<Model>> openModel(const nnc_compiled_model *compiled, const CommonOptions &options) {
  // --device first: a CUDA model cannot even allocate its state without a GPU.
  if (!options.device.empty()) {
    auto loaded = loadCompiledModel(compiled, "nnc_main_model");
    if (!loaded) return fromCheckpoint(loaded.error());
    const Artifact &a = *loaded.value()->artifact;
    if (options.device != a.device)
      return usageError(fmt::format("--device {}: model '{}' was compiled for {} (the device is chosen at compile "
                                    "time); drop --device, or recompile with `nnc compile --target={} ...`",
                                    options.device, a.name, a.device, options.device));
  }
  auto model = Model::open(compiled, options.seed);
  if (!model) return std::move(model).takeError();
  const Model &m = *model.value();
  if (options.batch && *options.batch != m.batch())
    return usageError(fmt::format("--batch {}: model '{}' was compiled for batch {} (the batch size is fixed at "
                                  "compile time); drop --batch, or recompile with `nnc compile --batch {} ...`",
                                  *options.batch, m.artifact().name, m.batch(), *options.batch));
  return model;
}

Status loadCheckpointInto(Model &model, const std::string &path) {
  auto status = model.session().loadCheckpoint(path);
  if (!status) return fromCheckpoint(status.error());
  return okStatus();
}

Expected<Normalization> findNormalization(const Model &model, const std::string &checkpoint,
                                          const std::string &dataDir, const std::string &standardize) {
  if (!checkpoint.empty()) {
    std::string path = normalizationPathFor(checkpoint);
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return loadNormalization(path);
  }
  auto mode = parseNormalize(standardize);
  if (!mode) return usageError(fmt::format("--standardize {}: expected per-channel, per-pixel or none", standardize));
  if (*mode == Normalize::None) return Normalization{};
  std::fprintf(stderr, "note: %s; computing %s statistics from the training set of %s\n",
               checkpoint.empty() ? "no --checkpoint"
                                  : fmt::format("no {} next to the checkpoint", normalizationPathFor(checkpoint)).c_str(),
               standardize.c_str(), dataDir.c_str());
  auto data = loadDataFolder(dataDir, model.classes(), /*loadTrain=*/true, /*loadTest=*/false);
  if (!data) return std::move(data).takeError();
  if (auto s = model.checkData(data->train, data->trainImages); !s) return std::move(s).takeError();
  return computeNormalization(data->train, *mode);
}

} // namespace nnc::rt::driver
