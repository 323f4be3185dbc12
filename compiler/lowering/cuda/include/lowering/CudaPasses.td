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

def GemmToCublas : Pass<"nn-gemm-to-cublas", "mlir::ModuleOp"> {
  let summary = "Bufferized matrix products become cuBLAS calls";
  let description = [{
    Runs on bufferized linalg ops. A linalg.generic whose body is C += A · B (a
    multiply and an add, f32 or f64) over one m, one n, one k and at most one batch
    dimension, on contiguous row-major buffers, where A and B are each stored as a
    matrix per batch (either orientation) and C as (batch, m, n), becomes a call of
    `nnc_cuda_gemm_f32` or `nnc_cuda_gemm_f64` (runtime/src/cuda/Gemm.cpp) with the
    sizes, the orientations and the buffers' addresses: cuBLAS's strided-batched GEMM
    with beta = 1 (C holds the accumulator's starting value, a linear layer's bias), on
    the stream of the model's kernels.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"];
}

def FuseElementwiseGpu : Pass<"nn-fuse-elementwise-gpu", "mlir::ModuleOp"> {
  let summary = "linalg elementwise fusion that keeps reductions (matrix products) pure";
  let description = [{
    linalg's elementwise producer-consumer fusion, except into ops with reduction loops:
    a ReLU fused into the next layer's matrix product would be recomputed for every k
    and would hide the product from nn-gemm-to-cublas.
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
