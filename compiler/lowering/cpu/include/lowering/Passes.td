// Passes of the CPU backend, one per file in compiler/lowering/cpu/lib/.
#ifndef NNC_LOWERING_PASSES_TD
#define NNC_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def ExternalizeState : Pass<"nn-externalize-state", "mlir::ModuleOp"> {
  let summary = "Gives every entry point the compiled calling convention (memref arguments)";
  let description = [{
    Rewrites each entry point (train_step, forward, predict, input_gradient) into a
    function without results whose arguments are memrefs: every state tensor of the
    model (the nn.param ops, in order), then the entry's arguments, then one buffer per
    result (runtime/include/nnc/compiled_model.h). nn.load becomes a read of the state
    buffer (bufferization.to_tensor restrict), nn.store and the returned values become
    bufferization.materialize_in_destination into their buffers, placed after every
    other op so that no state is overwritten before its last read. Other functions and
    the nn.param ops are removed.
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect", "mlir::memref::MemRefDialect"];
}

def LowerToLinalg : Pass<"nn-lower-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lowers nn ops to linalg, tensor, arith, math and scf on tensors";
  let description = [{
    Replaces every computing nn op by tensor-level IR through the lowering table (one
    function per op, registered per op family in Lower*.cpp): elementwise ops and
    reductions become linalg.generic, contractions and convolutions generic contractions,
    shape ops tensor.{collapse,expand,extract,insert}_slice/pad, nn.constant an
    arith.constant. nn.load/nn.store must have been externalized before.

    With `conv-as-gemm` (the CPU backend) ungrouped convolutions and their gradients
    become im2col columns and matrix products (LowerConvGemm.cpp) that
    nn-gemm-to-call hands to the blocked kernels; otherwise one loop nest each.
    With `conv-library=PREFIX` (the CUDA backend's cuDNN) every convolution and its two
    gradients become calls of PREFIX_forward/_backward_data/_backward_filter_f32|f64
    on buffers (LowerConvLibrary.cpp); the bias is added by an elementwise op after.
  }];
  let options = [
    Option<"convAsGemm", "conv-as-gemm", "bool", /*default=*/"false",
           "Ungrouped convolutions as im2col + matrix products">,
    Option<"convLibrary", "conv-library", "std::string", /*default=*/"",
           "Convolutions as calls of this library prefix's functions (empty: generated code)">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::bufferization::BufferizationDialect", "mlir::memref::MemRefDialect",
                           "mlir::func::FuncDialect",
                           "mlir::arith::ArithDialect", "mlir::math::MathDialect", "mlir::scf::SCFDialect"];
}

def ChooseLoopOrder : Pass<"nn-choose-loop-order", "mlir::ModuleOp"> {
  let summary = "Puts the loop with the most contiguous accesses innermost in each linalg.generic";
  let description = [{
    A stand-in for tiling and vectorization: LLVM's loop vectorizer does well when the
    innermost loop walks memory contiguously. For every linalg.generic the pass scores
    each loop by the operands whose last index moves with it unit-stride (+1, the
    output +2) against those it strides through (-1), prefers parallel loops and longer
    trip counts on ties, and interchanges that loop to the innermost position. When
    the innermost loop is a reduction, the body's float arithmetic gets the fast-math
    flags reassoc and contract so that LLVM may vectorize the reduction and use FMA.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::arith::ArithDialect"];
}

def SerializeInnerParallelLoops : Pass<"nn-serialize-inner-parallel-loops", "mlir::ModuleOp"> {
  let summary = "Keeps one level of thread parallelism: the outermost scf.parallel of enough work";
  let description = [{
    After linalg lowers to parallel loops, every parallel dimension is an scf.parallel,
    often nested. Only the outermost one of a nest becomes an OpenMP work-sharing loop
    (threads for the whole nest, one fork-join); nested ones, and outermost ones whose
    nest does fewer than `min-work` innermost iterations (where forking costs more than
    it saves), become sequential scf.for loops. A kept multi-dimensional loop keeps only
    its leading dimensions, until they give 64 iterations to share out; the rest become
    scf.for loops inside (OpenMP collapses a parallel loop's dimensions and recovers
    each index by division, which would keep the innermost loop from vectorizing).
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "Innermost iterations a loop nest needs to run on several threads">,
  ];
  let dependentDialects = ["mlir::scf::SCFDialect"];
}

def FuseElementwise : Pass<"nn-fuse-elementwise", "mlir::ModuleOp"> {
  let summary = "linalg elementwise fusion that keeps matrix products pure";
  let description = [{
    linalg's elementwise producer-consumer fusion, except into matrix products
    (contractions: a multiply-add body over projected permutation maps): a ReLU fused
    into the next layer's product would be recomputed for every k and would hide the
    product from nn-gemm-to-call. Convolutions, whose maps add window offsets, still
    take their elementwise producers in. As in linalg's own fusion pass, only producers
    with one use fuse (a value used twice would be computed twice), except that a value
    whose other uses only store it into state fuses too, the loop yielding it for the
    stores: an optimizer's new momentum and the parameter update become one loop. With
    `recompute-elementwise` (the CUDA backend, where memory traffic costs more than
    arithmetic) producers fuse into every elementwise consumer, also when they have
    other uses (the value is then computed in each).
  }];
  let options = [
    Option<"recomputeElementwise", "recompute-elementwise", "bool", /*default=*/"false",
           "Fuse producers into all their elementwise consumers, computing them again">,
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def GemmToCall : Pass<"nn-gemm-to-call", "mlir::ModuleOp"> {
  let summary = "Bufferized matrix products become calls of the runtime's GEMM kernels";
  let description = [{
    Runs on bufferized linalg ops. A linalg.generic whose body is C += A · B (a
    multiply and an add, f32 or f64) over one m, one n, one k and at most one batch
    dimension, on contiguous row-major buffers, where A and B are each stored as a
    matrix per batch (either orientation) and C as (batch, m, n), becomes a call of
    `<prefix>_f32` or `<prefix>_f64` with (batch, m, n, k, transA, transB, accumulate)
    and the buffers' addresses. C holds the accumulator's starting value (a linear
    layer's bias) and the kernels add to it, unless a linalg.fill with zero right before
    the product only cleared C: then the fill goes and the call has accumulate = 0 (the
    kernel overwrites C). With `bias-epilogue`, a broadcast of a vector into C (along
    its rows or columns; the bias of a linear layer or a convolution) that is the last
    write to C before the product goes too, and the call is `<prefix>_bias_f32|f64`
    with (batch, m, n, k, transA, transB, biasPerColumn) and the buffers A, B, C, bias:
    the kernel adds the bias to each tile as it stores it. CPU: `nnc_cpu_gemm`
    (runtime/src/kernels, blocked and packed, AVX-512, with the bias epilogue); CUDA:
    `nnc_cuda_gemm` (cuBLAS, runtime/src/cuda/Gemm.cpp).
  }];
  let options = [
    Option<"prefix", "prefix", "std::string", /*default=*/"\"nnc_cpu_gemm\"",
           "Name of the runtime functions, without the _f32/_f64 suffix">,
    Option<"biasEpilogue", "bias-epilogue", "bool", /*default=*/"false",
           "Fold a bias broadcast into C before a product into the call (<prefix>_bias_f32|f64)">,
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"];
}

def PlanMemory : Pass<"nn-plan-memory", "mlir::ModuleOp"> {
  let summary = "Places every intermediate buffer in one arena that the caller provides";
  let description = [{
    Runs on bufferized entry functions (public func.func) after deallocation. Every
    top-level memref.alloc with a static shape gets an offset in one arena from the
    liveness of its buffer (from the alloc to the last top-level op that uses it, an
    alias or a value computed from them, in op order; MemoryPlan.h): buffers alive at
    the same time never overlap. The function gets one more argument, the
    arena (memref<N x i8> {nn.workspace}, N in the function's nn.workspace_bytes), each
    planned alloc becomes a memref.view of it at its offset and its dealloc goes. The
    runtime allocates the arena once per session (runtime/include/nnc/compiled_model.h),
    so a step allocates nothing and touches the same pages every time.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

def ApproximateMath : Pass<"nn-approximate-math", "mlir::ModuleOp"> {
  let summary = "f32 tanh and erf as MLIR's polynomial approximations";
  let description = [{
    libm's tanhf and erff are scalar calls that keep LLVM from vectorizing the loops
    around them (LeNet-5 spent a quarter of its step in tanhf). MLIR's rational
    approximations (a few ulp, as Eigen's) are plain arithmetic that vectorizes. Only
    f32: f64 keeps libm's results (the float64 tests compare with the interpreter to
    1e-9).
  }];
  let dependentDialects = ["mlir::math::MathDialect", "mlir::arith::ArithDialect"];
}

def UpdateStateInPlace : Pass<"nn-update-state-in-place", "mlir::ModuleOp"> {
  let summary = "Computes new parameters and optimizer state straight into their buffers";
  let description = [{
    nn-externalize-state stores every new state value at the end of an entry point
    (bufferization.materialize_in_destination into the state buffer), which bufferizes
    to a copy per state tensor. When the value comes from an all-parallel linalg.generic
    whose body does not read its init, the init becomes the state buffer's tensor view
    (made writable): one-shot bufferization then writes the update in place, unless
    something reads the old state afterwards (then it copies, as before), and the final
    store is a self-copy that canonicalization erases.
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect", "mlir::linalg::LinalgDialect"];
}

def OutlineKernels : Pass<"nn-outline-kernels", "mlir::ModuleOp"> {
  let summary = "Moves each loop nest of an entry point into a private function that records which buffers may share memory";
  let description = [{
    Runs on the loops of planned entry points (after nn-plan-memory). Every top-level
    scf.parallel or scf.for without results becomes a private function
    `<entry>_kernel<N>` taking the values it uses (constants are cloned in) and a call.
    Each memref argument is traced back through views to its memory: an entry argument
    (distinct by the calling convention, compiled_model.h), an allocation, a global, or
    a byte range of the arena (a memref.view at a constant offset). Arguments whose
    memory may overlap share a group; the function's `nn.alias_groups` lists the
    groups per argument of the LLVM calling convention (both pointers of a memref get
    its group, -1 where unknown), for nn-kernel-alias-scopes. Why: every intermediate is
    a view of the one arena argument, so LLVM cannot tell a kernel's input from its
    output and keeps the loops scalar; the groups say which accesses are disjoint.
  }];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def KernelAliasScopes : Pass<"nn-kernel-alias-scopes", "mlir::ModuleOp"> {
  let summary = "Gives each outlined kernel's loads and stores LLVM alias scopes from its nn.alias_groups";
  let description = [{
    Runs on the LLVM dialect. In every llvm.func with `nn.alias_groups` (from
    nn-outline-kernels), each llvm.load and llvm.store whose address is computed from
    an argument by getelementptr gets the alias scope of that argument's group and is
    marked as not aliasing the other groups' scopes (one scope domain per kernel).
    Accesses through other pointers get none and so may alias anything. The metadata
    stays on the instructions when OpenMP outlines the parallel regions and when LLVM
    inlines the kernel, so LLVM's vectorizer sees disjoint buffers without run-time
    checks.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // NNC_LOWERING_PASSES_TD
