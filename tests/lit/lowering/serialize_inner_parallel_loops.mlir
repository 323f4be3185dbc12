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
