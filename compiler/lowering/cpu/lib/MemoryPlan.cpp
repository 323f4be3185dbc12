// The planner behind nn-plan-memory and --emit=memory-report (MemoryPlan.h).
#include "lowering/MemoryPlan.h"

#include "llvm/ADT/DenseSet.h"

#include <algorithm>

namespace nnc {

namespace {

int64_t roundUp(int64_t n, int64_t to) { return (n + to - 1) / to * to; }

// Bytes of a static, identity-layout memref, or -1.
int64_t plannableBytes(mlir::MemRefType t) {
  if (!t.hasStaticShape() || !t.getLayout().isIdentity() || t.getMemorySpace()) return -1;
  mlir::Type e = t.getElementType();
  if (!e.isIntOrFloat()) return -1;
  int64_t elementBytes = std::max<int64_t>(1, e.getIntOrFloatBitWidth() / 8);
  return std::max<int64_t>(kArenaAlignment, roundUp(t.getNumElements() * elementBytes, kArenaAlignment));
}

} // namespace

FunctionMemoryPlan planFunctionMemory(mlir::func::FuncOp f) {
  FunctionMemoryPlan plan;
  if (f.isExternal()) return plan;
  mlir::Block &body = f.getBody().front();
  llvm::DenseMap<mlir::Operation *, int64_t> position;
  int64_t n = 0;
  for (mlir::Operation &op : body) position[&op] = n++;
  for (mlir::Operation &op : body) {
    auto alloc = llvm::dyn_cast<mlir::memref::AllocOp>(op);
    if (!alloc || !alloc.getDynamicSizes().empty() || !alloc.getSymbolOperands().empty()) continue;
    int64_t bytes = plannableBytes(alloc.getType());
    if (bytes < 0) continue;
    PlannedAllocation b{alloc, nullptr, bytes, 0, position[&op], position[&op]};
    // Alive until the last top-level op that uses the buffer, an alias of it (views,
    // reshapes) or anything computed from them (an address handed to a kernel call).
    // Ownership-based deallocation frees at the end of the block, so its deallocs say
    // nothing about lifetimes; they go with the plan.
    bool plannable = true;
    llvm::SmallVector<mlir::Value> derived = {alloc.getResult()};
    llvm::DenseSet<mlir::Value> seen;
    while (!derived.empty()) {
      mlir::Value v = derived.pop_back_val();
      if (!seen.insert(v).second) continue;
      for (mlir::Operation *user : v.getUsers()) {
        if (auto d = llvm::dyn_cast<mlir::memref::DeallocOp>(user)) {
          if (d->getBlock() != &body || b.dealloc || v != alloc.getResult()) plannable = false;
          else b.dealloc = d;
          continue;
        }
        mlir::Operation *top = body.findAncestorOpInBlock(*user);
        if (!top) {
          plannable = false;
          continue;
        }
        b.last = std::max(b.last, position[top]);
        derived.append(user->result_begin(), user->result_end());
      }
    }
    if (!plannable) continue;
    plan.separateBytes += bytes;
    plan.buffers.push_back(b);
  }
  // Largest first (ties: earliest), each at the lowest offset that no buffer alive at
  // the same time occupies.
  std::vector<size_t> order(plan.buffers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return plan.buffers[a].bytes > plan.buffers[b].bytes;
  });
  std::vector<size_t> placed;
  for (size_t i : order) {
    PlannedAllocation &b = plan.buffers[i];
    std::vector<std::pair<int64_t, int64_t>> busy; // [offset, end) of overlapping lifetimes
    for (size_t j : placed) {
      const PlannedAllocation &o = plan.buffers[j];
      if (o.first <= b.last && b.first <= o.last) busy.emplace_back(o.offset, o.offset + o.bytes);
    }
    std::sort(busy.begin(), busy.end());
    int64_t offset = 0;
    for (auto [from, to] : busy) {
      if (offset + b.bytes <= from) break;
      offset = std::max(offset, to);
    }
    b.offset = offset;
    plan.arenaBytes = std::max(plan.arenaBytes, offset + b.bytes);
    placed.push_back(i);
  }
  return plan;
}

} // namespace nnc
