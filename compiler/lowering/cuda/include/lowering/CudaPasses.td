// Passes of the CUDA backend (compiler/lowering/cuda).
#ifndef NNC_LOWERING_CUDA_PASSES_TD
#define NNC_LOWERING_CUDA_PASSES_TD

include "mlir/Pass/PassBase.td"

def ParallelDimsOutermost : Pass<"nn-parallel-dims-outermost", "mlir::ModuleOp"> {
  let summary = "Interchanges every linalg.generic so that its parallel loops come first";
  let description = [{
    The GPU's loop order (the CPU backend's nn-choose-loop-order optimizes for caches and
    vectors instead): parallel dimensions outermost, in their order, then the
    reductions. Lowered to loops, each op is then one scf.parallel over all its parallel
    dimensions with the reductions as sequential loops inside, which
    nn-map-loops-to-gpu makes one thread per output element.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def MapLoopsToGpu : Pass<"nn-map-loops-to-gpu", "mlir::ModuleOp"> {
  let summary = "Shapes bufferized loop nests into GPU kernels: one thread per output element";
  let description = [{
    Runs on the bufferized scf loops of the entry functions, before MLIR's
    gpu-map-parallel-loops and convert-parallel-loops-to-gpu.

    Host code must not touch tensor memory (it lives on the GPU), so every top-level
    run of operations that loads or stores memrefs outside an scf.parallel (full
    reductions, rank-0 arithmetic) is wrapped into a one-iteration scf.parallel: a
    kernel of one thread. Values such a run defines may not be used after it (an
    error otherwise).

    Each top-level scf.parallel then has its dimensions collapsed into one and is tiled
    by `block-size`: the outer loop becomes the grid, the inner loop the threads of a
    block (a bounds check guards the last block). Reductions stay sequential loops
    inside each thread.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"256", "Threads per block">,
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::arith::ArithDialect", "mlir::affine::AffineDialect"];
}

#endif // NNC_LOWERING_CUDA_PASSES_TD
