// nn-map-loops-to-gpu: host memory code into one-thread kernels, every top-level
// scf.parallel collapsed to one dimension and tiled into blocks of threads (see
// CudaPasses.td).
#include "lowering/CudaPasses.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <numeric>

namespace nnc {

#define GEN_PASS_DEF_MAPLOOPSTOGPU
#include "lowering/CudaPasses.h.inc"

namespace {

// Does `op` (outside any scf.parallel) read or write memref elements? Allocation,
// deallocation, views and pointer queries only handle descriptors and stay on the host.
bool touchesMemory(mlir::Operation *op) {
  if (llvm::isa<mlir::scf::ParallelOp>(op)) return false;
  bool touches = false;
  op->walk([&](mlir::Operation *inner) {
    if (llvm::isa<mlir::memref::LoadOp, mlir::memref::StoreOp, mlir::memref::CopyOp>(inner)) touches = true;
  });
  return touches;
}

// Scalar arithmetic that may move into a kernel next to the memory code it feeds.
bool isScalarArithmetic(mlir::Operation *op) {
  if (op->getNumRegions() != 0 || !mlir::isMemoryEffectFree(op)) return false;
  return llvm::none_of(op->getResultTypes(), [](mlir::Type t) { return llvm::isa<mlir::MemRefType>(t); });
}

int64_t tripCount(mlir::scf::ParallelOp loop) {
  int64_t count = 1;
  for (auto [l, u, s] : llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    auto lb = mlir::getConstantIntValue(l), ub = mlir::getConstantIntValue(u), st = mlir::getConstantIntValue(s);
    if (!lb || !ub || !st || *st <= 0) return -1;
    count *= std::max<int64_t>(0, (*ub - *lb + *st - 1) / *st);
  }
  return count;
}

struct MapLoopsToGpuPass : impl::MapLoopsToGpuBase<MapLoopsToGpuPass> {
  using MapLoopsToGpuBase::MapLoopsToGpuBase;

  // Moves `group` (consecutive ops of one block) into `scf.parallel (%i) = (0) to (1)`.
  mlir::LogicalResult wrapInKernel(llvm::ArrayRef<mlir::Operation *> group) {
    llvm::SmallPtrSet<mlir::Operation *, 16> members(group.begin(), group.end());
    for (mlir::Operation *op : group)
      for (mlir::Value v : op->getResults())
        for (mlir::Operation *user : v.getUsers()) {
          mlir::Operation *top = user;
          while (top->getBlock() != group.front()->getBlock()) top = top->getParentOp();
          if (!members.contains(top))
            return op->emitError("host code of the CUDA backend: a value computed from device memory is used "
                                 "outside its kernel");
        }
    mlir::OpBuilder b(group.front());
    mlir::Location loc = group.front()->getLoc();
    mlir::Value zero = b.create<mlir::arith::ConstantIndexOp>(loc, 0);
    mlir::Value one = b.create<mlir::arith::ConstantIndexOp>(loc, 1);
    auto loop = b.create<mlir::scf::ParallelOp>(loc, mlir::ValueRange{zero}, mlir::ValueRange{one}, mlir::ValueRange{one});
    mlir::Operation *terminator = loop.getBody()->getTerminator();
    for (mlir::Operation *op : group) op->moveBefore(terminator);
    return mlir::success();
  }

  mlir::LogicalResult wrapHostMemoryCode(mlir::Block &block) {
    llvm::SmallVector<llvm::SmallVector<mlir::Operation *>> groups;
    llvm::SmallVector<mlir::Operation *> current;
    auto close = [&] {
      while (!current.empty() && !touchesMemory(current.back())) current.pop_back();
      if (!current.empty()) groups.push_back(current);
      current.clear();
    };
    for (mlir::Operation &op : block) {
      if (touchesMemory(&op)) current.push_back(&op);
      else if (!current.empty() && isScalarArithmetic(&op) && !llvm::isa<mlir::arith::ConstantOp>(op)) current.push_back(&op);
      else close();
    }
    close();
    for (auto &group : groups)
      if (mlir::failed(wrapInKernel(group))) return mlir::failure();
    return mlir::success();
  }

  // Constant tensors are memref.globals: host memory. Each kernel that reads one gets
  // its own memref.get_global, which outlining turns into a device global.
  void sinkGlobalsIntoKernels(mlir::Block &body) {
    for (auto get : llvm::to_vector(body.getOps<mlir::memref::GetGlobalOp>())) {
      llvm::SmallVector<mlir::OpOperand *> uses;
      for (mlir::OpOperand &use : get->getUses()) uses.push_back(&use);
      for (mlir::OpOperand *use : uses) {
        mlir::Operation *top = use->getOwner();
        while (top->getBlock() != &body) top = top->getParentOp();
        auto loop = llvm::dyn_cast<mlir::scf::ParallelOp>(top);
        if (!loop) continue;
        mlir::OpBuilder b = mlir::OpBuilder::atBlockBegin(loop.getBody());
        use->set(b.clone(*get)->getResult(0));
      }
      if (get->use_empty()) get->erase();
    }
  }

  void runOnOperation() override {
    mlir::IRRewriter rewriter(&getContext());
    for (auto f : getOperation().getOps<mlir::func::FuncOp>()) {
      if (f.isExternal()) continue;
      mlir::Block &body = f.getBody().front();
      if (mlir::failed(wrapHostMemoryCode(body))) return signalPassFailure();
      sinkGlobalsIntoKernels(body);
      // One dimension per loop: threads take consecutive elements of the innermost one.
      for (auto loop : llvm::to_vector(body.getOps<mlir::scf::ParallelOp>())) {
        if (loop.getNumLoops() < 2) continue;
        std::vector<unsigned> all(loop.getNumLoops());
        std::iota(all.begin(), all.end(), 0u);
        rewriter.setInsertionPoint(loop);
        mlir::collapseParallelLoops(rewriter, loop, {all});
      }
      for (auto loop : llvm::to_vector(body.getOps<mlir::scf::ParallelOp>())) {
        int64_t trips = tripCount(loop);
        if (trips == 1) continue; // a one-thread kernel
        mlir::scf::tileParallelLoop(loop, {blockSize}, /*noMinMaxBounds=*/true);
      }
    }
  }
};

} // namespace
} // namespace nnc
