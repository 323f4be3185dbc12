// Learning-rate schedules (runtime/src/driver/LrSchedule.h) against PyTorch's formulas,
// worked by hand: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, ReduceLROnPlateau
// (epoch e runs with PyTorch's last_epoch = e - 1), the per-step linear warm-up, and the
// flag checks.
#include "driver/LrSchedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace {

using namespace nnc::rt::driver;

LrSchedule make(const LrScheduleOptions &o, double base = 0.1, int64_t epochs = 10, int64_t steps = 5) {
  auto s = makeLrSchedule(o, base, epochs, steps);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message);
  return s.ok() ? *s : LrSchedule{};
}

std::vector<double> epochs(const LrSchedule &s, int n) {
  std::vector<double> out;
  for (int e = 1; e <= n; ++e) out.push_back(epochLr(s, e));
  return out;
}

void expectNear(const std::vector<double> &got, const std::vector<double> &want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-12) << "epoch " << i + 1;
}

TEST(LrSchedule, NoneKeepsTheBase) {
  LrScheduleOptions o;
  o.warmupSteps = 1; // a schedule object needs some flag; warm-up of one step is a no-op
  expectNear(epochs(make(o), 3), {0.1, 0.1, 0.1});
}

TEST(LrSchedule, StepDecaysEveryStepSizeEpochs) {
  LrScheduleOptions o;
  o.kind = "step";
  o.stepSize = 3;
  o.gamma = 0.5;
  // StepLR(step_size=3, gamma=0.5): base · 0.5^floor(last_epoch / 3)
  expectNear(epochs(make(o), 7), {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025});
  o.gamma.reset(); // PyTorch's default gamma 0.1
  expectNear(epochs(make(o), 4), {0.1, 0.1, 0.1, 0.01});
}

TEST(LrSchedule, MultiStepDecaysAtEachMilestone) {
  LrScheduleOptions o;
  o.kind = "multistep";
  o.milestones = {2, 4};
  // MultiStepLR([2, 4], 0.1): gamma^bisect_right(milestones, last_epoch)
  expectNear(epochs(make(o), 6), {0.1, 0.1, 0.01, 0.01, 0.001, 0.001});
}

TEST(LrSchedule, ExponentialMultipliesEveryEpoch) {
  LrScheduleOptions o;
  o.kind = "exponential";
  o.gamma = 0.9;
  expectNear(epochs(make(o), 4), {0.1, 0.09, 0.081, 0.0729});
}

TEST(LrSchedule, CosineAnnealsToEtaMinAtTMax) {
  LrScheduleOptions o;
  o.kind = "cosine";
  o.tMax = 4;
  o.minLr = 0.01;
  const double quarter = 0.01 + 0.09 * (1 + std::cos(std::numbers::pi / 4)) / 2;
  const double threeQuarters = 0.01 + 0.09 * (1 + std::cos(3 * std::numbers::pi / 4)) / 2;
  // Past T_max the closed form rises again, as PyTorch's does.
  expectNear(epochs(make(o), 6), {0.1, quarter, 0.055, threeQuarters, 0.01, threeQuarters});
  // T_max defaults to --epochs.
  LrScheduleOptions d;
  d.kind = "cosine";
  LrSchedule s = make(d, 0.2, 3);
  EXPECT_EQ(s.tMax, 3);
  expectNear(epochs(s, 4), {0.2, 0.15, 0.05, 0.0});
}

TEST(LrSchedule, PlateauReducesAfterPatienceBadEpochs) {
  LrScheduleOptions o;
  o.kind = "plateau";
  o.patience = 1;
  o.factor = 0.5;
  o.minLr = 0.02;
  LrScheduler s(make(o));
  std::vector<double> lrs;
  // ReduceLROnPlateau(factor=0.5, patience=1, min_lr=0.02): bad epochs 1, 2 -> reduce, reset.
  for (double loss : {1.0, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9}) {
    s.endEpoch(loss);
    lrs.push_back(s.lr(2, 1000));
  }
  expectNear(lrs, {0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02});

  // Relative threshold 1e-4: 0.8999 beats 0.9, 0.89995 does not.
  LrSchedule p = make(o);
  PlateauState st = plateauStart(p);
  plateauStep(p, st, 0.9);
  plateauStep(p, st, 0.89995);
  EXPECT_EQ(st.bad, 1);
  EXPECT_EQ(st.best, 0.9);
  plateauStep(p, st, 0.8999);
  EXPECT_EQ(st.bad, 0);
  EXPECT_EQ(st.best, 0.8999);
  plateauStep(p, st, std::nan("")); // NaN never improves
  EXPECT_EQ(st.bad, 1);

  // Defaults: factor 0.1, patience 10, min 0.
  LrScheduleOptions d;
  d.kind = "plateau";
  LrSchedule q = make(d);
  EXPECT_EQ(q.factor, 0.1);
  EXPECT_EQ(q.patience, 10);
  EXPECT_EQ(q.minLr, 0.0);
}

TEST(LrSchedule, WarmUpRampsLinearlyPerStepAndMultipliesTheSchedule) {
  LrScheduleOptions o;
  o.warmupSteps = 4;
  LrSchedule s = make(o);
  std::vector<double> f;
  for (int step = 1; step <= 6; ++step) f.push_back(warmupFactor(s, step));
  expectNear(f, {0.25, 0.5, 0.75, 1, 1, 1});

  // --warmup-epochs 2 with 5 steps per epoch: 10 steps, on top of a cosine.
  LrScheduleOptions c;
  c.kind = "cosine";
  c.warmupEpochs = 2;
  LrScheduler w(make(c, 0.1, 4, 5));
  EXPECT_EQ(w.schedule().warmupSteps, 10);
  EXPECT_NEAR(w.lr(1, 1), 0.1 * 0.1, 1e-12);
  EXPECT_NEAR(w.lr(1, 5), 0.1 * 0.5, 1e-12);
  const double cos2 = 0.1 * (1 + std::cos(std::numbers::pi / 4)) / 2;
  EXPECT_NEAR(w.lr(2, 7), cos2 * 0.7, 1e-12);
  EXPECT_NEAR(w.lr(2, 10), cos2, 1e-12);
  EXPECT_NEAR(w.lr(3, 11), 0.05, 1e-12);
}

TEST(LrSchedule, BadFlagsAreUsageErrorsNamingTheFlag) {
  struct Case {
    LrScheduleOptions o;
    std::string message;
  };
  auto with = [](auto f) {
    LrScheduleOptions o;
    f(o);
    return o;
  };
  std::vector<Case> cases = {
      {with([](auto &o) { o.kind = "sometimes"; }), "--lr-schedule sometimes"},
      {with([](auto &o) { o.kind = "step"; }), "--lr-schedule step needs --lr-step-size"},
      {with([](auto &o) { o.kind = "step"; o.stepSize = 0; }), "--lr-step-size 0"},
      {with([](auto &o) { o.kind = "multistep"; }), "needs --lr-milestones"},
      {with([](auto &o) { o.kind = "multistep"; o.milestones = {3, 3}; }), "--lr-milestones 3,3"},
      {with([](auto &o) { o.kind = "exponential"; }), "needs --lr-gamma"},
      {with([](auto &o) { o.kind = "exponential"; o.gamma = -1; }), "--lr-gamma -1"},
      {with([](auto &o) { o.kind = "cosine"; o.gamma = 0.5; }), "--lr-gamma 0.5: only --lr-schedule step, multistep or exponential"},
      {with([](auto &o) { o.kind = "cosine"; o.tMax = 0; }), "--lr-t-max 0"},
      {with([](auto &o) { o.kind = "cosine"; o.minLr = 0.5; }), "--lr-min 0.5"},
      {with([](auto &o) { o.kind = "step"; o.stepSize = 2; o.minLr = 0.0; }), "--lr-min 0: only"},
      {with([](auto &o) { o.kind = "plateau"; o.factor = 1; }), "--lr-factor 1"},
      {with([](auto &o) { o.kind = "plateau"; o.patience = -1; }), "--lr-patience -1"},
      {with([](auto &o) { o.patience = 3; }), "--lr-patience 3: only --lr-schedule plateau takes it (the schedule is none)"},
      {with([](auto &o) { o.warmupSteps = 0; }), "--warmup-steps 0"},
      {with([](auto &o) { o.warmupEpochs = 1; o.warmupSteps = 1; }), "--warmup-epochs and --warmup-steps"},
  };
  for (const Case &c : cases) {
    auto s = makeLrSchedule(c.o, 0.1, 10, 5);
    ASSERT_FALSE(s.ok()) << c.message;
    EXPECT_EQ(s.error().code, nnc::rt::ErrorCode::InvalidArgument);
    EXPECT_NE(s.error().message.find(c.message), std::string::npos) << s.error().message;
  }
}

} // namespace
