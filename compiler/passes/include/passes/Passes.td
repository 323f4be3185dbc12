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

def BuildTrainStep : Pass<"nn-build-train-step", "mlir::ModuleOp"> {
  let summary = "Builds @train_step, @predict (and @input_gradient) from @forward and nn.train";
  let description = [{
    Clones the forward function into the train step: ops with a training form (batch
    norm, dropout) take it, the loss is differentiated in reverse mode with respect to
    every trainable, unfrozen parameter through the ops' gradient rules, and the
    optimizer's update is appended, writing parameters, optimizer state and running
    statistics with nn.store. Hyperparameters, the step counter and the random seed
    become arguments. Also builds @predict (outputs only) and, for `grad-wrt`,
    @input_gradient (the loss and its gradient with respect to those inputs).
  }];
  let options = [
    ListOption<"gradWrt", "grad-wrt", "std::string",
               "Inputs to differentiate the loss with respect to (adds @input_gradient)">,
  ];
}

#endif // NNC_PASSES_TD
