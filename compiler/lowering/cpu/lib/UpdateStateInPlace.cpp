// nn-update-state-in-place: new state values computed into the state buffers (see
// Passes.td).
#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace nnc {

#define GEN_PASS_DEF_UPDATESTATEINPLACE
#include "lowering/Passes.h.inc"

namespace {

// The init operand of the all-parallel generic that computes `v`, if its body never
// reads it (the element is computed from the inputs alone).
mlir::OpOperand *overwrittenInit(mlir::Value v) {
  auto generic = v.getDefiningOp<mlir::linalg::GenericOp>();
  if (!generic || generic.getNumReductionLoops() != 0) return nullptr;
  mlir::OpOperand *init = generic.getDpsInitOperand(llvm::cast<mlir::OpResult>(v).getResultNumber());
  if (generic.payloadUsesValueFromOperand(init)) return nullptr;
  if (generic.getMatchingIndexingMap(init) != generic.getIndexingMapsArray().back() &&
      !generic.getMatchingIndexingMap(init).isIdentity())
    return nullptr;
  return init;
}

struct UpdateStateInPlacePass : impl::UpdateStateInPlaceBase<UpdateStateInPlacePass> {
  void runOnOperation() override {
    for (auto f : getOperation().getOps<mlir::func::FuncOp>()) {
      if (f.isExternal()) continue;
      // The tensor view of each state buffer (nn-externalize-state reads state this way).
      llvm::DenseMap<mlir::Value, mlir::bufferization::ToTensorOp> viewOf;
      f.walk([&](mlir::bufferization::ToTensorOp t) {
        if (llvm::isa<mlir::BlockArgument>(t.getMemref())) viewOf[t.getMemref()] = t;
      });
      f.walk([&](mlir::bufferization::MaterializeInDestinationOp m) {
        auto dest = llvm::dyn_cast<mlir::BlockArgument>(m.getDest());
        if (!dest || !f.getArgAttr(dest.getArgNumber(), "nn.state")) return;
        mlir::OpOperand *init = overwrittenInit(m.getSource());
        if (!init || init->get().getType() != m.getSource().getType()) return;
        auto view = viewOf.lookup(dest);
        if (!view) {
          mlir::OpBuilder b(&f.getBody().front(), f.getBody().front().begin());
          view = b.create<mlir::bufferization::ToTensorOp>(m.getLoc(), dest, /*restrict=*/true, /*writable=*/true);
          viewOf[dest] = view;
        }
        // Bufferization writes in place where nothing reads the old state afterwards,
        // and copies otherwise.
        view.setWritable(true);
        init->set(view.getResult());
      });
    }
  }
};

} // namespace
} // namespace nnc
