// nn-approximate-math: f32 tanh and erf as polynomials that vectorize (see Passes.td).
#include "lowering/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace nnc {

#define GEN_PASS_DEF_APPROXIMATEMATH
#include "lowering/Passes.h.inc"

namespace {

struct ApproximateMathPass : impl::ApproximateMathBase<ApproximateMathPass> {
  void runOnOperation() override {
    mlir::RewritePatternSet patterns(&getContext());
    mlir::populatePolynomialApproximateTanhPattern(patterns);
    mlir::populatePolynomialApproximateErfPattern(patterns);
    if (mlir::failed(mlir::applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace nnc
