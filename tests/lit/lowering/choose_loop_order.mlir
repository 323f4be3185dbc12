// RUN: nnc-opt --nn-choose-loop-order %s | FileCheck %s
// The weight gradient of a linear layer, dW[n, k] = Σ_m dy[m, n] · x[m, k], is built
// with loops (n, k | m): m innermost strides through both inputs. The pass moves k
// (unit stride in x and in the output) innermost. A dot-product-like contraction keeps
// its reduction innermost and gets reassoc/contract for vectorization.

#dy = affine_map<(d0, d1, d2) -> (d2, d0)>
#x = affine_map<(d0, d1, d2) -> (d2, d1)>
#out = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[DY:.*]] = affine_map<(d0, d1, d2) -> (d1, d0)>
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @weight_gradient
// CHECK: linalg.generic {indexing_maps = [#[[DY]], #[[X]], #[[OUT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-NOT: fastmath
func.func @weight_gradient(%dy: tensor<64x10xf32>, %x: tensor<64x512xf32>, %init: tensor<10x512xf32>) -> tensor<10x512xf32> {
  %0 = linalg.generic {indexing_maps = [#dy, #x, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%dy, %x : tensor<64x10xf32>, tensor<64x512xf32>) outs(%init : tensor<10x512xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<10x512xf32>
  return %0 : tensor<10x512xf32>
}

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @dot_products
// CHECK: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.mulf %{{.*}}, %{{.*}} fastmath<reassoc,contract>
// CHECK: arith.addf %{{.*}}, %{{.*}} fastmath<reassoc,contract>
func.func @dot_products(%x: tensor<64x784xf32>, %w: tensor<512x784xf32>, %init: tensor<64x512xf32>) -> tensor<64x512xf32> {
  %0 = linalg.generic {indexing_maps = [#a, #b, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<64x784xf32>, tensor<512x784xf32>) outs(%init : tensor<64x512xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x512xf32>
  return %0 : tensor<64x512xf32>
}
