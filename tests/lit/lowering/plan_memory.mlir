// RUN: nnc-opt --nn-plan-memory %s | FileCheck %s
// Intermediates become views of one arena argument at offsets from their lifetimes: %a
// (64 floats) and %b (16) are alive together, %c (32) starts after %a is freed and takes
// its place; the deallocs go. A kernel call's address of a buffer (or of a reshape of
// it) becomes the arena's plus the offset. Private functions are left alone.

// CHECK-LABEL: func.func @step
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<320xi8> {nn.workspace}
// CHECK-SAME: nn.workspace_bytes = 320
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%[[C0]]][] : memref<320xi8> to memref<64xf32>
// CHECK: %[[C256:.*]] = arith.constant 256 : index
// CHECK: memref.view %[[ARENA]][%[[C256]]][] : memref<320xi8> to memref<4x4xf32>
// CHECK: %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %[[ARENA]]
// CHECK: arith.addi %[[BASE]], %[[C256]]
// CHECK: %[[C0B:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%[[C0B]]][] : memref<320xi8> to memref<32xf32>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @step(%x: memref<64xf32>, %out: memref<32xf32>) {
  %cst = arith.constant 1.0 : f32
  %a = memref.alloc() {alignment = 64 : i64} : memref<64xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<4x4xf32>
  linalg.fill ins(%cst : f32) outs(%a : memref<64xf32>)
  %flat = memref.collapse_shape %b [[0, 1]] : memref<4x4xf32> into memref<16xf32>
  %p = memref.extract_aligned_pointer_as_index %flat : memref<16xf32> -> index
  memref.dealloc %a : memref<64xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<32xf32>
  linalg.fill ins(%cst : f32) outs(%c : memref<32xf32>)
  memref.copy %c, %out : memref<32xf32> to memref<32xf32>
  memref.dealloc %b : memref<4x4xf32>
  memref.dealloc %c : memref<32xf32>
  return
}

// CHECK-LABEL: func.func private @helper
// CHECK: memref.alloc
func.func private @helper() {
  %a = memref.alloc() : memref<8xf32>
  memref.dealloc %a : memref<8xf32>
  return
}
