// RUN: nnc-opt --nn-map-loops-to-gpu %s | FileCheck %s
// RUN: nnc-opt --nn-map-loops-to-gpu=block-size=128 %s | FileCheck %s --check-prefix=B128
// A 4x100 parallel loop becomes one dimension of 400 iterations tiled into blocks of
// 256 threads (a bounds check guards the last block); the host's full reduction and the
// rank-0 arithmetic after it, which touch device memory, become one one-thread kernel.

// CHECK-LABEL: func.func @f
// CHECK: %[[N:.*]] = arith.muli %{{.*}}, %c100 : index
// CHECK: %[[STEP:.*]] = arith.muli %{{.*}}, %c256 : index
// CHECK: scf.parallel (%[[BLOCK:.*]]) = (%{{.*}}) to (%[[N]]) step (%[[STEP]]) {
// CHECK-NEXT: scf.parallel (%[[THREAD:.*]]) = (%{{.*}}) to (%[[STEP]]) step
// CHECK: %[[IN:.*]] = arith.cmpi ult, %{{.*}}, %[[N]] : index
// CHECK: scf.if
// CHECK: arith.remsi %{{.*}}, %c100
// CHECK: arith.divsi %{{.*}}, %c100
// CHECK: memref.store
// CHECK: scf.parallel (%{{.*}}) = (%[[Z:.*]]) to (%[[ONE:.*]]) step (%[[ONE]]) {
// CHECK-NEXT: scf.for
// CHECK: memref.store
// CHECK: }
// CHECK-NEXT: memref.load %arg2[]
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: memref.store
// CHECK-NEXT: scf.reduce
// CHECK: return
// B128: arith.muli %{{.*}}, %c128 : index

func.func @f(%a: memref<4x100xf32>, %b: memref<4x100xf32>, %s: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c100 = arith.constant 100 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c100) step (%c1, %c1) {
    %v = memref.load %a[%i, %j] : memref<4x100xf32>
    %w = arith.mulf %v, %v : f32
    memref.store %w, %b[%i, %j] : memref<4x100xf32>
    scf.reduce
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %b[%i, %c0] : memref<4x100xf32>
    %acc = memref.load %s[] : memref<f32>
    %sum = arith.addf %acc, %v : f32
    memref.store %sum, %s[] : memref<f32>
  }
  %x = memref.load %s[] : memref<f32>
  %y = arith.mulf %x, %x : f32
  memref.store %y, %s[] : memref<f32>
  return
}

// A constant tensor (a memref.global in host memory) is read inside the kernel through
// its own memref.get_global, which outlining turns into a device global.
// CHECK-LABEL: func.func @constant
// CHECK-NOT: memref.get_global
// CHECK: scf.parallel
// CHECK: scf.parallel
// CHECK: scf.if
// CHECK-NEXT: %[[W:.*]] = memref.get_global @weights
// CHECK-NEXT: memref.load %[[W]]
memref.global "private" constant @weights : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func @constant(%out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %w = memref.get_global @weights : memref<4xf32>
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %v = memref.load %w[%i] : memref<4xf32>
    memref.store %v, %out[%i] : memref<4xf32>
    scf.reduce
  }
  return
}

// A constant the host uses (a view of it, a cuBLAS call's operand) is copied to device
// memory by a kernel first, and freed at the end.
// CHECK-LABEL: func.func @constant_on_host
// CHECK: %[[COPY:.*]] = memref.alloc() : memref<4xf32>
// CHECK: scf.parallel
// CHECK: memref.get_global @weights
// CHECK: memref.store %{{.*}}, %[[COPY]]
// CHECK: memref.subview %[[COPY]]
// CHECK: memref.dealloc %[[COPY]]
// CHECK-NEXT: return
func.func @constant_on_host(%out: memref<2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %w = memref.get_global @weights : memref<4xf32>
  %half = memref.subview %w[2] [2] [1] : memref<4xf32> to memref<2xf32, strided<[1], offset: 2>>
  scf.parallel (%i) = (%c0) to (%c2) step (%c1) {
    %v = memref.load %half[%i] : memref<2xf32, strided<[1], offset: 2>>
    memref.store %v, %out[%i] : memref<2xf32>
    scf.reduce
  }
  return
}
