// Static memory planning of a bufferized function: every top-level allocation with a
// static shape gets an offset in one arena, from the liveness of its buffer (from the
// alloc to the last top-level op using it, an alias or a value computed from them, in op
// order), so that buffers alive at the same time never overlap.
// nn-plan-memory applies the plan; `nnc compile --emit=memory-report` prints it.
#pragma once

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

#include <cstdint>
#include <vector>

namespace nnc {

struct PlannedAllocation {
  mlir::memref::AllocOp alloc;
  mlir::memref::DeallocOp dealloc; // its dealloc (removed with the plan), or null
  int64_t bytes = 0;               // rounded up to the arena's alignment
  int64_t offset = 0;              // in the arena
  int64_t first = 0, last = 0;     // op positions where the buffer is alive
};

struct FunctionMemoryPlan {
  std::vector<PlannedAllocation> buffers;
  int64_t arenaBytes = 0;   // the arena (the peak of the buffers alive at once)
  int64_t separateBytes = 0; // what the buffers take with one allocation each
};

constexpr int64_t kArenaAlignment = 64;

// Plans `f`'s top-level memref.alloc ops with static shapes and identity layouts (others
// stay allocations). Offsets: largest buffers first, each at the lowest offset free for
// its whole lifetime.
FunctionMemoryPlan planFunctionMemory(mlir::func::FuncOp f);

} // namespace nnc
