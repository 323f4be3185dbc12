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
  // its own memref.get_global, which outlining turns into a device global. Host uses
  // (views of it, cuBLAS calls) get a device copy made by a kernel at the global's
  // place, freed before the function returns.
  void placeGlobalsOnDevice(mlir::Block &body) {
    for (auto get : llvm::to_vector(body.getOps<mlir::memref::GetGlobalOp>())) {
      llvm::SmallVector<mlir::OpOperand *> inKernels, onHost;
      for (mlir::OpOperand &use : get->getUses()) {
        mlir::Operation *top = use.getOwner();
        while (top->getBlock() != &body) top = top->getParentOp();
        (llvm::isa<mlir::scf::ParallelOp>(top) ? inKernels : onHost).push_back(&use);
      }
      for (mlir::OpOperand *use : inKernels) {
        mlir::Operation *top = use->getOwner();
        while (top->getBlock() != &body) top = top->getParentOp();
        mlir::OpBuilder b = mlir::OpBuilder::atBlockBegin(llvm::cast<mlir::scf::ParallelOp>(top).getBody());
        use->set(b.clone(*get)->getResult(0));
      }
      if (!onHost.empty()) {
        auto type = llvm::cast<mlir::MemRefType>(get.getType());
        mlir::OpBuilder b(get);
        mlir::Location loc = get.getLoc();
        auto copy = b.create<mlir::memref::AllocOp>(loc, mlir::MemRefType::get(type.getShape(), type.getElementType()));
        mlir::Value zero = b.create<mlir::arith::ConstantIndexOp>(loc, 0);
        mlir::Value one = b.create<mlir::arith::ConstantIndexOp>(loc, 1);
        llvm::SmallVector<mlir::Value> lbs, ubs, steps;
        for (int64_t d : type.getShape()) {
          lbs.push_back(zero), steps.push_back(one);
          ubs.push_back(b.create<mlir::arith::ConstantIndexOp>(loc, d));
        }
        if (type.getRank() == 0) lbs.push_back(zero), ubs.push_back(one), steps.push_back(one);
        auto loop = b.create<mlir::scf::ParallelOp>(loc, lbs, ubs, steps);
        {
          mlir::OpBuilder in = mlir::OpBuilder::atBlockBegin(loop.getBody());
          mlir::Value global = in.clone(*get)->getResult(0);
          llvm::SmallVector<mlir::Value> index;
          if (type.getRank() != 0) index = llvm::to_vector(loop.getInductionVars());
          mlir::Value v = in.create<mlir::memref::LoadOp>(loc, global, index);
          in.create<mlir::memref::StoreOp>(loc, v, copy, index);
        }
        for (mlir::OpOperand *use : onHost) use->set(copy);
        b.setInsertionPoint(body.getTerminator());
        b.create<mlir::memref::DeallocOp>(loc, copy);
      }
      get->erase();
    }
  }

  void runOnOperation() override {
    mlir::IRRewriter rewriter(&getContext());
    for (auto f : getOperation().getOps<mlir::func::FuncOp>()) {
      if (f.isExternal()) continue;
      mlir::Block &body = f.getBody().front();
      if (mlir::failed(wrapHostMemoryCode(body))) return signalPassFailure();
      placeGlobalsOnDevice(body);
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
