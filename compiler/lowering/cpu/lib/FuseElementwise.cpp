// nn-fuse-elementwise: linalg's elementwise fusion, not into matrix products (see
// Passes.td).
#include "lowering/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace nnc {

#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "lowering/Passes.h.inc"

namespace {

// Matrix products (nn-gemm-to-call's candidates): a multiply-add body over projected
// permutation maps. Convolutions (maps like oh + kh) still take their producers in.
bool isMatrixProduct(mlir::linalg::LinalgOp op) { return mlir::linalg::isaContractionOpInterface(op); }

struct FuseElementwisePass : impl::FuseElementwiseBase<FuseElementwisePass> {
  using FuseElementwiseBase::FuseElementwiseBase;

  void runOnOperation() override {
    mlir::RewritePatternSet patterns(&getContext());
    bool pure = keepReductionsPure;
    mlir::linalg::populateElementwiseOpsFusionPatterns(patterns, [pure](mlir::OpOperand *fused) {
      auto consumer = llvm::dyn_cast<mlir::linalg::LinalgOp>(fused->getOwner());
      if (!consumer) return false;
      if (pure) return consumer.getNumReductionLoops() == 0;
      // On the CPU, as linalg's own fusion pass: only producers with one use (a value
      // used twice would be computed twice).
      mlir::Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse() && !isMatrixProduct(consumer);
    });
    if (mlir::failed(mlir::applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace nnc
