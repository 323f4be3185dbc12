// RUN: nnc-opt --nn-gemm-to-call %s | FileCheck %s
// RUN: nnc-opt --nn-gemm-to-call="prefix=nnc_cuda_gemm" %s | FileCheck %s --check-prefix=CUDA
// RUN: nnc-opt --nn-gemm-to-call="bias-epilogue=true" %s | FileCheck %s --check-prefix=BIAS
// Bufferized products C += A · B become calls of the runtime's kernels with (batch, m, n, k, transA,
// transB, accumulate, A, B, C): a linear layer (weight stored (n, k): transB) and a batched product
// (f64); a body that is not a plain multiply-add stays a loop nest.

// CUDA-LABEL: func.func @linear
// CUDA: call @nnc_cuda_gemm_f32(
// CHECK-LABEL: func.func @linear
// CHECK: call @nnc_cpu_gemm_f32(%c1_i64, %c4_i64, %c3_i64, %c5_i64, %c0_i64, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %{{.*}}, %{{.*}}, %{{.*}})
// CHECK-NOT: linalg.generic
#x = affine_map<(m, n, k) -> (m, k)>
#w = affine_map<(m, n, k) -> (n, k)>
#y = affine_map<(m, n, k) -> (m, n)>
func.func @linear(%x: memref<4x5xf32>, %w: memref<3x5xf32>, %y: memref<4x3xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x5xf32>, memref<3x5xf32>) outs(%y : memref<4x3xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// CHECK-LABEL: func.func @batched
// CHECK: call @nnc_cpu_gemm_f64(%c2_i64, %c4_i64, %c3_i64, %c5_i64, %c1_i64, %c0_i64,
#ba = affine_map<(b, m, n, k) -> (b, k, m)>
#bb = affine_map<(b, m, n, k) -> (b, k, n)>
#bc = affine_map<(b, m, n, k) -> (b, m, n)>
func.func @batched(%a: memref<2x5x4xf64>, %b: memref<2x5x3xf64>, %c: memref<2x4x3xf64>) {
  linalg.generic {indexing_maps = [#ba, #bb, #bc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x5x4xf64>, memref<2x5x3xf64>) outs(%c : memref<2x4x3xf64>) {
  ^bb0(%x: f64, %y: f64, %acc: f64):
    %p = arith.mulf %x, %y : f64
    %s = arith.addf %p, %acc : f64
    linalg.yield %s : f64
  }
  return
}

// CHECK-LABEL: func.func @relu_fused
// CHECK-NOT: call
// CHECK: linalg.generic
func.func @relu_fused(%x: memref<4x5xf32>, %w: memref<3x5xf32>, %y: memref<4x3xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x5xf32>, memref<3x5xf32>) outs(%y : memref<4x3xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %z : f32
    %p = arith.mulf %r, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A zero fill of C right before the product only clears it: the fill goes and the call
// overwrites C (accumulate = 0, the 7th argument); a linear layer's bias start (above)
// keeps accumulate = 1.
// CHECK-LABEL: func.func @cleared
// CHECK-NOT: linalg.fill
// CHECK: call @nnc_cpu_gemm_f32(%c1_i64, %c4_i64, %c3_i64, %c5_i64, %c0_i64, %c0_i64{{[_0-9]*}}, %c0_i64{{[_0-9]*}},
func.func @cleared(%a: memref<4x5xf32>, %b: memref<5x3xf32>, %c: memref<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x3xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%c : memref<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A bias broadcast into C right before the product (a linear layer's bias along the
// columns; a convolution's along the rows) becomes the kernel's epilogue with
// bias-epilogue: the broadcast goes, the call gets mode (0 rows / 1 columns) and the
// bias buffer. Without the option it stays a loop nest and the product accumulates.
// BIAS-LABEL: func.func @linear_bias
// BIAS-NOT: linalg.generic
// BIAS: call @nnc_cpu_gemm_bias_f32(%c1_i64, %c4_i64, %c3_i64, %c5_i64, %c0_i64, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// BIAS-LABEL: func.func @conv_bias
// BIAS: call @nnc_cpu_gemm_bias_f32(%c1_i64, %c3_i64, %c4_i64, %c5_i64, %c0_i64, %c0_i64{{[_0-9]*}}, %c0_i64{{[_0-9]*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// BIAS-LABEL: func.func @read_between
// BIAS: linalg.generic
// BIAS: memref.load
// BIAS: call @nnc_cpu_gemm_f32(
// CHECK-LABEL: func.func @linear_bias
// CHECK: linalg.generic
// CHECK: call @nnc_cpu_gemm_f32(
#bcol = affine_map<(m, n) -> (n)>
#brow = affine_map<(m, n) -> (m)>
#id2 = affine_map<(m, n) -> (m, n)>
func.func @linear_bias(%x: memref<4x5xf32>, %w: memref<3x5xf32>, %b: memref<3xf32>, %y: memref<4x3xf32>) {
  linalg.generic {indexing_maps = [#bcol, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<3xf32>) outs(%y : memref<4x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x5xf32>, memref<3x5xf32>) outs(%y : memref<4x3xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %p = arith.mulf %a, %bb : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

#wa = affine_map<(m, n, k) -> (m, k)>
#cb = affine_map<(m, n, k) -> (k, n)>
#co = affine_map<(m, n, k) -> (m, n)>
func.func @conv_bias(%w: memref<3x5xf32>, %col: memref<5x4xf32>, %b: memref<3xf32>, %y: memref<3x4xf32>) {
  linalg.generic {indexing_maps = [#brow, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<3xf32>) outs(%y : memref<3x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#wa, #cb, #co], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%w, %col : memref<3x5xf32>, memref<5x4xf32>) outs(%y : memref<3x4xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %p = arith.mulf %a, %bb : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// C is read between the broadcast and the product: the broadcast must stay.
func.func @read_between(%x: memref<4x5xf32>, %w: memref<3x5xf32>, %b: memref<3xf32>, %y: memref<4x3xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  linalg.generic {indexing_maps = [#bcol, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<3xf32>) outs(%y : memref<4x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %v = memref.load %y[%c0, %c0] : memref<4x3xf32>
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x5xf32>, memref<3x5xf32>) outs(%y : memref<4x3xf32>) {
  ^bb0(%a: f32, %bb: f32, %acc: f32):
    %p = arith.mulf %a, %bb : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return %v : f32
}
