#include "driver/TrainFlags.h"

#include "driver/Errors.h"
#include "driver/MetricsLog.h"
#include "driver/Normalization.h"
#include "driver/Plot.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <cstdlib>
#include <limits>

namespace nnc::rt::driver {

namespace {

// The flag that asked for a schedule, for messages.
std::string scheduleFlag(const LrScheduleOptions &l) {
  if (l.kind != "none") return "--lr-schedule " + l.kind;
  return l.warmupEpochs ? "--warmup-epochs" : "--warmup-steps";
}

std::string knownHyperparameters(const Session &s) {
  std::string names;
  for (const NamedNumber &h : s.hyperparameters) names += (names.empty() ? "" : ", ") + h.name;
  return names.empty() ? "none" : names;
}

} // namespace

// --flip, --crop-padding, --translate and --color-jitter S | B,C,S as AugmentOptions.
Expected<AugmentOptions> augmentOptions(const TrainOptions &o) {
  AugmentOptions a = o.augment;
  if (o.colorJitter.empty()) return a;
  const std::string text = fmt::format("{}", fmt::join(o.colorJitter, ","));
  if (o.colorJitter.size() != 1 && o.colorJitter.size() != 3)
    return usageError(fmt::format("--color-jitter {}: expected S or B,C,S (brightness, contrast, saturation)", text));
  for (double v : o.colorJitter)
    if (!(v >= 0) || !std::isfinite(v))
      return usageError(fmt::format("--color-jitter {}: expected strengths >= 0", text));
  const bool one = o.colorJitter.size() == 1;
  a.brightness = o.colorJitter[0];
  a.contrast = one ? o.colorJitter[0] : o.colorJitter[1];
  a.saturation = one ? o.colorJitter[0] : o.colorJitter[2];
  return a;
}

// Usage errors found before anything is loaded.
Status checkOptions(const TrainOptions &o) {
  if (o.resume && o.checkpointDir.empty())
    return usageError("--resume needs --checkpoint-dir DIR (it continues from DIR/last.nnck)");
  if (!o.initExclude.empty() && o.initFrom.empty())
    return usageError("--init-exclude needs --init-from FILE (the weights to start from)");
  if (!(o.valSplit >= 0 && o.valSplit < 1))
    return usageError(fmt::format("--val-split {}: expected a fraction in [0, 1)", o.valSplit));
  if (!o.metrics.empty() && !metricsFormatFor(o.metrics))
    return usageError(fmt::format("--metrics {}: the file name must end in .csv or .jsonl", o.metrics));
  if (!o.plot.empty() && !isPlotPath(o.plot))
    return usageError(fmt::format("--plot {}: the file name must end in .svg or .png", o.plot));
  if (!parseNormalize(o.standardize))
    return usageError(fmt::format("--standardize {}: expected per-channel, per-pixel or none", o.standardize));
  if (auto a = augmentOptions(o); !a) return std::move(a).takeError();
  // The base lr is known only once the model is open: any value passes here.
  if (o.lrSchedule.any())
    if (auto s = makeLrSchedule(o.lrSchedule, o.lr.value_or(std::numeric_limits<double>::max()), o.epochs, 1); !s)
      return std::move(s).takeError();
  if (o.earlyStopping && *o.earlyStopping < 1)
    return usageError(fmt::format("--early-stopping {}: expected a patience of >= 1 epochs", *o.earlyStopping));
  if (o.earlyStopping && !(o.valSplit > 0))
    return usageError(fmt::format("--early-stopping {}: needs --val-split F > 0 (it monitors the validation loss)",
                                  *o.earlyStopping));
  if (o.minDelta && !o.earlyStopping)
    return usageError(fmt::format("--min-delta {}: only --early-stopping takes it", *o.minDelta));
  if (o.minDelta && !(*o.minDelta >= 0 && std::isfinite(*o.minDelta)))
    return usageError(fmt::format("--min-delta {}: expected a loss decrease >= 0", *o.minDelta));
  return okStatus();
}

// The schedule around the session's lr (--lr or the model's default).
Expected<std::optional<LrScheduler>> makeScheduler(Model &model, const TrainOptions &o, int64_t stepsPerEpoch) {
  if (!o.lrSchedule.any()) return std::optional<LrScheduler>();
  const double *lr = model.session().hyperparameter("lr");
  if (!lr)
    return usageError(fmt::format("{}: model '{}' has no hyperparameter 'lr' to schedule", scheduleFlag(o.lrSchedule),
                                  model.artifact().name));
  if (std::isnan(*lr))
    return usageError(fmt::format("{}: model '{}' has no default learning rate: give --lr",
                                  scheduleFlag(o.lrSchedule), model.artifact().name));
  auto schedule = makeLrSchedule(o.lrSchedule, *lr, o.epochs, stepsPerEpoch);
  if (!schedule) return std::move(schedule).takeError();
  return std::optional<LrScheduler>(LrScheduler(std::move(*schedule)));
}

// --lr and --hyperparameter NAME=VALUE into the session.
Status setHyperparameters(Model &model, const TrainOptions &o) {
  Session &s = model.session();
  if (o.lr && !s.setHyperparameter("lr", *o.lr))
    return usageError(fmt::format("--lr: model '{}' has no hyperparameter 'lr' (it has: {})", model.artifact().name,
                                  knownHyperparameters(s)));
  for (const std::string &assignment : o.hyperparameters) {
    size_t eq = assignment.find('=');
    std::string name = assignment.substr(0, eq);
    char *end = nullptr;
    double value = eq == std::string::npos ? 0 : std::strtod(assignment.c_str() + eq + 1, &end);
    if (eq == std::string::npos || eq + 1 == assignment.size() || *end != '\0')
      return usageError(fmt::format("--hyperparameter {}: expected NAME=NUMBER", assignment));
    if (!s.setHyperparameter(name, value))
      return usageError(fmt::format("--hyperparameter {}: model '{}' has no hyperparameter '{}' (it has: {})",
                                    assignment, model.artifact().name, name, knownHyperparameters(s)));
  }
  return okStatus();
}

} // namespace nnc::rt::driver
