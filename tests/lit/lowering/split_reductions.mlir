// RUN: nnc-opt --nn-split-reductions %s | FileCheck %s
// RUN: nnc-opt --nn-split-reductions=threads=64 %s | FileCheck %s --check-prefix=T64
// A bias gradient (6 channels, each summed over 256 x 28 x 28 elements): H and W merge
// into one loop of 784, the batch loop splits into 256 chunks (the largest divisor
// within max-chunks, with 6 x chunks within `threads`; H·W would give only 24, as its
// runs must hold min-run elements), and as those partial sums still cover 784 > max-serial
// elements, H·W splits again into 16 runs of 49 (6 x 256 x 16 threads within `threads`).
// Two sums of the chunks follow; the last goes into the original accumulator.
// CHECK-LABEL: func.func @bias_grad
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0], [1], [2, 3]]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<6x256xf32>)
// CHECK: %[[X:.*]] = tensor.expand_shape %{{.*}} output_shape [256, 1, 6, 16, 49]
// CHECK: %[[P0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<6x256x16xf32>)
// CHECK: %[[P:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "reduction", "parallel", "parallel"]} ins(%[[X]] : tensor<256x1x6x16x49xf32>) outs(%[[P0]] : tensor<6x256x16xf32>)
// CHECK: arith.addf
// CHECK: %[[Q:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[P]] : tensor<6x256x16xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[Q]] : tensor<6x256xf32>) outs(%arg1 : tensor<6xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: arith.addf %[[ACC]], %[[IN]] : f32
// With threads=64: 64 / 6 = 10 chunks at most, and 256 has 8 as its largest such divisor.
// T64-LABEL: func.func @bias_grad
// T64: tensor<6x8xf32>
#in = affine_map<(c, n, h, w) -> (n, c, h, w)>
#out = affine_map<(c, n, h, w) -> (c)>
func.func @bias_grad(%dy: tensor<256x6x28x28xf32>, %init: tensor<6xf32>) -> tensor<6xf32> {
  %r = linalg.generic {indexing_maps = [#in, #out], iterator_types = ["parallel", "reduction", "reduction", "reduction"]}
      ins(%dy : tensor<256x6x28x28xf32>) outs(%init : tensor<6xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  } -> tensor<6xf32>
  return %r : tensor<6xf32>
}

// A maximum over a long row keeps its combiner: partials start at -inf; each of the 256
// chunks is a run of 256 neighbouring elements.
// CHECK-LABEL: func.func @row_max
// CHECK: tensor.expand_shape {{.*}} output_shape [4, 256, 256]
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.*}} : tensor<4x256x256xf32>) outs(%{{.*}} : tensor<4x256xf32>)
// CHECK: arith.maximumf
// CHECK: arith.maximumf
#rin = affine_map<(i, j) -> (i, j)>
#rout = affine_map<(i, j) -> (i)>
func.func @row_max(%x: tensor<4x65536xf32>, %init: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [#rin, #rout], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x65536xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %m = arith.maximumf %acc, %v : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// Left alone: many outputs (a softmax-like row sum over 10), a short reduction, a matrix
// product (cuBLAS's), and a body that reads the loop index.
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: linalg.generic
#mA = affine_map<(i, j, k) -> (i, k)>
#mB = affine_map<(i, j, k) -> (k, j)>
#mC = affine_map<(i, j, k) -> (i, j)>
func.func @left_alone(%x: tensor<4096x10xf32>, %init: tensor<4096xf32>, %a: tensor<4x8192xf32>, %b: tensor<8192x4xf32>,
                      %c: tensor<4x4xf32>, %y: tensor<1x8192xf32>, %z: tensor<1xf32>)
    -> (tensor<4096xf32>, tensor<4x4xf32>, tensor<1xf32>) {
  %0 = linalg.generic {indexing_maps = [#rin, #rout], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4096x10xf32>) outs(%init : tensor<4096xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %s = arith.addf %acc, %v : f32
    linalg.yield %s : f32
  } -> tensor<4096xf32>
  %1 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8192xf32>, tensor<8192x4xf32>) outs(%c : tensor<4x4xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<4x4xf32>
  %2 = linalg.generic {indexing_maps = [#rin, #rout], iterator_types = ["parallel", "reduction"]}
      ins(%y : tensor<1x8192xf32>) outs(%z : tensor<1xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %j = linalg.index 1 : index
    %ji = arith.index_cast %j : index to i64
    %jf = arith.sitofp %ji : i64 to f32
    %t = arith.mulf %v, %jf : f32
    %s = arith.addf %acc, %t : f32
    linalg.yield %s : f32
  } -> tensor<1xf32>
  return %0, %1, %2 : tensor<4096xf32>, tensor<4x4xf32>, tensor<1xf32>
}
