// Learning-rate schedules of `train`: the value of the run-time hyperparameter "lr" for
// every train step, with PyTorch's epoch-based semantics (scheduler.step() after each
// epoch; epoch e counts from 1, PyTorch's last_epoch = e - 1), times an optional linear
// warm-up per step. The compiled step reads lr at run time, so nothing is recompiled.
//
//   step         base · gamma^floor((e - 1) / step_size)                   (StepLR)
//   multistep    base · gamma^(milestones m with m <= e - 1)              (MultiStepLR)
//   exponential  base · gamma^(e - 1)                                      (ExponentialLR)
//   cosine       eta_min + (base - eta_min) (1 + cos(pi (e - 1) / T_max)) / 2
//                (CosineAnnealingLR's closed form: past T_max it rises again, as PyTorch's)
//   plateau      ReduceLROnPlateau(mode min, threshold 1e-4 relative, cooldown 0): after
//                an epoch whose monitored loss is not below best · (1 - 1e-4) for more
//                than `patience` epochs in a row, lr = max(lr · factor, min_lr)
//   warm-up      lr · min(1, s / S) at global train step s (1, 2, ...), over S steps
//                (--warmup-steps S, or --warmup-epochs W: S = W · steps per epoch); it
//                multiplies whichever schedule runs, which counts epochs from 1 throughout.
//
// Everything here is a pure function of the flags, the epoch, the step and (plateau) the
// monitored losses so far, so a resumed run rebuilds its state by replaying the losses.
#pragma once

#include "data/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnc::rt::driver {

// The flags as given (Main.cpp); makeLrSchedule checks them and fills in defaults.
struct LrScheduleOptions {
  std::string kind = "none";            // --lr-schedule none|step|multistep|exponential|cosine|plateau
  std::optional<int64_t> stepSize;      // --lr-step-size (step)
  std::vector<int64_t> milestones;      // --lr-milestones E1,E2,... (multistep)
  std::optional<double> gamma;          // --lr-gamma (step, multistep: 0.1; exponential: required)
  std::optional<int64_t> tMax;          // --lr-t-max (cosine; default --epochs)
  std::optional<double> minLr;          // --lr-min (cosine eta_min, plateau min_lr; 0)
  std::optional<double> factor;         // --lr-factor (plateau; 0.1)
  std::optional<int64_t> patience;      // --lr-patience (plateau; 10)
  std::optional<int64_t> warmupEpochs;  // --warmup-epochs
  std::optional<int64_t> warmupSteps;   // --warmup-steps

  bool any() const { return kind != "none" || warmupEpochs || warmupSteps; }
};

enum class LrScheduleKind { Constant, Step, MultiStep, Exponential, Cosine, Plateau };

struct LrSchedule {
  LrScheduleKind kind = LrScheduleKind::Constant;
  double base = 0; // --lr or the model's default
  int64_t stepSize = 1;
  std::vector<int64_t> milestones; // increasing
  double gamma = 0.1;
  int64_t tMax = 1;
  double minLr = 0;
  double factor = 0.1;
  int64_t patience = 10;
  double threshold = 1e-4; // plateau: relative improvement that counts
  int64_t warmupSteps = 0; // 0: none
};

// The schedule of `options` around `base`; a usage error naming the flag for a bad value or
// a flag that the chosen schedule does not take.
Expected<LrSchedule> makeLrSchedule(const LrScheduleOptions &options, double base, int64_t epochs,
                                    int64_t stepsPerEpoch);

// The lr of epoch `epoch` (1-based) of an epoch-indexed schedule (for plateau: base).
double epochLr(const LrSchedule &schedule, int64_t epoch);
// The warm-up factor of global train step `step` (1-based): min(1, step / warmupSteps).
double warmupFactor(const LrSchedule &schedule, int64_t step);

// ReduceLROnPlateau's state: the current lr, the best monitored value, bad epochs in a row.
struct PlateauState {
  double lr = 0;
  double best = 0;
  int64_t bad = 0;
};
PlateauState plateauStart(const LrSchedule &schedule);
// One epoch's monitored loss (NaN counts as no improvement).
void plateauStep(const LrSchedule &schedule, PlateauState &state, double monitored);

// A schedule with its plateau state: the lr of each step; endEpoch after each epoch.
class LrScheduler {
public:
  explicit LrScheduler(LrSchedule schedule) : schedule_(std::move(schedule)), plateau_(plateauStart(schedule_)) {}
  // The lr of global step `step` in epoch `epoch`.
  double lr(int64_t epoch, int64_t step) const;
  // Feeds the epoch's monitored loss (used by plateau only).
  void endEpoch(double monitored);
  const LrSchedule &schedule() const { return schedule_; }

private:
  LrSchedule schedule_;
  PlateauState plateau_;
};

} // namespace nnc::rt::driver
