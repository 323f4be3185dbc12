// RUN: nnc-opt --nn-fuse-elementwise %s | FileCheck %s --check-prefixes=CHECK,CPU
// RUN: nnc-opt --nn-fuse-elementwise=recompute-elementwise=true %s | FileCheck %s --check-prefixes=CHECK,GPU
// Elementwise chains fuse (exp then negation: one generic), but the ReLU feeding a
// matrix product stays its own op, so that the product remains a plain multiply-add.
// An exp feeding a sum fuses into it. With recompute-elementwise (CUDA) a value used by
// two elementwise ops is computed in both.

// CHECK-LABEL: func.func @chain
// CHECK: linalg.generic
// CHECK: math.exp
// CHECK-NEXT: arith.negf
// CHECK-NOT: linalg.generic
#id = affine_map<(i) -> (i)>
func.func @chain(%x: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.negf %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %b : tensor<8xf32>
}

// CHECK-LABEL: func.func @relu_then_product
// CHECK: arith.maximumf
// CHECK: linalg.yield
// CHECK: linalg.generic
// CHECK-SAME: "reduction"
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.addf
#x2 = affine_map<(m, k) -> (m, k)>
#x = affine_map<(m, n, k) -> (m, k)>
#w = affine_map<(m, n, k) -> (n, k)>
#y = affine_map<(m, n, k) -> (m, n)>
func.func @relu_then_product(%x: tensor<4x5xf32>, %w: tensor<3x5xf32>, %y: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x5xf32>
  %z = arith.constant 0.0 : f32
  %r = linalg.generic {indexing_maps = [#x2, #x2], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x5xf32>) outs(%e : tensor<4x5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %z : f32
    linalg.yield %m : f32
  } -> tensor<4x5xf32>
  %p = linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%r, %w : tensor<4x5xf32>, tensor<3x5xf32>) outs(%y : tensor<4x3xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %q = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %q : f32
    linalg.yield %s : f32
  } -> tensor<4x3xf32>
  return %p : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @exp_then_sum
// CHECK: linalg.generic
// CHECK-SAME: "reduction"
// CHECK: math.exp
// CHECK-NOT: linalg.generic
#row = affine_map<(i, j) -> (i, j)>
#sum = affine_map<(i, j) -> (i)>
func.func @exp_then_sum(%x: tensor<4x5xf32>, %acc: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4x5xf32>
  %x2 = linalg.generic {indexing_maps = [#row, #row], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x5xf32>) outs(%e : tensor<4x5xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<4x5xf32>
  %s = linalg.generic {indexing_maps = [#row, #sum], iterator_types = ["parallel", "reduction"]} ins(%x2 : tensor<4x5xf32>) outs(%acc : tensor<4xf32>) {
  ^bb0(%v: f32, %a: f32):
    %r = arith.addf %v, %a : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// A value stored into state and read by one more elementwise op (momentum, then the
// parameter update) fuses, one generic yielding both; the store takes the
// stored value from it.
// CHECK-LABEL: func.func @stored_then_used
// CHECK: %[[F:.*]]:2 = linalg.generic
// CHECK: arith.mulf
// CHECK: arith.subf
// CHECK: linalg.yield
// CHECK-NOT: linalg.generic
// CHECK-DAG: bufferization.materialize_in_destination %[[F]]#{{[01]}} in restrict writable %{{.*}}
// CHECK-DAG: bufferization.materialize_in_destination %[[F]]#{{[01]}} in restrict writable %{{.*}}
func.func @stored_then_used(%buf: tensor<8xf32>, %p: tensor<8xf32>, %mb: memref<8xf32>, %mp: memref<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %two = arith.constant 2.0 : f32
  %m = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%buf : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.mulf %v, %two : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %n = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%p, %m : tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  bufferization.materialize_in_destination %m in restrict writable %mb : (tensor<8xf32>, memref<8xf32>) -> ()
  bufferization.materialize_in_destination %n in restrict writable %mp : (tensor<8xf32>, memref<8xf32>) -> ()
  return
}

// An exp read by two elementwise ops: the CPU computes it once (its own generic); with
// recompute-elementwise (CUDA) each consumer computes it and no generic stores it.
// CHECK-LABEL: func.func @recomputed
// CPU: math.exp
// CPU: linalg.generic
// CPU-NOT: math.exp
// GPU: math.exp
// GPU-NEXT: arith.negf
// GPU: math.exp
// GPU-NEXT: arith.addf
func.func @recomputed(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = tensor.empty() : tensor<8xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.negf %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %v, %v : f32
    linalg.yield %r : f32
  } -> tensor<8xf32>
  return %b, %c : tensor<8xf32>, tensor<8xf32>
}
