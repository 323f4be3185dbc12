// Passes of the CUDA backend (compiler/lowering/cuda).
#ifndef NNC_LOWERING_CUDA_PASSES_TD
#define NNC_LOWERING_CUDA_PASSES_TD

include "mlir/Pass/PassBase.td"

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
