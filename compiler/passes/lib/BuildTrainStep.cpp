// nn-build-train-step: the training entry points (see autodiff/TrainStep.h).
#include "passes/Passes.h"

#include "autodiff/TrainStep.h"

namespace nnc {

#define GEN_PASS_DEF_BUILDTRAINSTEP
#include "passes/Passes.h.inc"

namespace {

struct BuildTrainStepPass : impl::BuildTrainStepBase<BuildTrainStepPass> {
  using BuildTrainStepBase::BuildTrainStepBase;
  void runOnOperation() override {
    TrainStepOptions options;
    options.gradWrt.assign(gradWrt.begin(), gradWrt.end());
    if (mlir::failed(buildTrainingFunctions(getOperation(), options))) signalPassFailure();
  }
};

} // namespace
} // namespace nnc
