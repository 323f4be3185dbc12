// nn-infer-shapes on linear, matmul and batch_matmul.
// RUN: nnc-opt --nn-infer-shapes %s | FileCheck %s

// linear: [..., in] x [out, in] (+ [out]) -> [..., out].
// CHECK-LABEL: func.func @linear(
// CHECK-SAME: -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<4xf32>, tensor<2x5x4xf32>, tensor<2x3xf32>)
func.func @linear(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf32>, %v: tensor<8xf32>,
                  %s: tensor<2x5x8xf32>, %w2: tensor<3x4xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  // CHECK: nn.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %0 = nn.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<*xf32>
  // Without bias.
  // CHECK: nn.linear %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  %1 = nn.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<*xf32>
  // A rank-1 input.
  // CHECK: nn.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = nn.linear %v, %w, %b : (tensor<8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<*xf32>
  // Leading axes are kept.
  // CHECK: nn.linear %{{.*}}, %{{.*}} : (tensor<2x5x8xf32>, tensor<4x8xf32>) -> tensor<2x5x4xf32>
  %3 = nn.linear %s, %w : (tensor<2x5x8xf32>, tensor<4x8xf32>) -> tensor<*xf32>
  // Chained on an inferred input.
  // CHECK: nn.linear %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %4 = nn.linear %0, %w2 : (tensor<*xf32>, tensor<3x4xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// matmul: [M, K] x [K, N] -> [M, N], each operand optionally transposed first.
// CHECK-LABEL: func.func @matmul(
// CHECK-SAME: -> (tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x5xf32>, tensor<3x3xf64>)
func.func @matmul(%a: tensor<3x4xf32>, %at: tensor<4x3xf32>, %b: tensor<4x5xf32>,
                  %bt: tensor<5x4xf32>, %d: tensor<3x7xf64>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>) {
  // CHECK: nn.matmul %{{.*}}, %{{.*}} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  // CHECK: nn.matmul %{{.*}}, %{{.*}} {transpose_a = true} : (tensor<4x3xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  %1 = nn.matmul %at, %b {transpose_a = true} : (tensor<4x3xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  // CHECK: nn.matmul %{{.*}}, %{{.*}} {transpose_b = true} : (tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<3x5xf32>
  %2 = nn.matmul %a, %bt {transpose_b = true} : (tensor<3x4xf32>, tensor<5x4xf32>) -> tensor<*xf32>
  // CHECK: nn.matmul %{{.*}}, %{{.*}} {transpose_a = true, transpose_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>) -> tensor<3x5xf32>
  %3 = nn.matmul %at, %bt {transpose_a = true, transpose_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>) -> tensor<*xf32>
  // x . x^T, f64.
  // CHECK: nn.matmul %{{.*}}, %{{.*}} {transpose_b = true} : (tensor<3x7xf64>, tensor<3x7xf64>) -> tensor<3x3xf64>
  %4 = nn.matmul %d, %d {transpose_b = true} : (tensor<3x7xf64>, tensor<3x7xf64>) -> tensor<*xf64>
  return %0, %1, %2, %3, %4 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf64>
}

// batch_matmul: [..., M, K] x [..., K, N] -> [..., M, N], batch axes broadcasting.
// CHECK-LABEL: func.func @batch_matmul(
// CHECK-SAME: -> (tensor<2x3x4x6xf32>, tensor<2x3x4x6xf32>, tensor<7x2x4x6xf32>, tensor<2x4x6xf32>, tensor<8x4x16x10xf32>, tensor<8x4x16x10xf32>, tensor<8x4x16x32xf32>)
func.func @batch_matmul(%a: tensor<2x3x4x5xf32>, %b: tensor<2x3x5x6xf32>, %c: tensor<2x1x4x5xf32>,
                        %d: tensor<3x5x6xf32>, %e: tensor<1x4x5xf32>, %f: tensor<7x2x5x6xf32>,
                        %g: tensor<2x5x4xf32>, %h: tensor<1x5x6xf32>, %q: tensor<8x4x16x32xf32>,
                        %k: tensor<8x4x10x32xf32>, %kt: tensor<8x1x32x10xf32>)
    -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
        tensor<*xf32>) {
  // Equal batch axes.
  // CHECK: nn.batch_matmul %{{.*}}, %{{.*}} : (tensor<2x3x4x5xf32>, tensor<2x3x5x6xf32>) -> tensor<2x3x4x6xf32>
  %0 = nn.batch_matmul %a, %b : (tensor<2x3x4x5xf32>, tensor<2x3x5x6xf32>) -> tensor<*xf32>
  // Batch [2, 1] with [3]: a size-1 axis and rank extension.
  // CHECK: nn.batch_matmul %{{.*}}, %{{.*}} : (tensor<2x1x4x5xf32>, tensor<3x5x6xf32>) -> tensor<2x3x4x6xf32>
  %1 = nn.batch_matmul %c, %d : (tensor<2x1x4x5xf32>, tensor<3x5x6xf32>) -> tensor<*xf32>
  // Batch [1] with [7, 2]: the rhs has more batch axes.
  // CHECK: nn.batch_matmul %{{.*}}, %{{.*}} : (tensor<1x4x5xf32>, tensor<7x2x5x6xf32>) -> tensor<7x2x4x6xf32>
  %2 = nn.batch_matmul %e, %f : (tensor<1x4x5xf32>, tensor<7x2x5x6xf32>) -> tensor<*xf32>
  // transpose_a swaps the last two axes of lhs only.
  // CHECK: nn.batch_matmul %{{.*}}, %{{.*}} {transpose_a = true} : (tensor<2x5x4xf32>, tensor<1x5x6xf32>) -> tensor<2x4x6xf32>
  %3 = nn.batch_matmul %g, %h {transpose_a = true} : (tensor<2x5x4xf32>, tensor<1x5x6xf32>) -> tensor<*xf32>
  // Attention scores q . k^T.
  // CHECK: nn.batch_matmul %{{.*}}, %{{.*}} {transpose_b = true} : (tensor<8x4x16x32xf32>, tensor<8x4x10x32xf32>) -> tensor<8x4x16x10xf32>
  %4 = nn.batch_matmul %q, %k {transpose_b = true} : (tensor<8x4x16x32xf32>, tensor<8x4x10x32xf32>) -> tensor<*xf32>
  // Head axis broadcast from 1, no transpose.
  // CHECK: nn.batch_matmul %{{.*}}, %{{.*}} : (tensor<8x4x16x32xf32>, tensor<8x1x32x10xf32>) -> tensor<8x4x16x10xf32>
  %5 = nn.batch_matmul %q, %kt : (tensor<8x4x16x32xf32>, tensor<8x1x32x10xf32>) -> tensor<*xf32>
  // Both transposed, on inferred operands: lhs [8, 4, 16, 10] transposed is [.., 10, 16],
  // rhs [8, 4, 32, 16] transposed is [.., 16, 32].
  // CHECK: nn.transpose %{{.*}} {perm = array<i64: 0, 1, 3, 2>} : (tensor<8x4x16x32xf32>) -> tensor<8x4x32x16xf32>
  // CHECK: nn.batch_matmul %{{.*}}, %{{.*}} {transpose_a = true, transpose_b = true} : (tensor<8x4x16x10xf32>, tensor<8x4x32x16xf32>) -> tensor<8x4x10x32xf32>
  %qt = nn.transpose %q {perm = array<i64: 0, 1, 3, 2>} : (tensor<8x4x16x32xf32>) -> tensor<*xf32>
  %6 = nn.batch_matmul %4, %qt {transpose_a = true, transpose_b = true} : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  // Plain product with the head axis broadcast back: scores . v.
  // CHECK: nn.batch_matmul %{{.*}}, %{{.*}} : (tensor<8x4x16x10xf32>, tensor<8x4x10x32xf32>) -> tensor<8x4x16x32xf32>
  %7 = nn.batch_matmul %4, %k : (tensor<*xf32>, tensor<8x4x10x32xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4, %5, %7 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>,
      tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// nn.load takes the declared parameter type and nn.constant its value's type; both feed
// the rules downstream.
nn.param @w1 : tensor<4x8xf32> {init = "xavier_uniform", init_args = {}, trainable = true}
nn.param @b1 : tensor<4xf32> {init = "zeros", init_args = {}, trainable = true}

// CHECK-LABEL: func.func @load_constant(
// CHECK-SAME: -> (tensor<2x4xf32>, tensor<2x4xf32>)
func.func @load_constant(%x: tensor<2x8xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  // CHECK: nn.load @w1 : () -> tensor<4x8xf32>
  %w = nn.load @w1 : () -> tensor<*xf32>
  // CHECK: nn.load @b1 : () -> tensor<4xf32>
  %b = nn.load @b1 : () -> tensor<*xf32>
  // CHECK: nn.constant {value = dense<5.000000e-01> : tensor<f32>} : () -> tensor<f32>
  %c = nn.constant {value = dense<5.000000e-01> : tensor<f32>} : () -> tensor<*xf32>
  // CHECK: nn.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %h = nn.linear %x, %w, %b : (tensor<2x8xf32>, tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  // CHECK: nn.mul %{{.*}}, %{{.*}} : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x4xf32>
  %s = nn.mul %h, %c : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
  return %h, %s : tensor<*xf32>, tensor<*xf32>
}
