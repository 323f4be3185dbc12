// nn-fuse-elementwise: linalg's elementwise fusion, not into products (see Passes.td).
#include "lowering/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace nnc {

#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "lowering/Passes.h.inc"

namespace {

// A body that multiplies two values and adds the product to the accumulator (or
// subtracts nothing else): matrix products and convolutions.
bool isProduct(mlir::linalg::LinalgOp op) {
  if (op.getNumReductionLoops() == 0) return false;
  bool mul = false, add = false;
  for (mlir::Operation &o : op.getBlock()->without_terminator()) {
    if (llvm::isa<mlir::arith::MulFOp>(o)) mul = true;
    else if (llvm::isa<mlir::arith::AddFOp>(o)) add = true;
    else return false;
  }
  return mul && add;
}

struct FuseElementwisePass : impl::FuseElementwiseBase<FuseElementwisePass> {
  using FuseElementwiseBase::FuseElementwiseBase;

  void runOnOperation() override {
    mlir::RewritePatternSet patterns(&getContext());
    bool pure = keepReductionsPure;
    mlir::linalg::populateElementwiseOpsFusionPatterns(patterns, [pure](mlir::OpOperand *fused) {
      auto consumer = llvm::dyn_cast<mlir::linalg::LinalgOp>(fused->getOwner());
      if (!consumer) return false;
      return pure ? consumer.getNumReductionLoops() == 0 : !isProduct(consumer);
    });
    if (mlir::failed(mlir::applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace nnc
