// RUN: nnc-opt --nn-collapse-parallel-dims %s | FileCheck %s
// An elementwise update of a [512, 512, 3, 3] weight becomes one loop over 2359296
// elements (no index divisions in the kernel); a per-channel scale of [N, C, H, W]
// keeps C apart (its operand is indexed by it alone) and merges H and W.
// CHECK-LABEL: func.func @update
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2, 3]] : tensor<512x512x3x3xf32> into tensor<2359296xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel"]}
// CHECK: tensor.expand_shape {{.*}} into tensor<512x512x3x3xf32>
// CHECK-LABEL: func.func @scale
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<8x4x36xf32>, tensor<4xf32>)
#id = affine_map<(a, b, c, d) -> (a, b, c, d)>
#ch = affine_map<(a, b, c, d) -> (b)>
func.func @update(%w: tensor<512x512x3x3xf32>, %g: tensor<512x512x3x3xf32>) -> tensor<512x512x3x3xf32> {
  %lr = arith.constant 0.1 : f32
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%g : tensor<512x512x3x3xf32>) outs(%w : tensor<512x512x3x3xf32>) {
  ^bb0(%gi: f32, %wi: f32):
    %s = arith.mulf %gi, %lr : f32
    %n = arith.subf %wi, %s : f32
    linalg.yield %n : f32
  } -> tensor<512x512x3x3xf32>
  return %r : tensor<512x512x3x3xf32>
}
func.func @scale(%x: tensor<8x4x6x6xf32>, %s: tensor<4xf32>, %o: tensor<8x4x6x6xf32>) -> tensor<8x4x6x6xf32> {
  %r = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : tensor<8x4x6x6xf32>, tensor<4xf32>) outs(%o : tensor<8x4x6x6xf32>) {
  ^bb0(%xi: f32, %si: f32, %oi: f32):
    %m = arith.mulf %xi, %si : f32
    linalg.yield %m : f32
  } -> tensor<8x4x6x6xf32>
  return %r : tensor<8x4x6x6xf32>
}
