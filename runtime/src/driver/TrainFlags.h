// The train command's flags checked and applied: usage errors before anything loads,
// the augmentation and learning-rate schedule they ask for, and the hyperparameters
// (--lr, --hyperparameter) set into the session.
#pragma once

#include "data/Augment.h"
#include "driver/Commands.h"
#include "driver/LrSchedule.h"
#include "driver/Model.h"

#include <optional>

namespace nnc::rt::driver {

// Usage errors found before anything is loaded.
Status checkOptions(const TrainOptions &o);
// --flip, --crop-padding, --translate and --color-jitter S | B,C,S as AugmentOptions.
Expected<AugmentOptions> augmentOptions(const TrainOptions &o);
// The schedule around the session's lr (--lr or the model's default); none without flags.
Expected<std::optional<LrScheduler>> makeScheduler(Model &model, const TrainOptions &o, int64_t stepsPerEpoch);
// --lr and --hyperparameter NAME=VALUE into the session.
Status setHyperparameters(Model &model, const TrainOptions &o);

} // namespace nnc::rt::driver
