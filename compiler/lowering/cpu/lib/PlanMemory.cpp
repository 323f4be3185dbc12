// nn-plan-memory: intermediates as views of one arena argument (see Passes.td).
#include "lowering/MemoryPlan.h"
#include "lowering/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace nnc {

#define GEN_PASS_DEF_PLANMEMORY
#include "lowering/Passes.h.inc"

namespace {

struct PlanMemoryPass : impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    for (auto f : llvm::to_vector(getOperation().getOps<mlir::func::FuncOp>())) {
      if (f.isExternal() || f.isPrivate()) continue;
      FunctionMemoryPlan plan = planFunctionMemory(f);
      if (plan.buffers.empty()) continue;
      mlir::MLIRContext *ctx = &getContext();
      auto arenaType = mlir::MemRefType::get({plan.arenaBytes}, mlir::IntegerType::get(ctx, 8));
      unsigned index = f.getNumArguments();
      mlir::NamedAttribute marker(mlir::StringAttr::get(ctx, "nn.workspace"), mlir::UnitAttr::get(ctx));
      f.insertArgument(index, arenaType, mlir::DictionaryAttr::get(ctx, {marker}), f.getLoc());
      f->setAttr("nn.workspace_bytes", mlir::IntegerAttr::get(mlir::IntegerType::get(ctx, 64), plan.arenaBytes));
      mlir::Value arena = f.getArgument(index);
      mlir::OpBuilder b(ctx);
      for (PlannedAllocation &p : plan.buffers) {
        b.setInsertionPoint(p.alloc);
        mlir::Value offset = b.create<mlir::arith::ConstantIndexOp>(p.alloc.getLoc(), p.offset);
        mlir::Value view = b.create<mlir::memref::ViewOp>(p.alloc.getLoc(), p.alloc.getType(), arena, offset,
                                                          mlir::ValueRange{});
        if (p.dealloc) p.dealloc.erase();
        // Addresses taken for kernel calls (nn-gemm-to-call) become the arena's plus the
        // offset: MLIR folds the aligned pointer of any view to its source's, dropping
        // a memref.view's byte shift.
        // The same holds for the buffer's aliases (reshapes, subviews): their aligned
        // pointer is the buffer's.
        llvm::SmallVector<mlir::Value> aliases = {p.alloc.getResult()};
        while (!aliases.empty()) {
          mlir::Value alias = aliases.pop_back_val();
          for (mlir::Operation *user : llvm::to_vector(alias.getUsers())) {
            if (auto address = llvm::dyn_cast<mlir::memref::ExtractAlignedPointerAsIndexOp>(user)) {
              b.setInsertionPoint(address);
              mlir::Value base = b.create<mlir::memref::ExtractAlignedPointerAsIndexOp>(address.getLoc(), arena);
              address.replaceAllUsesWith(b.create<mlir::arith::AddIOp>(address.getLoc(), base, offset).getResult());
              address.erase();
            } else if (llvm::isa<mlir::ViewLikeOpInterface>(user)) {
              aliases.append(user->result_begin(), user->result_end());
            }
          }
        }
        p.alloc.replaceAllUsesWith(view);
        p.alloc.erase();
      }
    }
  }
};

} // namespace
} // namespace nnc
