// nn-fuse-elementwise-gpu: linalg's elementwise fusion, not into reductions (see
// CudaPasses.td).
#include "lowering/CudaPasses.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace nnc {

#define GEN_PASS_DEF_FUSEELEMENTWISEGPU
#include "lowering/CudaPasses.h.inc"

namespace {

struct FuseElementwiseGpuPass : impl::FuseElementwiseGpuBase<FuseElementwiseGpuPass> {
  void runOnOperation() override {
    mlir::RewritePatternSet patterns(&getContext());
    mlir::linalg::populateElementwiseOpsFusionPatterns(patterns, [](mlir::OpOperand *fused) {
      auto consumer = llvm::dyn_cast<mlir::linalg::LinalgOp>(fused->getOwner());
      return consumer && consumer.getNumReductionLoops() == 0;
    });
    if (mlir::failed(mlir::applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace nnc
