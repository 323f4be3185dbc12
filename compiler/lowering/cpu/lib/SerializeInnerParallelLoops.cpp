// nn-serialize-inner-parallel-loops: one level of thread parallelism per loop nest (see
// Passes.td).
#include "lowering/Passes.h"

#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"

namespace nnc {

#define GEN_PASS_DEF_SERIALIZEINNERPARALLELLOOPS
#include "lowering/Passes.h.inc"

namespace {

int64_t tripCount(mlir::Value lb, mlir::Value ub, mlir::Value step) {
  auto l = mlir::getConstantIntValue(lb), u = mlir::getConstantIntValue(ub), s = mlir::getConstantIntValue(step);
  if (!l || !u || !s || *s <= 0) return 1;
  return std::max<int64_t>(0, (*u - *l + *s - 1) / *s);
}

// Innermost iterations of the deepest loop chain below and including `op`.
int64_t work(mlir::Operation *op) {
  int64_t own = 1;
  if (auto p = llvm::dyn_cast<mlir::scf::ParallelOp>(op))
    for (auto [l, u, s] : llvm::zip(p.getLowerBound(), p.getUpperBound(), p.getStep())) own *= tripCount(l, u, s);
  else if (auto f = llvm::dyn_cast<mlir::scf::ForOp>(op))
    own = tripCount(f.getLowerBound(), f.getUpperBound(), f.getStep());
  int64_t inner = 1;
  for (mlir::Region &r : op->getRegions())
    for (mlir::Operation &child : r.getOps())
      child.walk<mlir::WalkOrder::PreOrder>([&](mlir::Operation *nested) {
        if (!llvm::isa<mlir::scf::ParallelOp, mlir::scf::ForOp>(nested)) return mlir::WalkResult::advance();
        inner = std::max(inner, work(nested));
        return mlir::WalkResult::skip();
      });
  return own * inner;
}

// Replaces a reduction-free scf.parallel by the equivalent scf.for nest.
void serialize(mlir::scf::ParallelOp p) {
  mlir::OpBuilder b(p);
  mlir::scf::buildLoopNest(b, p.getLoc(), p.getLowerBound(), p.getUpperBound(), p.getStep(),
                           [&](mlir::OpBuilder &nb, mlir::Location, mlir::ValueRange ivs) {
                             mlir::IRMapping map;
                             map.map(p.getInductionVars(), ivs);
                             for (mlir::Operation &op : p.getBody()->without_terminator()) nb.clone(op, map);
                           });
  p.erase();
}

struct SerializeInnerParallelLoopsPass : impl::SerializeInnerParallelLoopsBase<SerializeInnerParallelLoopsPass> {
  using impl::SerializeInnerParallelLoopsBase<SerializeInnerParallelLoopsPass>::SerializeInnerParallelLoopsBase;
  void runOnOperation() override {
    llvm::SmallVector<mlir::scf::ParallelOp> loops; // post-order: inner loops first
    getOperation().walk([&](mlir::scf::ParallelOp p) { loops.push_back(p); });
    for (mlir::scf::ParallelOp p : loops) {
      if (!p.getInitVals().empty()) continue; // reductions stay as they are
      bool nested = p->getParentOfType<mlir::scf::ParallelOp>() != nullptr;
      if (nested || work(p) < minWork) serialize(p);
    }
  }
};

} // namespace
} // namespace nnc
