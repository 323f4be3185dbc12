// RUN: nnc-opt --nn-lower-to-linalg=conv-as-gemm=true %s | FileCheck %s
// RUN: nnc-opt --nn-lower-to-linalg %s | FileCheck %s --check-prefix=LOOPS
// With conv-as-gemm, an ungrouped conv2d becomes im2col columns (c, kh, kw, n, oh, ow)
// read from the padded input, one plain matrix product W[4, 27] · col[27, 32] (what
// nn-gemm-to-call takes) and a transpose back to NCHW. A grouped conv keeps its loop
// nest, as does every conv without the option.

// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d0, d4 * 2 + d1, d5 * 2 + d2)>
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @conv
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[COL]], {{.*}}]{{.*}} outs(%{{.*}} : tensor<3x3x3x2x4x4xf32>)
// CHECK: tensor.expand_shape {{.*}} into tensor<27x32xf32>
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], {{.*}}], iterator_types = ["parallel", "parallel", "reduction"]} ins({{.*}} : tensor<4x27xf32>, tensor<27x32xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: -> tensor<2x4x4x4xf32>
// LOOPS-LABEL: func.func @conv
// LOOPS: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
func.func @conv(%x: tensor<2x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x4x4x4xf32> {
  %0 = nn.conv2d %x, %w {stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x4x4xf32>
  return %0 : tensor<2x4x4x4xf32>
}

// CHECK-LABEL: func.func @grouped
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
func.func @grouped(%x: tensor<2x4x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<2x4x6x6xf32> {
  %0 = nn.conv2d %x, %w {groups = 2 : i64} : (tensor<2x4x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<2x4x6x6xf32>
  return %0 : tensor<2x4x6x6xf32>
}
