// nn-serialize-inner-parallel-loops: one level of thread parallelism per loop nest (see
// Passes.td).
#include "lowering/Passes.h"

#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/IRMapping.h"

namespace nnc {

#define GEN_PASS_DEF_SERIALIZEINNERPARALLELLOOPS
#include "lowering/Passes.h.inc"

namespace {

// Iterations the threads share out: enough for balance, few enough that the collapsed
// index arithmetic stays outside the inner loops.
constexpr int64_t kParallelChunks = 64;

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

// Keeps the leading dimensions of a multi-dimensional scf.parallel until they give
// `chunks` iterations to share out and runs the others as an scf.for nest inside:
// OpenMP collapses all dimensions of a parallel loop into one and recovers each index
// with a division per iteration, which keeps the innermost loop from vectorizing.
void keepLeadingDimensions(mlir::scf::ParallelOp p, int64_t chunks) {
  unsigned rank = p.getNumLoops(), keep = 0;
  int64_t iterations = 1;
  while (keep < rank && iterations < chunks)
    iterations *= tripCount(p.getLowerBound()[keep], p.getUpperBound()[keep], p.getStep()[keep]), ++keep;
  if (keep == rank) return;
  mlir::OpBuilder b(p);
  auto outer = b.create<mlir::scf::ParallelOp>(
      p.getLoc(), p.getLowerBound().take_front(keep), p.getUpperBound().take_front(keep), p.getStep().take_front(keep),
      [&](mlir::OpBuilder &ob, mlir::Location loc, mlir::ValueRange outerIvs) {
        mlir::scf::buildLoopNest(ob, loc, p.getLowerBound().drop_front(keep), p.getUpperBound().drop_front(keep),
                                 p.getStep().drop_front(keep),
                                 [&](mlir::OpBuilder &nb, mlir::Location, mlir::ValueRange innerIvs) {
                                   mlir::IRMapping map;
                                   map.map(mlir::ValueRange(p.getInductionVars()).take_front(keep), outerIvs);
                                   map.map(mlir::ValueRange(p.getInductionVars()).drop_front(keep), innerIvs);
                                   for (mlir::Operation &op : p.getBody()->without_terminator()) nb.clone(op, map);
                                 });
        ob.create<mlir::scf::ReduceOp>(loc);
      });
  (void)outer;
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
      else keepLeadingDimensions(p, kParallelChunks);
    }
  }
};

} // namespace
} // namespace nnc
