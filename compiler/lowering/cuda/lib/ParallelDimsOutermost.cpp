// nn-parallel-dims-outermost: parallel loops of every linalg.generic first (see
// CudaPasses.td).
#include "lowering/CudaPasses.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace nnc {

#define GEN_PASS_DEF_PARALLELDIMSOUTERMOST
#include "lowering/CudaPasses.h.inc"

namespace {

struct ParallelDimsOutermostPass : impl::ParallelDimsOutermostBase<ParallelDimsOutermostPass> {
  void runOnOperation() override {
    mlir::IRRewriter rewriter(&getContext());
    llvm::SmallVector<mlir::linalg::GenericOp> ops;
    getOperation().walk([&](mlir::linalg::GenericOp op) { ops.push_back(op); });
    for (mlir::linalg::GenericOp op : ops) {
      llvm::SmallVector<unsigned> order;
      auto iterators = op.getIteratorTypesArray();
      for (unsigned i = 0; i < iterators.size(); ++i)
        if (iterators[i] == mlir::utils::IteratorType::parallel) order.push_back(i);
      for (unsigned i = 0; i < iterators.size(); ++i)
        if (iterators[i] != mlir::utils::IteratorType::parallel) order.push_back(i);
      if (llvm::equal(order, llvm::seq<unsigned>(0, order.size()))) continue;
      rewriter.setInsertionPoint(op);
      if (mlir::failed(mlir::linalg::interchangeGenericOp(rewriter, op, order))) {
        op.emitError("cannot interchange the loops of this op");
        return signalPassFailure();
      }
    }
  }
};

} // namespace
} // namespace nnc
