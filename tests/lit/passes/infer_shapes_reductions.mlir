// nn-infer-shapes on softmax/log_softmax, sum/mean/max and argmax.
// RUN: nnc-opt --nn-infer-shapes %s | FileCheck %s

// softmax and log_softmax keep the operand type whatever the axis.
// CHECK-LABEL: func.func @softmax(
// CHECK-SAME: -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<5xf64>)
func.func @softmax(%x: tensor<2x3x4xf32>, %v: tensor<5xf64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>) {
  // CHECK: nn.softmax %{{.*}} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %0 = nn.softmax %x : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.softmax %{{.*}} {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = nn.softmax %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.log_softmax %{{.*}} {axis = -3 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %2 = nn.log_softmax %x {axis = -3 : i64} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.log_softmax %{{.*}} : (tensor<5xf64>) -> tensor<5xf64>
  %3 = nn.log_softmax %v : (tensor<5xf64>) -> tensor<*xf64>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>
}

// Reductions over axes: empty axes reduce everything; negative axes count from the end;
// keepdims leaves size-1 axes.
// CHECK-LABEL: func.func @reduce(
// CHECK-SAME: -> (tensor<f32>, tensor<1x1x1xf32>, tensor<2x4xf32>, tensor<2x3xf32>, tensor<1x3x1xf32>, tensor<3xf32>, tensor<2x1x4xf32>, tensor<f64>, tensor<f32>, tensor<1x1x1xf32>)
func.func @reduce(%x: tensor<2x3x4xf32>, %v: tensor<7xf64>, %s: tensor<f32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
        tensor<*xf32>, tensor<*xf64>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: nn.sum %{{.*}} : (tensor<2x3x4xf32>) -> tensor<f32>
  %0 = nn.sum %x : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.sum %{{.*}} {keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %1 = nn.sum %x {keepdims = true} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.sum %{{.*}} {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
  %2 = nn.sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.mean %{{.*}} {axes = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %3 = nn.mean %x {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.mean %{{.*}} {axes = array<i64: 0, -1>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  %4 = nn.mean %x {axes = array<i64: 0, -1>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // Axes in any order.
  // CHECK: nn.max %{{.*}} {axes = array<i64: 2, -3>} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %5 = nn.max %x {axes = array<i64: 2, -3>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.max %{{.*}} {axes = array<i64: -2>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %6 = nn.max %x {axes = array<i64: -2>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.mean %{{.*}} {axes = array<i64: 0>} : (tensor<7xf64>) -> tensor<f64>
  %7 = nn.mean %v {axes = array<i64: 0>} : (tensor<7xf64>) -> tensor<*xf64>
  // A 0-d operand with no axes stays 0-d.
  // CHECK: nn.sum %{{.*}} : (tensor<f32>) -> tensor<f32>
  %8 = nn.sum %s : (tensor<f32>) -> tensor<*xf32>
  // Chained: keepdims result reduced again.
  // CHECK: nn.sum %{{.*}} {axes = array<i64: 1>, keepdims = true} : (tensor<1x3x1xf32>) -> tensor<1x1x1xf32>
  %9 = nn.sum %4 {axes = array<i64: 1>, keepdims = true} : (tensor<*xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>, tensor<*xf32>,
      tensor<*xf32>
}

// argmax drops (or with keepdims, keeps as 1) one axis and gives i64.
// CHECK-LABEL: func.func @argmax(
// CHECK-SAME: -> (tensor<2x3xi64>, tensor<3x4xi64>, tensor<2x1x4xi64>, tensor<2x3x1xi64>, tensor<i64>, tensor<5xi64>)
func.func @argmax(%x: tensor<2x3x4xf32>, %v: tensor<6xf32>, %i: tensor<5x3xi32>)
    -> (tensor<*xi64>, tensor<*xi64>, tensor<*xi64>, tensor<*xi64>, tensor<*xi64>, tensor<*xi64>) {
  // CHECK: nn.argmax %{{.*}} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
  %0 = nn.argmax %x : (tensor<2x3x4xf32>) -> tensor<*xi64>
  // CHECK: nn.argmax %{{.*}} {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<3x4xi64>
  %1 = nn.argmax %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<*xi64>
  // CHECK: nn.argmax %{{.*}} {axis = -2 : i64, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
  %2 = nn.argmax %x {axis = -2 : i64, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<*xi64>
  // CHECK: nn.argmax %{{.*}} {keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x3x1xi64>
  %3 = nn.argmax %x {keepdims = true} : (tensor<2x3x4xf32>) -> tensor<*xi64>
  // A rank-1 operand gives a 0-d index.
  // CHECK: nn.argmax %{{.*}} : (tensor<6xf32>) -> tensor<i64>
  %4 = nn.argmax %v : (tensor<6xf32>) -> tensor<*xi64>
  // Integer operands give i64 indices too.
  // CHECK: nn.argmax %{{.*}} {axis = 1 : i64} : (tensor<5x3xi32>) -> tensor<5xi64>
  %5 = nn.argmax %i {axis = 1 : i64} : (tensor<5x3xi32>) -> tensor<*xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<*xi64>, tensor<*xi64>, tensor<*xi64>, tensor<*xi64>,
      tensor<*xi64>, tensor<*xi64>
}
