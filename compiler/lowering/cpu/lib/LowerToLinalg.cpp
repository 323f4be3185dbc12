// nn-lower-to-linalg: every computing nn op becomes tensor-level IR through the
// lowering table (see Passes.td and LoweringSupport.h).
#include "lowering/LoweringSupport.h"
#include "lowering/Passes.h"

#include "nn/NNDialect.h"
#include "nn/RuleSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace nnc {

#define GEN_PASS_DEF_LOWERTOLINALG
#include "lowering/Passes.h.inc"

namespace {

struct LowerToLinalgPass : impl::LowerToLinalgBase<LowerToLinalgPass> {
  using LowerToLinalgBase::LowerToLinalgBase;

  void runOnOperation() override {
    const lowering::LoweringTable &table = lowering::loweringTable();
    // The lowerings read the options while this pass runs (on this thread).
    struct Scope {
      explicit Scope(lowering::LoweringOptions o) { lowering::currentLoweringOptions() = o; }
      ~Scope() { lowering::currentLoweringOptions() = {}; }
    } scope(lowering::LoweringOptions{convAsGemm, convLibrary});
    llvm::SmallVector<mlir::Operation *> ops;
    getOperation().walk([&](mlir::Operation *op) {
      if (llvm::isa<mlir::nn::NNDialect>(op->getDialect()) && op->getParentOfType<mlir::func::FuncOp>()) ops.push_back(op);
    });
    mlir::OpBuilder b(&getContext());
    for (mlir::Operation *op : ops) {
      b.setInsertionPoint(op);
      if (auto constant = llvm::dyn_cast<mlir::nn::ConstantOp>(op)) {
        auto value = b.create<mlir::arith::ConstantOp>(op->getLoc(), llvm::cast<mlir::TypedAttr>(constant.getValue()));
        op->getResult(0).replaceAllUsesWith(value.getResult());
        op->erase();
        continue;
      }
      for (mlir::Type t : op->getResultTypes()) {
        auto ranked = llvm::dyn_cast<mlir::RankedTensorType>(t);
        if (!ranked || !ranked.hasStaticShape()) {
          op->emitError() << mlir::nn::surfaceName(op) << ": the CPU backend needs static shapes";
          return signalPassFailure();
        }
      }
      auto it = table.find(op->getName().getStringRef());
      if (it == table.end()) {
        op->emitError() << mlir::nn::surfaceName(op) << ": the CPU backend cannot lower this op";
        return signalPassFailure();
      }
      auto values = it->second(op, b);
      if (mlir::failed(values)) return signalPassFailure();
      for (auto [old, replacement] : llvm::zip(op->getResults(), *values)) {
        if (replacement.getType() != old.getType()) {
          op->emitError() << "internal error: the lowering of " << op->getName() << " produced "
                          << replacement.getType() << " for " << old.getType();
          return signalPassFailure();
        }
        old.replaceAllUsesWith(replacement);
      }
      op->erase();
    }
  }
};

} // namespace
} // namespace nnc
