// Steps the commands share: opening the model with the common options, loading a
// checkpoint, and finding the input statistics for eval and predict.
#pragma once

#include "driver/Commands.h"
#include "driver/Model.h"
#include "driver/Normalization.h"

#include <memory>

namespace nnc::rt::driver {

// Model::open, then the checks of `options` against it: --batch must equal the compiled
// batch (a usage error saying how to recompile).
Expected<std::unique_ptr<Model>> openModel(const nnc_compiled_model *compiled, const CommonOptions &options);

// Loads `path` into the model's session (errors name the file; another model's
// checkpoint says so).
Status loadCheckpointInto(Model &model, const std::string &path);

// The statistics for eval and predict: standardize.npz next to `checkpoint` when there
// is one, else computed from the training set of `dataDir` with mode `standardize`
// (a note on stderr says so).
Expected<Normalization> findNormalization(const Model &model, const std::string &checkpoint,
                                          const std::string &dataDir, const std::string &standardize);

} // namespace nnc::rt::driver
