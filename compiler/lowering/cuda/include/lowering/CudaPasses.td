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

def SplitReductions : Pass<"nn-split-reductions", "mlir::ModuleOp"> {
  let summary = "Splits reductions with few outputs into parallel partial sums and a short final sum";
  let description = [{
    On the GPU each output element of a reduction is one thread, so a reduction with
    few outputs and long sums (a bias gradient: a handful of channels, each summed over
    batch and image; batch-norm statistics; a full sum) runs on a few threads for
    milliseconds. For a linalg.generic on tensors whose body is
    `yield combiner(acc, f(inputs))` with a neutral element (add, mul, max, ...), fewer
    than `threads` outputs and at least `min-reduction` reduced elements, one reduction
    loop of extent E is split into C chunks (C divides E and is at most `max-chunks`; the
    choice giving the most threads up to `threads`, each summing at least `min-serial`
    elements; neighbouring reduction loops that every operand indexes as neighbouring
    axes are merged first, so H and W of an image count as one loop): a generic with
    the chunk as an extra parallel loop writes C partial results per output (inputs that
    index the loop get that axis reshaped to [C, E/C]: each thread reads one run, and on
    an input's contiguous axis runs hold at least `min-run` elements, whole cache
    lines), then a second generic combines the chunks into the original accumulator.
    Partial sums still longer than `max-serial` are split again. Matrix products
    (C += A·B) are left to cuBLAS.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"32768", "Parallel work to aim for">,
    Option<"minReduction", "min-reduction", "int64_t", /*default=*/"2048",
           "Reductions of fewer elements per output stay whole">,
    Option<"minSerial", "min-serial", "int64_t", /*default=*/"32", "Elements each partial sum covers at least">,
    Option<"maxChunks", "max-chunks", "int64_t", /*default=*/"256",
           "Chunks per output at most (the final sum reads them one by one)">,
    Option<"maxSerial", "max-serial", "int64_t", /*default=*/"256",
           "Partial sums longer than this are split again">,
    Option<"minRun", "min-run", "int64_t", /*default=*/"32",
           "Chunks of an input's contiguous axis hold at least this many elements">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect", "mlir::arith::ArithDialect"];
}

def CollapseParallelDims : Pass<"nn-collapse-parallel-dims", "mlir::ModuleOp"> {
  let summary = "Merges neighbouring parallel loops that every operand indexes as neighbouring axes";
  let description = [{
    Each GPU thread finds its element by dividing its one-dimensional index by the
    extents of the loops (64-bit divisions and remainders). An elementwise op on
    [512, 512, 3, 3] tensors needs none once its four loops are one; batch
    normalization's [N, C, H, W] needs two instead of three (C stays a loop of its own,
    since the statistics are indexed by it). Runs of parallel loops whose axes every
    operand keeps together, in order, are merged (linalg's collapseOpIterationDims,
    with reshapes of the operands, which are free). Ops whose results are stored into
    state are left alone, so that nn-update-state-in-place still writes them in place.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def UnshareFills : Pass<"nn-unshare-fills", "mlir::ModuleOp"> {
  let summary = "Gives every op that accumulates into a linalg.fill its own fill";
  let description = [{
    CSE merges identical fills (the zeros every sum starts from), and one-shot
    bufferization then copies the shared zeros for each accumulator that writes into
    them: on the GPU one small copy kernel each (over a hundred per ResNet-18 step).
    Each destination-operand use of a tensor fill gets its own clone of the fill (and
    of its tensor.empty) just before the user, which bufferizes in place; after
    lowering to loops, scf-parallel-loop-fusion merges each fill with its reduction.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
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
