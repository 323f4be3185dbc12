// nn-unshare-fills: one linalg.fill per accumulator (see CudaPasses.td).
#include "lowering/CudaPasses.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace nnc {

#define GEN_PASS_DEF_UNSHAREFILLS
#include "lowering/CudaPasses.h.inc"

namespace {

struct UnshareFillsPass : impl::UnshareFillsBase<UnshareFillsPass> {
  void runOnOperation() override {
    llvm::SmallVector<mlir::linalg::FillOp> fills;
    getOperation().walk([&](mlir::linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics()) fills.push_back(fill);
    });
    for (mlir::linalg::FillOp fill : fills) {
      llvm::SmallVector<mlir::OpOperand *> inits;
      for (mlir::OpOperand &use : fill->getResult(0).getUses()) {
        auto dps = llvm::dyn_cast<mlir::DestinationStyleOpInterface>(use.getOwner());
        if (dps && dps.isDpsInit(&use)) inits.push_back(&use);
      }
      // Every accumulator gets its own fill, made just before it (with its own
      // tensor.empty when the fill has one), where loop fusion can merge the two.
      if (inits.size() == 1 && fill->getNextNode() == inits.front()->getOwner()) continue;
      for (mlir::OpOperand *use : inits) {
        mlir::OpBuilder b(use->getOwner());
        mlir::IRMapping mapping;
        mlir::Value dest = fill.getOutputs()[0];
        if (auto empty = dest.getDefiningOp<mlir::tensor::EmptyOp>()) mapping.map(dest, b.clone(*empty)->getResult(0));
        use->set(b.clone(*fill, mapping)->getResult(0));
      }
      if (!fill->use_empty()) continue;
      mlir::Operation *dest = fill.getOutputs()[0].getDefiningOp();
      fill->erase();
      if (dest && llvm::isa<mlir::tensor::EmptyOp>(dest) && dest->use_empty()) dest->erase();
    }
  }
};

} // namespace
} // namespace nnc
