// nn-infer-shapes on elementwise ops: unary ops keep the operand type, binary ops,
// compare and select broadcast as NumPy does, cast changes only the element type.
// RUN: nnc-opt --nn-infer-shapes %s | FileCheck %s

// Unary ops chained through unranked values: each one sees the type its producer got.
// CHECK-LABEL: func.func @unary(
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<4xf64>)
func.func @unary(%x: tensor<2x3xf32>, %d: tensor<4xf64>) -> (tensor<*xf32>, tensor<*xf64>) {
  // CHECK: nn.neg %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = nn.neg %x : (tensor<2x3xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.exp %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.exp %0 : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.log %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.log %1 : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.sqrt %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = nn.sqrt %2 : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.rsqrt %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = nn.rsqrt %3 : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.abs %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = nn.abs %4 : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.step %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = nn.step %5 : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.sigmoid %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = nn.sigmoid %6 : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.tanh %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %8 = nn.tanh %7 : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.relu %{{.*}} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %9 = nn.relu %8 : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.leaky_relu %{{.*}} {slope = 2.000000e-01 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %10 = nn.leaky_relu %9 {slope = 2.000000e-01 : f64} : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK-NEXT: nn.relu %{{.*}} : (tensor<4xf64>) -> tensor<4xf64>
  %11 = nn.relu %d : (tensor<4xf64>) -> tensor<*xf64>
  // CHECK-NEXT: return %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<4xf64>
  return %10, %11 : tensor<*xf32>, tensor<*xf64>
}

// A 0-d operand keeps its 0-d type.
// CHECK-LABEL: func.func @unary_scalar(
// CHECK-SAME: -> tensor<f32>
func.func @unary_scalar(%s: tensor<f32>) -> tensor<*xf32> {
  // CHECK: nn.sigmoid %{{.*}} : (tensor<f32>) -> tensor<f32>
  %0 = nn.sigmoid %s : (tensor<f32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// CHECK-LABEL: func.func @broadcast(
// CHECK-SAME: -> (tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<2x3xf32>, tensor<5x3x4xf32>, tensor<f32>, tensor<1xf32>, tensor<2x4x3xf64>, tensor<2x3xf32>)
func.func @broadcast(%a: tensor<2x3x4xf32>, %b: tensor<4xf32>, %c: tensor<3x1xf32>,
                     %d: tensor<1x4xf32>, %s: tensor<f32>, %e: tensor<2x3xf32>,
                     %f: tensor<5x1x4xf32>, %g: tensor<1xf32>, %h: tensor<2x1x3xf64>,
                     %i: tensor<4x1xf64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
        tensor<*xf32>, tensor<*xf64>, tensor<*xf32>) {
  // Rank extension: the shorter shape aligns at the trailing axis.
  // CHECK: nn.add %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %0 = nn.add %a, %b : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  // Size-1 axes on both sides.
  // CHECK: nn.sub %{{.*}}, %{{.*}} : (tensor<3x1xf32>, tensor<1x4xf32>) -> tensor<3x4xf32>
  %1 = nn.sub %c, %d : (tensor<3x1xf32>, tensor<1x4xf32>) -> tensor<*xf32>
  // A 0-d scalar on the left.
  // CHECK: nn.mul %{{.*}}, %{{.*}} : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.mul %s, %e : (tensor<f32>, tensor<2x3xf32>) -> tensor<*xf32>
  // Rank extension and size-1 axes together.
  // CHECK: nn.div %{{.*}}, %{{.*}} : (tensor<5x1x4xf32>, tensor<3x1xf32>) -> tensor<5x3x4xf32>
  %3 = nn.div %f, %c : (tensor<5x1x4xf32>, tensor<3x1xf32>) -> tensor<*xf32>
  // Two scalars.
  // CHECK: nn.pow %{{.*}}, %{{.*}} : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %4 = nn.pow %s, %s : (tensor<f32>, tensor<f32>) -> tensor<*xf32>
  // CHECK: nn.maximum %{{.*}}, %{{.*}} : (tensor<1xf32>, tensor<f32>) -> tensor<1xf32>
  %5 = nn.maximum %g, %s : (tensor<1xf32>, tensor<f32>) -> tensor<*xf32>
  // CHECK: nn.minimum %{{.*}}, %{{.*}} : (tensor<2x1x3xf64>, tensor<4x1xf64>) -> tensor<2x4x3xf64>
  %6 = nn.minimum %h, %i : (tensor<2x1x3xf64>, tensor<4x1xf64>) -> tensor<*xf64>
  // A 0-d scalar on the right, through an inferred operand.
  // CHECK: nn.sub %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %7 = nn.sub %2, %s : (tensor<*xf32>, tensor<f32>) -> tensor<*xf32>
  // CHECK: return %{{.*}} : tensor<2x3x4xf32>, tensor<3x4xf32>, tensor<2x3xf32>, tensor<5x3x4xf32>, tensor<f32>, tensor<1xf32>, tensor<2x4x3xf64>, tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>, tensor<*xf32>
}

// compare gives i1 of the broadcast shape; select broadcasts all three operands.
// CHECK-LABEL: func.func @compare_select(
// CHECK-SAME: -> (tensor<2x3xi1>, tensor<3x4xi1>, tensor<3x4xf32>, tensor<2x3xf32>)
func.func @compare_select(%x: tensor<2x3xf32>, %s: tensor<f32>, %i: tensor<4xi64>,
                          %j: tensor<3x1xi64>, %c: tensor<3x1xi1>, %t: tensor<4xf32>)
    -> (tensor<*xi1>, tensor<*xi1>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: nn.compare %{{.*}}, %{{.*}} {predicate = "ge"} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  %0 = nn.compare %x, %s {predicate = "ge"} : (tensor<2x3xf32>, tensor<f32>) -> tensor<*xi1>
  // Integer operands compare too; the default predicate is lt.
  // CHECK: nn.compare %{{.*}}, %{{.*}} : (tensor<4xi64>, tensor<3x1xi64>) -> tensor<3x4xi1>
  %1 = nn.compare %i, %j : (tensor<4xi64>, tensor<3x1xi64>) -> tensor<*xi1>
  // CHECK: nn.select %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3x1xi1>, tensor<4xf32>, tensor<f32>) -> tensor<3x4xf32>
  %2 = nn.select %c, %t, %s : (tensor<3x1xi1>, tensor<4xf32>, tensor<f32>) -> tensor<*xf32>
  // The condition comes from an inferred compare.
  // CHECK: nn.select %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = nn.select %0, %s, %x : (tensor<*xi1>, tensor<f32>, tensor<2x3xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xi1>, tensor<*xi1>, tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @cast(
// CHECK-SAME: -> (tensor<2x3xf64>, tensor<2x3xi32>, tensor<2x3xi64>, tensor<2x3xi1>, tensor<5xf32>, tensor<f32>)
func.func @cast(%x: tensor<2x3xf32>, %l: tensor<5xi64>, %s: tensor<i1>)
    -> (tensor<*xf64>, tensor<*xi32>, tensor<*xi64>, tensor<*xi1>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: nn.cast %{{.*}} {dtype = "f64"} : (tensor<2x3xf32>) -> tensor<2x3xf64>
  %0 = nn.cast %x {dtype = "f64"} : (tensor<2x3xf32>) -> tensor<*xf64>
  // CHECK: nn.cast %{{.*}} {dtype = "i32"} : (tensor<2x3xf64>) -> tensor<2x3xi32>
  %1 = nn.cast %0 {dtype = "i32"} : (tensor<*xf64>) -> tensor<*xi32>
  // CHECK: nn.cast %{{.*}} {dtype = "i64"} : (tensor<2x3xi32>) -> tensor<2x3xi64>
  %2 = nn.cast %1 {dtype = "i64"} : (tensor<*xi32>) -> tensor<*xi64>
  // CHECK: nn.cast %{{.*}} {dtype = "i1"} : (tensor<2x3xf32>) -> tensor<2x3xi1>
  %3 = nn.cast %x {dtype = "i1"} : (tensor<2x3xf32>) -> tensor<*xi1>
  // Without dtype the target is f32.
  // CHECK: nn.cast %{{.*}} : (tensor<5xi64>) -> tensor<5xf32>
  %4 = nn.cast %l : (tensor<5xi64>) -> tensor<*xf32>
  // CHECK: nn.cast %{{.*}} : (tensor<i1>) -> tensor<f32>
  %5 = nn.cast %s {dtype = "f32"} : (tensor<i1>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<*xf64>, tensor<*xi32>, tensor<*xi64>, tensor<*xi1>,
      tensor<*xf32>, tensor<*xf32>
}
