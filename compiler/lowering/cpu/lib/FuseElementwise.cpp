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
    bool recompute = recomputeElementwise;
    mlir::linalg::populateElementwiseOpsFusionPatterns(patterns, [recompute](mlir::OpOperand *fused) {
      auto consumer = llvm::dyn_cast<mlir::linalg::LinalgOp>(fused->getOwner());
      if (!consumer) return false;
      mlir::Operation *producer = fused->get().getDefiningOp();
      // On the GPU a value computed again costs less than storing and reading it (a
      // value stored into state is left to fuseStoredProducers: one loop, no recompute).
      auto stored = [&] {
        return llvm::any_of(producer->getUsers(),
                            [](mlir::Operation *u) { return llvm::isa<mlir::bufferization::MaterializeInDestinationOp>(u); });
      };
      if (recompute && producer && consumer.getNumReductionLoops() == 0 && !stored()) return true;
      // As linalg's own fusion pass: only producers with one use (a value used twice
      // would be computed twice).
      return producer && producer->hasOneUse() && !isMatrixProduct(consumer);
    });
    mlir::FrozenRewritePatternSet frozen(std::move(patterns));
    for (int round = 0; round < 4; ++round) {
      if (mlir::failed(mlir::applyPatternsAndFoldGreedily(getOperation(), frozen))) return signalPassFailure();
      if (!fuseStoredProducers()) break;
    }
  }

  // A value stored into state and read by one more elementwise op (an optimizer's new
  // momentum and the parameter update it feeds) has two uses, so the patterns leave it.
  // Fused here, the one loop computes both and yields the stored value too; the store
  // takes it from there. Returns whether anything fused.
  bool fuseStoredProducers() {
    llvm::SmallVector<mlir::OpOperand *> candidates;
    getOperation().walk([&](mlir::linalg::GenericOp consumer) {
      if (consumer.getNumReductionLoops() != 0) return;
      for (mlir::OpOperand *input : consumer.getDpsInputOperands()) {
        auto producer = input->get().getDefiningOp<mlir::linalg::GenericOp>();
        if (!producer || producer.getNumReductionLoops() != 0 || producer->getNumResults() != 1) continue;
        int consumerUses = 0;
        bool onlyStores = true;
        for (mlir::OpOperand &use : producer->getResult(0).getUses()) {
          if (use.getOwner() == consumer.getOperation()) ++consumerUses;
          else if (!llvm::isa<mlir::bufferization::MaterializeInDestinationOp>(use.getOwner())) onlyStores = false;
        }
        if (consumerUses == 1 && onlyStores && !producer->hasOneUse() && mlir::linalg::areElementwiseOpsFusable(input)) {
          candidates.push_back(input);
          return; // one fusion per consumer per round: the operand list changes
        }
      }
    });
    mlir::IRRewriter rewriter(&getContext());
    for (mlir::OpOperand *input : candidates) {
      mlir::Operation *consumer = input->getOwner(), *producer = input->get().getDefiningOp();
      rewriter.setInsertionPoint(consumer);
      auto fused = mlir::linalg::fuseElementwiseOps(rewriter, input);
      if (mlir::failed(fused)) continue;
      for (auto [original, replacement] : fused->replacements) rewriter.replaceAllUsesWith(original, replacement);
      rewriter.eraseOp(consumer);
      if (producer->use_empty()) rewriter.eraseOp(producer);
    }
    return !candidates.empty();
  }
};

} // namespace
} // namespace nnc
