// nn-infer-shapes on the losses and metrics: mean and sum reduce to 0-d, none keeps the
// per-example shape (the class axis, last, is dropped for class losses).
// RUN: nnc-opt --nn-infer-shapes %s | FileCheck %s

// CHECK-LABEL: func.func @class_losses(
// CHECK-SAME: -> (tensor<f32>, tensor<4xf32>, tensor<f32>, tensor<2x5xf32>, tensor<f64>, tensor<f32>, tensor<f32>, tensor<4xf32>, tensor<2x5xf32>, tensor<f32>, tensor<f32>)
func.func @class_losses(%logits: tensor<4x10xf32>, %y: tensor<4xi64>, %seq: tensor<2x5x10xf32>,
                        %ys: tensor<2x5xi32>, %ld: tensor<4x3xf64>, %c: tensor<10xf32>,
                        %y0: tensor<i64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>, tensor<*xf32>,
        tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // Default reduction (mean).
  // CHECK: nn.cross_entropy %{{.*}}, %{{.*}} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  %0 = nn.cross_entropy %logits, %y : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<*xf32>
  // CHECK: nn.cross_entropy %{{.*}}, %{{.*}} {reduction = "none"} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<4xf32>
  %1 = nn.cross_entropy %logits, %y {reduction = "none"} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<*xf32>
  // CHECK: nn.cross_entropy %{{.*}}, %{{.*}} {label_smoothing = 1.000000e-01 : f64, reduction = "sum"} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  %2 = nn.cross_entropy %logits, %y {reduction = "sum", label_smoothing = 0.1 : f64} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<*xf32>
  // Sequence logits [N, T, C] with labels [N, T].
  // CHECK: nn.cross_entropy %{{.*}}, %{{.*}} {reduction = "none"} : (tensor<2x5x10xf32>, tensor<2x5xi32>) -> tensor<2x5xf32>
  %3 = nn.cross_entropy %seq, %ys {reduction = "none"} : (tensor<2x5x10xf32>, tensor<2x5xi32>) -> tensor<*xf32>
  // The loss has the logits' element type.
  // CHECK: nn.cross_entropy %{{.*}}, %{{.*}} : (tensor<4x3xf64>, tensor<4xi64>) -> tensor<f64>
  %4 = nn.cross_entropy %ld, %y {reduction = "mean"} : (tensor<4x3xf64>, tensor<4xi64>) -> tensor<*xf64>
  // One example: rank-1 logits and a 0-d label.
  // CHECK: nn.cross_entropy %{{.*}}, %{{.*}} {reduction = "none"} : (tensor<10xf32>, tensor<i64>) -> tensor<f32>
  %5 = nn.cross_entropy %c, %y0 {reduction = "none"} : (tensor<10xf32>, tensor<i64>) -> tensor<*xf32>
  // nll on inferred log-probabilities.
  // CHECK: nn.log_softmax %{{.*}} : (tensor<4x10xf32>) -> tensor<4x10xf32>
  %lp = nn.log_softmax %logits : (tensor<4x10xf32>) -> tensor<*xf32>
  // CHECK: nn.nll %{{.*}}, %{{.*}} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  %6 = nn.nll %lp, %y : (tensor<*xf32>, tensor<4xi64>) -> tensor<*xf32>
  // CHECK: nn.nll %{{.*}}, %{{.*}} {reduction = "none"} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<4xf32>
  %7 = nn.nll %lp, %y {reduction = "none"} : (tensor<*xf32>, tensor<4xi64>) -> tensor<*xf32>
  // CHECK: nn.nll %{{.*}}, %{{.*}} {reduction = "none"} : (tensor<2x5x10xf32>, tensor<2x5xi32>) -> tensor<2x5xf32>
  %8 = nn.nll %seq, %ys {reduction = "none"} : (tensor<2x5x10xf32>, tensor<2x5xi32>) -> tensor<*xf32>
  // CHECK: nn.nll %{{.*}}, %{{.*}} {reduction = "sum"} : (tensor<2x5x10xf32>, tensor<2x5xi32>) -> tensor<f32>
  %9 = nn.nll %seq, %ys {reduction = "sum"} : (tensor<2x5x10xf32>, tensor<2x5xi32>) -> tensor<*xf32>
  // The losses chain into further ops.
  // CHECK: nn.mean %{{.*}} : (tensor<2x5xf32>) -> tensor<f32>
  %10 = nn.mean %3 : (tensor<*xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf64>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>
}

// CHECK-LABEL: func.func @pair_losses(
// CHECK-SAME: -> (tensor<f32>, tensor<4x1xf32>, tensor<f32>, tensor<f32>, tensor<4x1xf32>, tensor<f32>, tensor<4x1xf32>, tensor<3x2xf64>)
func.func @pair_losses(%p: tensor<4x1xf32>, %t: tensor<4x1xf32>, %pd: tensor<3x2xf64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
        tensor<*xf32>, tensor<*xf64>) {
  // CHECK: nn.mse %{{.*}}, %{{.*}} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  %0 = nn.mse %p, %t : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  // CHECK: nn.mse %{{.*}}, %{{.*}} {reduction = "none"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %1 = nn.mse %p, %t {reduction = "none"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  // CHECK: nn.mse %{{.*}}, %{{.*}} {reduction = "sum"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  %2 = nn.mse %p, %t {reduction = "sum"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  // CHECK: nn.bce_with_logits %{{.*}}, %{{.*}} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  %3 = nn.bce_with_logits %p, %t {reduction = "mean"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  // CHECK: nn.bce_with_logits %{{.*}}, %{{.*}} {reduction = "none"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %4 = nn.bce_with_logits %p, %t {reduction = "none"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  // CHECK: nn.hinge %{{.*}}, %{{.*}} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  %5 = nn.hinge %p, %t : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  // CHECK: nn.hinge %{{.*}}, %{{.*}} {margin = 0.000000e+00 : f64, reduction = "none"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  %6 = nn.hinge %p, %t {margin = 0.0 : f64, reduction = "none"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  // CHECK: nn.mse %{{.*}}, %{{.*}} {reduction = "none"} : (tensor<3x2xf64>, tensor<3x2xf64>) -> tensor<3x2xf64>
  %7 = nn.mse %pd, %pd {reduction = "none"} : (tensor<3x2xf64>, tensor<3x2xf64>) -> tensor<*xf64>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>
}

// Metrics are always a 0-d f32.
// CHECK-LABEL: func.func @metrics(
// CHECK-SAME: -> (tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>)
func.func @metrics(%logits: tensor<4x10xf32>, %y: tensor<4xi64>, %ld: tensor<2x5x3xf64>,
                   %ys: tensor<2x5xi32>, %s: tensor<4x1xf32>, %t: tensor<4x1xf32>,
                   %sd: tensor<6xf64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: nn.accuracy %{{.*}}, %{{.*}} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<f32>
  %0 = nn.accuracy %logits, %y : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<*xf32>
  // f64 logits still give an f32 accuracy.
  // CHECK: nn.accuracy %{{.*}}, %{{.*}} : (tensor<2x5x3xf64>, tensor<2x5xi32>) -> tensor<f32>
  %1 = nn.accuracy %ld, %ys : (tensor<2x5x3xf64>, tensor<2x5xi32>) -> tensor<*xf32>
  // CHECK: nn.binary_accuracy %{{.*}}, %{{.*}} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  %2 = nn.binary_accuracy %s, %t : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  // CHECK: nn.binary_accuracy %{{.*}}, %{{.*}} : (tensor<6xf64>, tensor<6xf64>) -> tensor<f32>
  %3 = nn.binary_accuracy %sd, %sd : (tensor<6xf64>, tensor<6xf64>) -> tensor<*xf32>
  // On inferred scores.
  // CHECK: nn.linear %{{.*}}, %{{.*}} : (tensor<4x10xf32>, tensor<1x10xf32>) -> tensor<4x1xf32>
  // CHECK: nn.binary_accuracy %{{.*}}, %{{.*}} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<f32>
  %w = nn.constant {value = dense<1.0> : tensor<1x10xf32>} : () -> tensor<1x10xf32>
  %sc = nn.linear %logits, %w : (tensor<4x10xf32>, tensor<1x10xf32>) -> tensor<*xf32>
  %4 = nn.binary_accuracy %sc, %t : (tensor<*xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}
