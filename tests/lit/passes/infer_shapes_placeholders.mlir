// nn-infer-shapes replaces unranked *and dynamic* result placeholders (its description in
// Passes.td). A dynamic placeholder on an op whose operands are unranked works today; on an
// op whose operands are all ranked the ShapeInference interface verifier rejects it at
// parse time ("relu: result type f32[?, 3] does not match the inferred f32[2, 3]"), so
// the first function below fails until verifyInferredResultTypes (NNDialect.cpp) accepts
// declared types that are compatible with the inferred ones (same rank and element
// type, '?' where the inferred size is static).
// RUN: nnc-opt --nn-infer-shapes %s | FileCheck %s

// CHECK-LABEL: func.func @dynamic_placeholder_ranked_operand(
// CHECK-SAME: -> tensor<2x3xf32>
func.func @dynamic_placeholder_ranked_operand(%x: tensor<2x3xf32>) -> tensor<?x3xf32> {
  // CHECK: nn.relu %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = nn.relu %x : (tensor<2x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// CHECK-LABEL: func.func @dynamic_placeholder_unranked_operand(
// CHECK-SAME: -> tensor<2x3xf32>
func.func @dynamic_placeholder_unranked_operand(%x: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %u = nn.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  // CHECK: nn.relu %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = nn.relu %u : (tensor<*xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
