// Learning-rate schedule math and flag checks (see LrSchedule.h).
#include "driver/LrSchedule.h"

#include "driver/Errors.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace nnc::rt::driver {

namespace {

std::optional<LrScheduleKind> kindOf(const std::string &name) {
  if (name == "none") return LrScheduleKind::Constant;
  if (name == "step") return LrScheduleKind::Step;
  if (name == "multistep") return LrScheduleKind::MultiStep;
  if (name == "exponential") return LrScheduleKind::Exponential;
  if (name == "cosine") return LrScheduleKind::Cosine;
  if (name == "plateau") return LrScheduleKind::Plateau;
  return std::nullopt;
}

std::string show(double v) { return fmt::format("{}", v); }
std::string show(int64_t v) { return fmt::format("{}", v); }

} // namespace

Expected<LrSchedule> makeLrSchedule(const LrScheduleOptions &o, double base, int64_t epochs, int64_t stepsPerEpoch) {
  auto kind = kindOf(o.kind);
  if (!kind)
    return usageError(
        fmt::format("--lr-schedule {}: expected none, step, multistep, exponential, cosine or plateau", o.kind));
  LrSchedule s;
  s.kind = *kind;
  s.base = base;
  // A flag that belongs to other schedules is a mistake worth naming.
  auto onlyFor = [&](const char *flag, const std::string &value, std::initializer_list<LrScheduleKind> kinds,
                     const char *which) -> std::optional<Error> {
    if (std::find(kinds.begin(), kinds.end(), s.kind) != kinds.end()) return std::nullopt;
    return usageError(fmt::format("{} {}: only --lr-schedule {} takes it (the schedule is {})", flag, value, which,
                                  o.kind));
  };
  using K = LrScheduleKind;
  if (o.stepSize) {
    if (auto e = onlyFor("--lr-step-size", show(*o.stepSize), {K::Step}, "step")) return *e;
    if (*o.stepSize < 1) return usageError(fmt::format("--lr-step-size {}: expected an epoch count >= 1", *o.stepSize));
    s.stepSize = *o.stepSize;
  } else if (s.kind == K::Step) {
    return usageError("--lr-schedule step needs --lr-step-size N (epochs between decays)");
  }
  if (!o.milestones.empty()) {
    const std::string text = fmt::format("{}", fmt::join(o.milestones, ","));
    if (auto e = onlyFor("--lr-milestones", text, {K::MultiStep}, "multistep")) return *e;
    for (size_t i = 0; i < o.milestones.size(); ++i)
      if (o.milestones[i] < 1 || (i > 0 && o.milestones[i] <= o.milestones[i - 1]))
        return usageError(fmt::format("--lr-milestones {}: expected increasing epochs >= 1", text));
    s.milestones = o.milestones;
  } else if (s.kind == K::MultiStep) {
    return usageError("--lr-schedule multistep needs --lr-milestones E1,E2,... (epochs after which lr decays)");
  }
  if (o.gamma) {
    if (auto e = onlyFor("--lr-gamma", show(*o.gamma), {K::Step, K::MultiStep, K::Exponential},
                         "step, multistep or exponential"))
      return *e;
    if (!(*o.gamma > 0) || !std::isfinite(*o.gamma))
      return usageError(fmt::format("--lr-gamma {}: expected a factor > 0", *o.gamma));
    s.gamma = *o.gamma;
  } else if (s.kind == K::Exponential) {
    return usageError("--lr-schedule exponential needs --lr-gamma G (the factor per epoch)");
  }
  if (o.tMax) {
    if (auto e = onlyFor("--lr-t-max", show(*o.tMax), {K::Cosine}, "cosine")) return *e;
    if (*o.tMax < 1) return usageError(fmt::format("--lr-t-max {}: expected an epoch count >= 1", *o.tMax));
  }
  s.tMax = o.tMax.value_or(epochs);
  if (o.minLr) {
    if (auto e = onlyFor("--lr-min", show(*o.minLr), {K::Cosine, K::Plateau}, "cosine or plateau")) return *e;
    if (!(*o.minLr >= 0) || !(*o.minLr <= base))
      return usageError(fmt::format("--lr-min {}: expected a learning rate in [0, {}] (the base lr)", *o.minLr, base));
    s.minLr = *o.minLr;
  }
  if (o.factor) {
    if (auto e = onlyFor("--lr-factor", show(*o.factor), {K::Plateau}, "plateau")) return *e;
    if (!(*o.factor > 0 && *o.factor < 1))
      return usageError(fmt::format("--lr-factor {}: expected a factor in (0, 1)", *o.factor));
    s.factor = *o.factor;
  }
  if (o.patience) {
    if (auto e = onlyFor("--lr-patience", show(*o.patience), {K::Plateau}, "plateau")) return *e;
    if (*o.patience < 0) return usageError(fmt::format("--lr-patience {}: expected an epoch count >= 0", *o.patience));
    s.patience = *o.patience;
  }
  if (o.warmupEpochs && o.warmupSteps)
    return usageError("--warmup-epochs and --warmup-steps: give one of them");
  if (o.warmupEpochs) {
    if (*o.warmupEpochs < 1)
      return usageError(fmt::format("--warmup-epochs {}: expected an epoch count >= 1", *o.warmupEpochs));
    s.warmupSteps = *o.warmupEpochs * std::max<int64_t>(stepsPerEpoch, 1);
  }
  if (o.warmupSteps) {
    if (*o.warmupSteps < 1)
      return usageError(fmt::format("--warmup-steps {}: expected a step count >= 1", *o.warmupSteps));
    s.warmupSteps = *o.warmupSteps;
  }
  if (!(base > 0) || !std::isfinite(base))
    return usageError(fmt::format("--lr {}: a schedule needs a learning rate > 0", base));
  return s;
}

double epochLr(const LrSchedule &s, int64_t epoch) {
  const int64_t last = std::max<int64_t>(epoch - 1, 0); // PyTorch's last_epoch during `epoch`
  switch (s.kind) {
  case LrScheduleKind::Constant:
  case LrScheduleKind::Plateau: return s.base;
  case LrScheduleKind::Step: return s.base * std::pow(s.gamma, double(last / s.stepSize));
  case LrScheduleKind::MultiStep: {
    // bisect_right(milestones, last_epoch)
    auto passed = std::upper_bound(s.milestones.begin(), s.milestones.end(), last) - s.milestones.begin();
    return s.base * std::pow(s.gamma, double(passed));
  }
  case LrScheduleKind::Exponential: return s.base * std::pow(s.gamma, double(last));
  case LrScheduleKind::Cosine:
    return s.minLr + (s.base - s.minLr) * (1 + std::cos(std::numbers::pi * double(last) / double(s.tMax))) / 2;
  }
  return s.base;
}

double warmupFactor(const LrSchedule &s, int64_t step) {
  if (s.warmupSteps <= 0 || step >= s.warmupSteps) return 1.0;
  return double(std::max<int64_t>(step, 0)) / double(s.warmupSteps);
}

PlateauState plateauStart(const LrSchedule &s) {
  return PlateauState{s.base, std::numeric_limits<double>::infinity(), 0};
}

void plateauStep(const LrSchedule &s, PlateauState &state, double monitored) {
  if (monitored < state.best * (1 - s.threshold)) { // NaN compares false: not better
    state.best = monitored;
    state.bad = 0;
  } else {
    ++state.bad;
  }
  if (state.bad > s.patience) {
    const double reduced = std::max(state.lr * s.factor, s.minLr);
    if (state.lr - reduced > 1e-8) state.lr = reduced; // PyTorch's eps
    state.bad = 0;
  }
}

double LrScheduler::lr(int64_t epoch, int64_t step) const {
  const double scheduled = schedule_.kind == LrScheduleKind::Plateau ? plateau_.lr : epochLr(schedule_, epoch);
  return scheduled * warmupFactor(schedule_, step);
}

void LrScheduler::endEpoch(double monitored) {
  if (schedule_.kind == LrScheduleKind::Plateau) plateauStep(schedule_, plateau_, monitored);
}

} // namespace nnc::rt::driver
