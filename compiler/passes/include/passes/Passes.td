// Passes of the nnc compiler, one per file in compiler/passes/lib/.
#ifndef NNC_PASSES_TD
#define NNC_PASSES_TD

include "mlir/Pass/PassBase.td"

def InferShapes : Pass<"nn-infer-shapes", "mlir::func::FuncOp"> {
  let summary = "Gives every nn op result its static type from the op's shape rule";
  let description = [{
    Walks the function in order and asks each op implementing ShapeInferenceOpInterface
    for its result types, replacing unranked or dynamic placeholders; then updates the
    function's result types. An op whose operands do not fit reports a located error
    naming both shapes, and the pass fails. Ops that already carry static types are
    checked against their rule.
  }];
}

#endif // NNC_PASSES_TD
