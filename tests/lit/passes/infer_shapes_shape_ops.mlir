// nn-infer-shapes on reshape, flatten, transpose, concat, slice, pad and split.
// RUN: nnc-opt --nn-infer-shapes %s | FileCheck %s

// CHECK-LABEL: func.func @reshape(
// CHECK-SAME: -> (tensor<6x4xf32>, tensor<24xf32>, tensor<4x2x3xf32>, tensor<1x24xf32>, tensor<f32>, tensor<2x12xi64>, tensor<3x8xf32>)
func.func @reshape(%x: tensor<2x3x4xf32>, %one: tensor<1x1xf32>, %i: tensor<24xi64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>,
        tensor<*xf32>) {
  // CHECK: nn.reshape %{{.*}} {shape = array<i64: 6, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %0 = nn.reshape %x {shape = array<i64: 6, 4>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.reshape %{{.*}} {shape = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<24xf32>
  %1 = nn.reshape %x {shape = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // -1 in the middle.
  // CHECK: nn.reshape %{{.*}} {shape = array<i64: 4, -1, 3>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %2 = nn.reshape %x {shape = array<i64: 4, -1, 3>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.reshape %{{.*}} {shape = array<i64: 1, -1>} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  %3 = nn.reshape %x {shape = array<i64: 1, -1>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // An empty shape makes a 0-d tensor of one element.
  // CHECK: nn.reshape %{{.*}} {shape = array<i64>} : (tensor<1x1xf32>) -> tensor<f32>
  %4 = nn.reshape %one {shape = array<i64>} : (tensor<1x1xf32>) -> tensor<*xf32>
  // The element type is kept.
  // CHECK: nn.reshape %{{.*}} {shape = array<i64: -1, 12>} : (tensor<24xi64>) -> tensor<2x12xi64>
  %5 = nn.reshape %i {shape = array<i64: -1, 12>} : (tensor<24xi64>) -> tensor<*xi64>
  // On an inferred operand.
  // CHECK: nn.reshape %{{.*}} {shape = array<i64: 3, -1>} : (tensor<24xf32>) -> tensor<3x8xf32>
  %6 = nn.reshape %1 {shape = array<i64: 3, -1>} : (tensor<*xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xi64>, tensor<*xf32>
}

// CHECK-LABEL: func.func @flatten(
// CHECK-SAME: -> (tensor<2x60xf32>, tensor<120xf32>, tensor<2x12x5xf32>, tensor<2x12x5xf32>, tensor<2x3x4x5xf32>, tensor<6x4x5xf32>, tensor<1xf32>, tensor<7xf32>)
func.func @flatten(%x: tensor<2x3x4x5xf32>, %s: tensor<f32>, %v: tensor<7xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
        tensor<*xf32>, tensor<*xf32>) {
  // Defaults: start_axis 1, end_axis -1 (keeps the batch axis).
  // CHECK: nn.flatten %{{.*}} : (tensor<2x3x4x5xf32>) -> tensor<2x60xf32>
  %0 = nn.flatten %x : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  // CHECK: nn.flatten %{{.*}} {start_axis = 0 : i64} : (tensor<2x3x4x5xf32>) -> tensor<120xf32>
  %1 = nn.flatten %x {start_axis = 0 : i64} : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  // CHECK: nn.flatten %{{.*}} {end_axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<2x12x5xf32>
  %2 = nn.flatten %x {start_axis = 1 : i64, end_axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  // Negative axes.
  // CHECK: nn.flatten %{{.*}} {end_axis = -2 : i64, start_axis = -3 : i64} : (tensor<2x3x4x5xf32>) -> tensor<2x12x5xf32>
  %3 = nn.flatten %x {start_axis = -3 : i64, end_axis = -2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  // A range of one axis changes nothing.
  // CHECK: nn.flatten %{{.*}} {end_axis = 2 : i64, start_axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32>
  %4 = nn.flatten %x {start_axis = 2 : i64, end_axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  // CHECK: nn.flatten %{{.*}} {end_axis = 1 : i64, start_axis = 0 : i64} : (tensor<2x3x4x5xf32>) -> tensor<6x4x5xf32>
  %5 = nn.flatten %x {start_axis = 0 : i64, end_axis = 1 : i64} : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  // A 0-d operand flattens to one element, as torch.flatten does.
  // CHECK: nn.flatten %{{.*}} {start_axis = 0 : i64} : (tensor<f32>) -> tensor<1xf32>
  %6 = nn.flatten %s {start_axis = 0 : i64} : (tensor<f32>) -> tensor<*xf32>
  // CHECK: nn.flatten %{{.*}} {start_axis = 0 : i64} : (tensor<7xf32>) -> tensor<7xf32>
  %7 = nn.flatten %v {start_axis = 0 : i64} : (tensor<7xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME: -> (tensor<4x3x2xf32>, tensor<4x3x2xf32>, tensor<3x2x4xf32>, tensor<2x4x3xf32>, tensor<5xf32>, tensor<f32>)
func.func @transpose(%x: tensor<2x3x4xf32>, %v: tensor<5xf32>, %s: tensor<f32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // No perm reverses the axes.
  // CHECK: nn.transpose %{{.*}} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %0 = nn.transpose %x : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // An explicit empty perm does too.
  // CHECK: nn.transpose %{{.*}} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %1 = nn.transpose %x {perm = array<i64>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // CHECK: nn.transpose %{{.*}} {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %2 = nn.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // Result axis i is operand axis perm[i].
  // CHECK: nn.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : (tensor<4x3x2xf32>) -> tensor<2x4x3xf32>
  %3 = nn.transpose %0 {perm = array<i64: 2, 0, 1>} : (tensor<*xf32>) -> tensor<*xf32>
  // CHECK: nn.transpose %{{.*}} : (tensor<5xf32>) -> tensor<5xf32>
  %4 = nn.transpose %v : (tensor<5xf32>) -> tensor<*xf32>
  // CHECK: nn.transpose %{{.*}} : (tensor<f32>) -> tensor<f32>
  %5 = nn.transpose %s : (tensor<f32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @concat(
// CHECK-SAME: -> (tensor<6x3xf32>, tensor<2x9xf32>, tensor<2x3xf32>, tensor<2x10x4xi64>, tensor<12x3xf32>)
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<2x5xf32>, %d: tensor<2x1xf32>,
                  %i: tensor<2x3x4xi64>, %j: tensor<2x7x4xi64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>, tensor<*xf32>) {
  // Axis 0 (the default).
  // CHECK: nn.concat %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
  %0 = nn.concat %a, %b : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<*xf32>
  // Three operands along a negative axis.
  // CHECK: nn.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x1xf32>) -> tensor<2x9xf32>
  %1 = nn.concat %a, %c, %d {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x1xf32>) -> tensor<*xf32>
  // A single operand.
  // CHECK: nn.concat %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.concat %a {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<*xf32>
  // CHECK: nn.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xi64>, tensor<2x7x4xi64>) -> tensor<2x10x4xi64>
  %3 = nn.concat %i, %j {axis = 1 : i64} : (tensor<2x3x4xi64>, tensor<2x7x4xi64>) -> tensor<*xi64>
  // Inferred operands.
  // CHECK: nn.concat %{{.*}}, %{{.*}} : (tensor<6x3xf32>, tensor<6x3xf32>) -> tensor<12x3xf32>
  %4 = nn.concat %0, %0 : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>, tensor<*xf32>
}

// slice follows Python: negative bounds count from the end, both clamp to the axis, the
// count is ceil((end - start) / step).
// CHECK-LABEL: func.func @slice(
// CHECK-SAME: -> (tensor<5x8xf32>, tensor<5x8xf32>, tensor<10x3xf32>, tensor<10x3xf32>, tensor<3x8xf32>, tensor<10x8xf32>, tensor<10x1xf32>, tensor<1x8xf32>, tensor<10x2xf32>)
func.func @slice(%x: tensor<10x8xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
        tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // x[2:7]
  // CHECK: nn.slice %{{.*}} {end = 7 : i64, start = 2 : i64} : (tensor<10x8xf32>) -> tensor<5x8xf32>
  %0 = nn.slice %x {axis = 0 : i64, start = 2 : i64, end = 7 : i64} : (tensor<10x8xf32>) -> tensor<*xf32>
  // x[1::2]: indices 1, 3, 5, 7, 9.
  // CHECK: nn.slice %{{.*}} {start = 1 : i64, step = 2 : i64} : (tensor<10x8xf32>) -> tensor<5x8xf32>
  %1 = nn.slice %x {start = 1 : i64, step = 2 : i64} : (tensor<10x8xf32>) -> tensor<*xf32>
  // x[:, -3:]
  // CHECK: nn.slice %{{.*}} {axis = -1 : i64, start = -3 : i64} : (tensor<10x8xf32>) -> tensor<10x3xf32>
  %2 = nn.slice %x {axis = -1 : i64, start = -3 : i64} : (tensor<10x8xf32>) -> tensor<*xf32>
  // x[:, 0:-1:3]: indices 0, 3, 6.
  // CHECK: nn.slice %{{.*}} {axis = 1 : i64, end = -1 : i64, step = 3 : i64} : (tensor<10x8xf32>) -> tensor<10x3xf32>
  %3 = nn.slice %x {axis = 1 : i64, start = 0 : i64, end = -1 : i64, step = 3 : i64} : (tensor<10x8xf32>) -> tensor<*xf32>
  // x[-100:100:4]: both bounds clamp; indices 0, 4, 8.
  // CHECK: nn.slice %{{.*}} {end = 100 : i64, start = -100 : i64, step = 4 : i64} : (tensor<10x8xf32>) -> tensor<3x8xf32>
  %4 = nn.slice %x {start = -100 : i64, end = 100 : i64, step = 4 : i64} : (tensor<10x8xf32>) -> tensor<*xf32>
  // All defaults: the whole axis 0.
  // CHECK: nn.slice %{{.*}} : (tensor<10x8xf32>) -> tensor<10x8xf32>
  %5 = nn.slice %x : (tensor<10x8xf32>) -> tensor<*xf32>
  // x[:, 7:]: the last element.
  // CHECK: nn.slice %{{.*}} {axis = 1 : i64, start = 7 : i64} : (tensor<10x8xf32>) -> tensor<10x1xf32>
  %6 = nn.slice %x {axis = 1 : i64, start = 7 : i64} : (tensor<10x8xf32>) -> tensor<*xf32>
  // x[0:10:20]: a step longer than the range keeps one element.
  // CHECK: nn.slice %{{.*}} {end = 10 : i64, step = 20 : i64} : (tensor<10x8xf32>) -> tensor<1x8xf32>
  %7 = nn.slice %x {end = 10 : i64, step = 20 : i64} : (tensor<10x8xf32>) -> tensor<*xf32>
  // x[:, -5:-2:2]: indices 3, 5.
  // CHECK: nn.slice %{{.*}} {axis = 1 : i64, end = -2 : i64, start = -5 : i64, step = 2 : i64} : (tensor<10x8xf32>) -> tensor<10x2xf32>
  %8 = nn.slice %x {axis = 1 : i64, start = -5 : i64, end = -2 : i64, step = 2 : i64} : (tensor<10x8xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @pad(
// CHECK-SAME: -> (tensor<5x7xf32>, tensor<1x1x32x32xf32>, tensor<2x3xf32>, tensor<4xi64>)
func.func @pad(%x: tensor<2x3xf32>, %img: tensor<1x1x28x28xf32>, %v: tensor<1xi64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>) {
  // CHECK: nn.pad %{{.*}} {high = array<i64: 2, 4>, low = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<5x7xf32>
  %0 = nn.pad %x {low = array<i64: 1, 0>, high = array<i64: 2, 4>} : (tensor<2x3xf32>) -> tensor<*xf32>
  // CHECK: nn.pad %{{.*}} {high = array<i64: 0, 0, 2, 2>, low = array<i64: 0, 0, 2, 2>, value = -1.000000e+00 : f64} : (tensor<1x1x28x28xf32>) -> tensor<1x1x32x32xf32>
  %1 = nn.pad %img {low = array<i64: 0, 0, 2, 2>, high = array<i64: 0, 0, 2, 2>, value = -1.0 : f64} : (tensor<1x1x28x28xf32>) -> tensor<*xf32>
  // CHECK: nn.pad %{{.*}} {high = array<i64: 0, 0>, low = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.pad %x {low = array<i64: 0, 0>, high = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<*xf32>
  // CHECK: nn.pad %{{.*}} {high = array<i64: 3>, low = array<i64: 0>} : (tensor<1xi64>) -> tensor<4xi64>
  %3 = nn.pad %v {low = array<i64: 0>, high = array<i64: 3>} : (tensor<1xi64>) -> tensor<*xi64>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xi64>
}

// CHECK-LABEL: func.func @split(
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<2x5xf32>, tensor<1x4xf32>, tensor<2x4xf32>, tensor<3x4xf32>, tensor<6x4xf32>)
func.func @split(%x: tensor<2x8xf32>, %y: tensor<6x4xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: %{{.*}}:2 = nn.split %{{.*}} {axis = 1 : i64, sections = array<i64: 3, 5>} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  %0, %1 = nn.split %x {axis = 1 : i64, sections = array<i64: 3, 5>} : (tensor<2x8xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  // CHECK: %{{.*}}:3 = nn.split %{{.*}} {axis = -2 : i64, sections = array<i64: 1, 2, 3>} : (tensor<6x4xf32>) -> (tensor<1x4xf32>, tensor<2x4xf32>, tensor<3x4xf32>)
  %2, %3, %4 = nn.split %y {axis = -2 : i64, sections = array<i64: 1, 2, 3>} : (tensor<6x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  // One section: the whole operand (default axis 0).
  // CHECK: nn.split %{{.*}} {sections = array<i64: 6>} : (tensor<6x4xf32>) -> tensor<6x4xf32>
  %5 = nn.split %y {sections = array<i64: 6>} : (tensor<6x4xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>
}
