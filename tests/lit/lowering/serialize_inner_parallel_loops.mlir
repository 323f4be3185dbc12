// RUN: nnc-opt --nn-serialize-inner-parallel-loops %s | FileCheck %s
// RUN: nnc-opt --nn-serialize-inner-parallel-loops=min-work=1000000 %s | FileCheck %s --check-prefix=SMALL
// One level of threads per nest: the outer scf.parallel (64 x 512 = 32768 iterations)
// stays parallel, the nested one becomes scf.for; below min-work nothing stays parallel.

// CHECK-LABEL: func.func @nest
// CHECK: scf.parallel (%{{.*}}) = (%c0) to (%c64) step (%c1)
// CHECK: scf.for %{{.*}} = %c0 to %c512 step %c1
// CHECK-NOT: scf.parallel
// SMALL-LABEL: func.func @nest
// SMALL-NOT: scf.parallel
// SMALL: scf.for
// SMALL: scf.for
func.func @nest(%m: memref<64x512xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c512 = arith.constant 512 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c512) step (%c1) {
      memref.store %f, %m[%i, %j] : memref<64x512xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// A multi-dimensional loop keeps its leading dimensions until they give 64 iterations
// (2 x 8 x 4 = 64 here), the last one becomes an scf.for inside.
// CHECK-LABEL: func.func @multi
// CHECK: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) = (%c0, %c0, %c0) to (%c2, %c8, %c4) step (%c1, %c1, %c1)
// CHECK: scf.for %{{.*}} = %c0 to %c1024 step %c1
// CHECK: memref.store
func.func @multi(%m: memref<2x8x4x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c1024 = arith.constant 1024 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%a, %b, %c, %d) = (%c0, %c0, %c0, %c0) to (%c2, %c8, %c4, %c1024) step (%c1, %c1, %c1, %c1) {
    memref.store %f, %m[%a, %b, %c, %d] : memref<2x8x4x1024xf32>
    scf.reduce
  }
  return
}
