// nn-choose-loop-order: the most contiguous loop of each linalg.generic goes innermost
// (see Passes.td).
#include "lowering/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace nnc {

#define GEN_PASS_DEF_CHOOSELOOPORDER
#include "lowering/Passes.h.inc"

namespace {

// How well loop `d` walks memory if it is innermost: operands whose last index moves
// with it by a unit step gain, operands it strides through lose.
double contiguity(mlir::linalg::GenericOp op, unsigned d) {
  double score = 0;
  for (mlir::OpOperand &operand : op->getOpOperands()) {
    mlir::AffineMap map = op.getMatchingIndexingMap(&operand);
    if (map.getNumResults() == 0) continue;
    double weight = op.isDpsInit(&operand) ? 2 : 1;
    for (unsigned r = 0; r < map.getNumResults(); ++r) {
      mlir::AffineExpr e = map.getResult(r);
      if (!e.isFunctionOfDim(d)) continue;
      bool last = r + 1 == map.getNumResults();
      bool unit = e == mlir::getAffineDimExpr(d, op.getContext()) ||
                  (e.getKind() == mlir::AffineExprKind::Add &&
                   (llvm::cast<mlir::AffineBinaryOpExpr>(e).getLHS() == mlir::getAffineDimExpr(d, op.getContext()) ||
                    llvm::cast<mlir::AffineBinaryOpExpr>(e).getRHS() == mlir::getAffineDimExpr(d, op.getContext())));
      score += last && unit ? weight : -weight;
    }
  }
  return score;
}

void markFastMath(mlir::linalg::GenericOp op) {
  auto flags = mlir::arith::FastMathFlagsAttr::get(
      op.getContext(), mlir::arith::FastMathFlags::reassoc | mlir::arith::FastMathFlags::contract);
  op.getRegion().walk([&](mlir::Operation *inner) {
    if (llvm::isa<mlir::arith::AddFOp, mlir::arith::MulFOp, mlir::arith::SubFOp>(inner))
      inner->setAttr("fastmath", flags);
  });
}

struct ChooseLoopOrderPass : impl::ChooseLoopOrderBase<ChooseLoopOrderPass> {
  void runOnOperation() override {
    llvm::SmallVector<mlir::linalg::GenericOp> ops;
    getOperation().walk([&](mlir::linalg::GenericOp op) { ops.push_back(op); });
    mlir::IRRewriter rewriter(&getContext());
    for (mlir::linalg::GenericOp op : ops) {
      unsigned loops = op.getNumLoops();
      if (loops < 2) continue;
      llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      auto iterators = op.getIteratorTypesArray();
      unsigned best = loops - 1;
      auto key = [&](unsigned d) {
        bool parallel = iterators[d] == mlir::utils::IteratorType::parallel;
        return std::make_tuple(contiguity(op, d), ranges[d] > 1, parallel, ranges[d]);
      };
      for (unsigned d = 0; d < loops; ++d)
        if (key(d) > key(best)) best = d;
      if (best != loops - 1) {
        llvm::SmallVector<unsigned> order;
        for (unsigned d = 0; d < loops; ++d)
          if (d != best) order.push_back(d);
        order.push_back(best);
        rewriter.setInsertionPoint(op);
        auto swapped = mlir::linalg::interchangeGenericOp(rewriter, op, order);
        if (mlir::failed(swapped)) continue;
        op = *swapped;
      }
      if (op.getIteratorTypesArray().back() == mlir::utils::IteratorType::reduction) markFastMath(op);
    }
  }
};

} // namespace
} // namespace nnc
