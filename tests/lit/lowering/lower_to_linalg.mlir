// RUN: nnc-opt --nn-lower-to-linalg --split-input-file --verify-diagnostics %s | FileCheck %s
// A few representative lowerings (every op is checked numerically against the
// interpreter by nnc_codegen_tests): a broadcasting elementwise op, linear (bias as the
// accumulator's start), conv2d (one contraction over the padded input), max pooling
// (window sizes from a shape-only operand), and the error for an op left over.

// CHECK-LABEL: func.func @relu_add
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel"]}
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.cmpf olt
// CHECK: arith.select
// CHECK-NOT: nn.
func.func @relu_add(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = nn.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = nn.relu %0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @linear
// CHECK: %[[BIAS:.*]] = linalg.generic
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: outs(%[[BIAS]] : tensor<4x5xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @linear(%x: tensor<4x3xf32>, %w: tensor<5x3xf32>, %b: tensor<5xf32>) -> tensor<4x5xf32> {
  %0 = nn.linear %x, %w, %b : (tensor<4x3xf32>, tensor<5x3xf32>, tensor<5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d5, d3 * 2 + d6, d4 * 2 + d7)>
// CHECK-LABEL: func.func @conv
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
func.func @conv(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x4x4xf32> {
  %0 = nn.conv2d %x, %w {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x4x4xf32>
  return %0 : tensor<2x4x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @pool
// CHECK: %[[WIN:.*]] = tensor.empty() : tensor<2x2xi8>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[WIN]] : tensor<1x2x4x4xf32>, tensor<2x2xi8>)
// CHECK: arith.maximumf
func.func @pool(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %0 = nn.max_pool2d %x {kernel = array<i64: 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// -----

// State must be externalized first (nn-externalize-state).
nn.param @w : tensor<3xf32> {init = "zeros", init_args = {}, trainable = true}
func.func @forward() -> tensor<3xf32> {
  // expected-error @+1 {{the CPU backend cannot lower this op}}
  %0 = nn.load @w : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
