// RUN: nnc-opt --nn-externalize-state %s | FileCheck %s
// Entry points get the compiled calling convention: state buffers (in nn.param order),
// then the arguments, then one buffer per result; loads read the state buffer once,
// stores and results are written last; helper functions and nn.param ops disappear.

nn.param @w : tensor<3x2xf32> {init = "zeros", init_args = {}, trainable = true}
nn.param @b : tensor<3xf32> {init = "zeros", init_args = {}, trainable = true}

// CHECK-NOT: nn.param
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W:.*]]: memref<3x2xf32> {nn.state = "w"}, %[[B:.*]]: memref<3xf32> {nn.state = "b"},
// CHECK-SAME: %[[LR:.*]]: memref<f32> {nn.name = "lr", nn.role = "hyperparameter"},
// CHECK-SAME: %[[LOSS:.*]]: memref<f32> {nn.name = "loss", nn.result, nn.role = "loss"})
// CHECK-NOT: ->
// CHECK-DAG: %[[LRT:.*]] = bufferization.to_tensor %[[LR]] restrict
// CHECK-DAG: %[[WT:.*]] = bufferization.to_tensor %[[W]] restrict
// CHECK: %[[NEW:.*]] = nn.mul %[[WT]], %[[LRT]]
// CHECK: %[[S:.*]] = nn.sum %[[NEW]]
// CHECK: bufferization.materialize_in_destination %[[NEW]] in restrict writable %[[W]]
// CHECK-NEXT: bufferization.materialize_in_destination %[[S]] in restrict writable %[[LOSS]]
// CHECK-NEXT: return
func.func @train_step(%lr: tensor<f32> {nn.name = "lr", nn.role = "hyperparameter"}) -> (tensor<f32> {nn.name = "loss", nn.role = "loss"}) {
  %w = nn.load @w : () -> tensor<3x2xf32>
  %new = nn.mul %w, %lr : (tensor<3x2xf32>, tensor<f32>) -> tensor<3x2xf32>
  nn.store @w, %new : tensor<3x2xf32>
  %again = nn.load @w : () -> tensor<3x2xf32>
  %s = nn.sum %new {axes = array<i64>} : (tensor<3x2xf32>) -> tensor<f32>
  return %s : tensor<f32>
}

// CHECK-NOT: func.func @helper
func.func @helper(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
