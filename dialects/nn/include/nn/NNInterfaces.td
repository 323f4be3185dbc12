// Per-op rules as interfaces: passes ask the op, they never switch on op names.
#ifndef NN_INTERFACES_TD
#define NN_INTERFACES_TD

include "mlir/IR/OpBase.td"

def NN_ShapeInferenceOpInterface : OpInterface<"ShapeInference"> {
  let cppNamespace = "::mlir::nn";
  let description = [{
    The op's shape rule: computes its result types from its operand types and
    attributes. On a mismatch it emits an error at the op's location that names both
    shapes, and fails. The interface's verifier re-runs the rule whenever every operand
    is ranked, so hand-written IR with a wrong result type is rejected too.
  }];
  let methods = [
    InterfaceMethod<
      "Pushes the inferred result types onto `resultTypes`; emits a located error and "
      "fails when operands or attributes do not fit the op.",
      "::mlir::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$resultTypes)>,
  ];
  let verify = [{ return ::mlir::nn::verifyInferredResultTypes($_op); }];
}

def NN_DifferentiableOpInterface : OpInterface<"Differentiable"> {
  let cppNamespace = "::mlir::nn";
  let description = [{
    The op's gradient rule for reverse-mode differentiation. Given the gradients of the
    loss with respect to the op's results (null for a result the loss does not depend
    on), the rule builds, at the builder's insertion point, the gradients with respect
    to its operands, each with the operand's type (broadcasting already reduced away),
    or null for an operand that has no gradient (integer labels, indices). The autodiff
    pass asks this interface and never switches on op names; gradient work nobody uses
    is removed afterwards as dead code.
  }];
  let methods = [
    InterfaceMethod<
      "Builds the operand gradients from the result gradients (see the description).",
      "::mlir::LogicalResult", "buildGradients",
      (ins "::mlir::OpBuilder &":$builder,
           "::llvm::ArrayRef<::mlir::Value>":$resultGradients,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGradients)>,
  ];
}

def NN_TrainingFormOpInterface : OpInterface<"TrainingForm"> {
  let cppNamespace = "::mlir::nn";
  let description = [{
    Ops that compute differently while training (batch norm uses the batch statistics
    and moves its running statistics; dropout masks). The train-step builder asks each
    such op to replace itself with its training form, given the step's random seed and
    step counter and a stream number unique to the op (so every dropout draws its own
    numbers from the counter-based generator).
  }];
  let methods = [
    InterfaceMethod<
      "Replaces the op with its training form and returns the value replacing its result.",
      "::mlir::FailureOr<::mlir::Value>", "buildTrainingForm",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Value":$seed, "::mlir::Value":$step,
           "int64_t":$stream)>,
  ];
}

#endif // NN_INTERFACES_TD
