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
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::arith::ArithDialect", "mlir::math::MathDialect", "mlir::scf::SCFDialect"];
}

#endif // NNC_LOWERING_PASSES_TD
