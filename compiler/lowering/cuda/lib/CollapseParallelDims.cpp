// nn-collapse-parallel-dims: neighbouring parallel loops merged where every operand
// indexes them as neighbouring axes (see CudaPasses.td).
#include "lowering/CudaPasses.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace nnc {

#define GEN_PASS_DEF_COLLAPSEPARALLELDIMS
#include "lowering/CudaPasses.h.inc"

namespace {

struct CollapseParallelDimsPass : impl::CollapseParallelDimsBase<CollapseParallelDimsPass> {
  void runOnOperation() override {
    mlir::IRRewriter rewriter(&getContext());
    llvm::SmallVector<mlir::linalg::GenericOp> ops;
    getOperation().walk([&](mlir::linalg::GenericOp op) {
      // (collapseOpIterationDims handles projected permutations only. Updates stored
      // into state stay as they are: nn-update-state-in-place looks for them.)
      bool stored = llvm::any_of(op->getUsers(), [](mlir::Operation *u) {
        return llvm::isa<mlir::bufferization::MaterializeInDestinationOp>(u);
      });
      if (op.hasPureTensorSemantics() && !stored &&
          llvm::all_of(op.getIndexingMapsArray(), [](mlir::AffineMap m) { return m.isProjectedPermutation(); }))
        ops.push_back(op);
    });
    for (mlir::linalg::GenericOp op : ops) {
      // The longest runs of mergeable parallel loops, all merged at once.
      auto iterators = op.getIteratorTypesArray();
      auto maps = op.getIndexingMapsArray();
      llvm::SmallVector<mlir::ReassociationIndices> groups;
      for (unsigned d = 0; d < iterators.size(); ++d) {
        if (!groups.empty() && groups.back().size() >= 1 && groups.back().back() == int64_t(d) - 1 &&
            iterators[d] == mlir::utils::IteratorType::parallel &&
            iterators[d - 1] == mlir::utils::IteratorType::parallel) {
          mlir::ReassociationIndices extended = groups.back();
          extended.push_back(d);
          if (mlir::linalg::areDimSequencesPreserved(maps, {extended})) {
            groups.back() = extended;
            continue;
          }
        }
        groups.push_back({int64_t(d)});
      }
      llvm::SmallVector<mlir::ReassociationIndices> merged;
      for (auto &g : groups)
        if (g.size() > 1) merged.push_back(g);
      if (merged.empty()) continue;
      rewriter.setInsertionPoint(op);
      auto collapsed = mlir::linalg::collapseOpIterationDims(llvm::cast<mlir::linalg::LinalgOp>(op.getOperation()),
                                                             merged, rewriter);
      if (mlir::failed(collapsed)) continue;
      rewriter.replaceOp(op, collapsed->results);
    }
  }
};

} // namespace
} // namespace nnc
