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

#endif // NN_INTERFACES_TD
