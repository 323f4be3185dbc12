// Every op of the nn dialect parses, verifies and prints back in its custom form, and the
// generic form converts back to the same custom form.
// RUN: nnc-opt %s | nnc-opt | FileCheck %s
// RUN: nnc-opt %s --mlir-print-op-generic | nnc-opt | FileCheck %s

//===----------------------------------------------------------------------===//
// Module-level ops: param, load, constant, train
//===----------------------------------------------------------------------===//

// CHECK: nn.param @w1 : tensor<4x8xf32> {init = "kaiming_uniform", init_args = {gain = 1.4142135623730951 : f64, mode = "fan_in"}, trainable = true}
nn.param @w1 : tensor<4x8xf32> {init = "kaiming_uniform",
    init_args = {gain = 1.4142135623730951 : f64, mode = "fan_in"}, trainable = true}
// CHECK: nn.param @b1 : tensor<4xf32> {init = "zeros", init_args = {}, trainable = true}
nn.param @b1 : tensor<4xf32> {init = "zeros", init_args = {}, trainable = true}
// CHECK: nn.param @mean : tensor<3xf32> {init = "uniform", init_args = {high = 1.000000e-01 : f64, low = -1.000000e-01 : f64}, trainable = false}
nn.param @mean : tensor<3xf32> {init = "uniform",
    init_args = {low = -1.000000e-01 : f64, high = 1.000000e-01 : f64}, trainable = false}

// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %[[X:.*]]: tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<f32>)
func.func @forward(%x: tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<f32>) {
  // CHECK: %[[W:.*]] = nn.load @w1 : () -> tensor<4x8xf32>
  %w = nn.load @w1 : () -> tensor<4x8xf32>
  // CHECK: %[[B:.*]] = nn.load @b1 : () -> tensor<4xf32>
  %b = nn.load @b1 : () -> tensor<4xf32>
  // CHECK: %[[C:.*]] = nn.constant {value = dense<5.000000e-01> : tensor<f32>} : () -> tensor<f32>
  %c = nn.constant {value = dense<5.000000e-01> : tensor<f32>} : () -> tensor<f32>
  // CHECK: nn.constant {value = dense<{{\[}}1.000000e+00, 2.000000e+00]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = nn.constant {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // CHECK: %[[H:.*]] = nn.linear %[[X]], %[[W]], %[[B]] : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %h = nn.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: return %[[H]], %[[C]] : tensor<2x4xf32>, tensor<f32>
  return %h, %c : tensor<2x4xf32>, tensor<f32>
}

// CHECK: nn.train @forward {frozen = [@w1], hyperparameters = {lr = 5.000000e-02 : f64, momentum = 9.000000e-01 : f64}, loss = "loss", metrics = ["accuracy"], optimizer = "sgd"}
nn.train @forward {loss = "loss", metrics = ["accuracy"], optimizer = "sgd",
    hyperparameters = {lr = 5.000000e-02 : f64, momentum = 9.000000e-01 : f64},
    frozen = [@w1]}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME: %[[A:[^:]*]]: tensor<2x3xf32>, %[[R:[^:]*]]: tensor<3xf32>, %[[S:[^:]*]]: tensor<f32>, %[[I:[^:]*]]: tensor<2x3xi64>)
func.func @elementwise(%a: tensor<2x3xf32>, %r: tensor<3xf32>, %s: tensor<f32>, %i: tensor<2x3xi64>) {
  // CHECK: nn.neg %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = nn.neg %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.exp %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.exp %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.log %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.log %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.sqrt %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = nn.sqrt %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.rsqrt %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = nn.rsqrt %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.abs %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = nn.abs %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.step %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = nn.step %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.sigmoid %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %7 = nn.sigmoid %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.tanh %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %8 = nn.tanh %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.relu %[[A]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %9 = nn.relu %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.leaky_relu %[[A]] {slope = 2.000000e-01 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %10 = nn.leaky_relu %a {slope = 2.000000e-01 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.add %[[A]], %[[R]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %11 = nn.add %a, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.sub %[[A]], %[[S]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %12 = nn.sub %a, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK: nn.mul %[[A]], %[[A]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %13 = nn.mul %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.div %[[S]], %[[A]] : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %14 = nn.div %s, %a : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.pow %[[A]], %[[S]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %15 = nn.pow %a, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK: nn.maximum %[[A]], %[[R]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %16 = nn.maximum %a, %r : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: nn.minimum %[[R]], %[[A]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %17 = nn.minimum %r, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[M:.*]] = nn.compare %[[A]], %[[S]] {predicate = "gt"} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  %m = nn.compare %a, %s {predicate = "gt"} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
  // CHECK: nn.select %[[M]], %[[A]], %[[S]] : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %18 = nn.select %m, %a, %s : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  // CHECK: nn.cast %[[I]] {dtype = "f64"} : (tensor<2x3xi64>) -> tensor<2x3xf64>
  %19 = nn.cast %i {dtype = "f64"} : (tensor<2x3xi64>) -> tensor<2x3xf64>
  // The default dtype (f32) is elided when printed.
  // CHECK: nn.cast %[[I]] : (tensor<2x3xi64>) -> tensor<2x3xf32>
  %20 = nn.cast %i {dtype = "f32"} : (tensor<2x3xi64>) -> tensor<2x3xf32>
  // CHECK: return
  return
}

//===----------------------------------------------------------------------===//
// Linear algebra, softmax and reductions
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @linear_algebra(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x8xf32>, %[[W:[^:]*]]: tensor<4x8xf32>, %[[B:[^:]*]]: tensor<4xf32>, %[[Q:[^:]*]]: tensor<2x3x5x6xf32>, %[[K:[^:]*]]: tensor<3x7x6xf32>)
func.func @linear_algebra(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>,
                          %q: tensor<2x3x5x6xf32>, %k: tensor<3x7x6xf32>) {
  // CHECK: nn.linear %[[X]], %[[W]], %[[B]] : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %0 = nn.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  // CHECK: nn.linear %[[X]], %[[W]] : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %1 = nn.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  // CHECK: nn.matmul %[[X]], %[[W]] {transpose_b = true} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %2 = nn.matmul %x, %w {transpose_b = true} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  // CHECK: nn.batch_matmul %[[Q]], %[[K]] {transpose_b = true} : (tensor<2x3x5x6xf32>, tensor<3x7x6xf32>) -> tensor<2x3x5x7xf32>
  %3 = nn.batch_matmul %q, %k {transpose_b = true} : (tensor<2x3x5x6xf32>, tensor<3x7x6xf32>) -> tensor<2x3x5x7xf32>
  // CHECK: nn.softmax %[[X]] : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = nn.softmax %x {axis = -1 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: nn.log_softmax %[[X]] {axis = 0 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %5 = nn.log_softmax %x {axis = 0 : i64} : (tensor<2x8xf32>) -> tensor<2x8xf32>
  // CHECK: nn.sum %[[Q]] {axes = array<i64: 1, -1>} : (tensor<2x3x5x6xf32>) -> tensor<2x5xf32>
  %6 = nn.sum %q {axes = array<i64: 1, -1>, keepdims = false} : (tensor<2x3x5x6xf32>) -> tensor<2x5xf32>
  // CHECK: nn.mean %[[Q]] {axes = array<i64: 2>, keepdims = true} : (tensor<2x3x5x6xf32>) -> tensor<2x3x1x6xf32>
  %7 = nn.mean %q {axes = array<i64: 2>, keepdims = true} : (tensor<2x3x5x6xf32>) -> tensor<2x3x1x6xf32>
  // CHECK: nn.max %[[X]] : (tensor<2x8xf32>) -> tensor<f32>
  %8 = nn.max %x : (tensor<2x8xf32>) -> tensor<f32>
  // CHECK: nn.argmax %[[X]] : (tensor<2x8xf32>) -> tensor<2xi64>
  %9 = nn.argmax %x {axis = -1 : i64} : (tensor<2x8xf32>) -> tensor<2xi64>
  // CHECK: nn.argmax %[[X]] {axis = 0 : i64, keepdims = true} : (tensor<2x8xf32>) -> tensor<1x8xi64>
  %10 = nn.argmax %x {axis = 0 : i64, keepdims = true} : (tensor<2x8xf32>) -> tensor<1x8xi64>
  // CHECK: return
  return
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @shape_ops(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x4x5xf32>, %[[Y:[^:]*]]: tensor<2x8xf32>, %[[Z:[^:]*]]: tensor<2x4xf32>)
func.func @shape_ops(%x: tensor<2x3x4x5xf32>, %y: tensor<2x8xf32>, %z: tensor<2x4xf32>) {
  // CHECK: nn.reshape %[[X]] {shape = array<i64: 6, -1>} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
  %0 = nn.reshape %x {shape = array<i64: 6, -1>} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
  // CHECK: nn.flatten %[[X]] : (tensor<2x3x4x5xf32>) -> tensor<2x60xf32>
  %1 = nn.flatten %x {start_axis = 1 : i64, end_axis = -1 : i64} : (tensor<2x3x4x5xf32>) -> tensor<2x60xf32>
  // CHECK: nn.flatten %[[X]] {end_axis = 2 : i64, start_axis = 0 : i64} : (tensor<2x3x4x5xf32>) -> tensor<24x5xf32>
  %f = nn.flatten %x {start_axis = 0 : i64, end_axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<24x5xf32>
  // CHECK: nn.transpose %[[X]] {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x3x4x5xf32>) -> tensor<2x4x3x5xf32>
  %2 = nn.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<2x3x4x5xf32>) -> tensor<2x4x3x5xf32>
  // CHECK: nn.concat %[[Y]], %[[Z]], %[[Y]] {axis = 1 : i64} : (tensor<2x8xf32>, tensor<2x4xf32>, tensor<2x8xf32>) -> tensor<2x20xf32>
  %3 = nn.concat %y, %z, %y {axis = 1 : i64} : (tensor<2x8xf32>, tensor<2x4xf32>, tensor<2x8xf32>) -> tensor<2x20xf32>
  // CHECK: nn.slice %[[Y]] {axis = 1 : i64, end = 7 : i64, start = 1 : i64, step = 2 : i64} : (tensor<2x8xf32>) -> tensor<2x3xf32>
  %4 = nn.slice %y {axis = 1 : i64, start = 1 : i64, end = 7 : i64, step = 2 : i64} : (tensor<2x8xf32>) -> tensor<2x3xf32>
  // CHECK: nn.pad %[[Y]] {high = array<i64: 0, 3>, low = array<i64: 1, 2>, value = 1.500000e+00 : f64} : (tensor<2x8xf32>) -> tensor<3x13xf32>
  %5 = nn.pad %y {low = array<i64: 1, 2>, high = array<i64: 0, 3>, value = 1.5 : f64} : (tensor<2x8xf32>) -> tensor<3x13xf32>
  // CHECK: %{{.*}}:2 = nn.split %[[Y]] {axis = 1 : i64, sections = array<i64: 3, 5>} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  %6, %7 = nn.split %y {axis = 1 : i64, sections = array<i64: 3, 5>} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x5xf32>)
  // CHECK: return
  return
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv_pool(
// CHECK-SAME: %[[I1:[^:]*]]: tensor<2x4x10xf32>, %[[W1:[^:]*]]: tensor<6x4x3xf32>, %[[I2:[^:]*]]: tensor<2x3x8x8xf32>, %[[W2:[^:]*]]: tensor<6x3x3x3xf32>, %[[B2:[^:]*]]: tensor<6xf32>)
func.func @conv_pool(%i1: tensor<2x4x10xf32>, %w1: tensor<6x4x3xf32>, %i2: tensor<2x3x8x8xf32>,
                     %w2: tensor<6x3x3x3xf32>, %b2: tensor<6xf32>) {
  // CHECK: nn.conv1d %[[I1]], %[[W1]] {padding = array<i64: 1>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<2x6x10xf32>
  %0 = nn.conv1d %i1, %w1 {padding = array<i64: 1>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<2x6x10xf32>
  // CHECK: nn.conv1d %[[I1]], %[[W1]], %[[B2]] : (tensor<2x4x10xf32>, tensor<6x4x3xf32>, tensor<6xf32>) -> tensor<2x6x8xf32>
  %1 = nn.conv1d %i1, %w1, %b2 : (tensor<2x4x10xf32>, tensor<6x4x3xf32>, tensor<6xf32>) -> tensor<2x6x8xf32>
  // CHECK: nn.conv2d %[[I2]], %[[W2]], %[[B2]] {padding = array<i64: 1, 1>, stride = array<i64: 2>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>, tensor<6xf32>) -> tensor<2x6x4x4xf32>
  %2 = nn.conv2d %i2, %w2, %b2 {stride = array<i64: 2>, padding = array<i64: 1, 1>, dilation = array<i64: 1>, groups = 1 : i64}
      : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>, tensor<6xf32>) -> tensor<2x6x4x4xf32>
  // CHECK: nn.conv2d %[[I2]], %[[W2]] : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x6x6xf32>
  %3 = nn.conv2d %i2, %w2 : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x6x6xf32>
  // CHECK: nn.max_pool1d %[[I1]] {kernel = array<i64: 2>} : (tensor<2x4x10xf32>) -> tensor<2x4x5xf32>
  %4 = nn.max_pool1d %i1 {kernel = array<i64: 2>} : (tensor<2x4x10xf32>) -> tensor<2x4x5xf32>
  // CHECK: nn.max_pool2d %[[I2]] {kernel = array<i64: 3>, padding = array<i64: 1>, stride = array<i64: 2>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x4x4xf32>
  %5 = nn.max_pool2d %i2 {kernel = array<i64: 3>, stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x4x4xf32>
  // CHECK: nn.avg_pool2d %[[I2]] {count_include_pad = false, kernel = array<i64: 2>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x4x4xf32>
  %6 = nn.avg_pool2d %i2 {kernel = array<i64: 2>, count_include_pad = false} : (tensor<2x3x8x8xf32>) -> tensor<2x3x4x4xf32>
  // CHECK: nn.global_avg_pool %[[I2]] : (tensor<2x3x8x8xf32>) -> tensor<2x3xf32>
  %7 = nn.global_avg_pool %i2 : (tensor<2x3x8x8xf32>) -> tensor<2x3xf32>
  // CHECK: return
  return
}

//===----------------------------------------------------------------------===//
// Normalization, regularization, embeddings
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @normalization(
// CHECK-SAME: %[[X:[^:]*]]: tensor<2x3x4x4xf32>, %[[C:[^:]*]]: tensor<3xf32>, %[[S:[^:]*]]: tensor<2x5x6xf32>, %[[G:[^:]*]]: tensor<6xf32>, %[[T:[^:]*]]: tensor<2x5xi64>, %[[E:[^:]*]]: tensor<10x6xf32>)
func.func @normalization(%x: tensor<2x3x4x4xf32>, %c: tensor<3xf32>, %s: tensor<2x5x6xf32>,
                         %g: tensor<6xf32>, %t: tensor<2x5xi64>, %e: tensor<10x6xf32>) {
  // CHECK: nn.batch_norm %[[X]], %[[C]], %[[C]], %[[C]], %[[C]] {eps = 1.000000e-03 : f64, momentum = 2.000000e-01 : f64} : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  %0 = nn.batch_norm %x, %c, %c, %c, %c {eps = 1.0e-03 : f64, momentum = 2.0e-01 : f64}
      : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  // CHECK: nn.layer_norm %[[S]], %[[G]], %[[G]] {eps = 1.000000e-03 : f64} : (tensor<2x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x5x6xf32>
  %1 = nn.layer_norm %s, %g, %g {eps = 1.0e-03 : f64} : (tensor<2x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x5x6xf32>
  // CHECK: nn.dropout %[[S]] {p = 2.500000e-01 : f64} : (tensor<2x5x6xf32>) -> tensor<2x5x6xf32>
  %2 = nn.dropout %s {p = 2.500000e-01 : f64} : (tensor<2x5x6xf32>) -> tensor<2x5x6xf32>
  // CHECK: nn.embedding %[[T]], %[[E]] : (tensor<2x5xi64>, tensor<10x6xf32>) -> tensor<2x5x6xf32>
  %3 = nn.embedding %t, %e : (tensor<2x5xi64>, tensor<10x6xf32>) -> tensor<2x5x6xf32>
  // CHECK: return
  return
}

//===----------------------------------------------------------------------===//
// Losses and metrics
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @losses(
// CHECK-SAME: %[[L:[^:]*]]: tensor<4x10xf32>, %[[Y:[^:]*]]: tensor<4xi64>, %[[P:[^:]*]]: tensor<4x1xf32>, %[[T:[^:]*]]: tensor<4x1xf32>)
func.func @losses(%logits: tensor<4x10xf32>, %y: tensor<4xi64>, %p: tensor<4x1xf32>, %t: tensor<4x1xf32>) {
  // CHECK: nn.cross_entropy %[[L]], %[[Y]] {label_smoothing = 1.000000e-01 : f64} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  %0 = nn.cross_entropy %logits, %y {reduction = "mean", label_smoothing = 1.000000e-01 : f64} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  // CHECK: nn.nll %[[L]], %[[Y]] {reduction = "none"} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<4xf32>
  %1 = nn.nll %logits, %y {reduction = "none"} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<4xf32>
  // CHECK: nn.mse %[[P]], %[[T]] : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  %2 = nn.mse %p, %t : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  // CHECK: nn.bce_with_logits %[[P]], %[[T]] {reduction = "sum"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  %3 = nn.bce_with_logits %p, %t {reduction = "sum"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  // CHECK: nn.hinge %[[P]], %[[T]] {margin = 0.000000e+00 : f64, reduction = "none"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %4 = nn.hinge %p, %t {margin = 0.0 : f64, reduction = "none"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  // CHECK: nn.accuracy %[[L]], %[[Y]] : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  %5 = nn.accuracy %logits, %y : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  // CHECK: nn.binary_accuracy %[[P]], %[[T]] : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  %6 = nn.binary_accuracy %p, %t : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  // CHECK: return
  return
}
