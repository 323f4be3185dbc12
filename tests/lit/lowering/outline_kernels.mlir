// RUN: nnc-opt --nn-outline-kernels %s | FileCheck %s
// Each top-level loop nest becomes a private function called in its place; its memref
// arguments are grouped by the memory they may share. The LLVM calling convention
// expands a rank-1 memref into 5 arguments (two pointers, offset, size, stride): the
// two pointers get the group, the rest -1.

// CHECK-LABEL: func.func @step(
// CHECK: %[[A:.*]] = memref.view %{{.*}}[%c0][] : memref<4096xi8> to memref<256xf32>
// CHECK: %[[B:.*]] = memref.view %{{.*}}[%c1024]
// CHECK: %[[C:.*]] = memref.view %{{.*}}[%c512]
// CHECK: call @step_kernel0(%[[A]], %[[B]], %arg0) : (memref<256xf32>, memref<256xf32>, memref<256xf32>) -> ()
// CHECK-NEXT: call @step_kernel1(%[[A]], %arg1, %[[C]]) : (memref<256xf32>, f32, memref<256xf32>) -> ()
// CHECK-NEXT: return

// Arena bytes [0, 1024) and [1024, 2048) are disjoint (groups 0 and 1); the state
// argument is memory of its own (group 2). The loop bounds are cloned constants.
// CHECK: func.func private @step_kernel0(%{{.*}}: memref<256xf32>, %{{.*}}: memref<256xf32>, %{{.*}}: memref<256xf32>)
// CHECK-SAME: nn.alias_groups = array<i64: 0, 0, -1, -1, -1, 1, 1, -1, -1, -1, 2, 2, -1, -1, -1>
// CHECK: %[[N:.*]] = arith.constant 256 : index
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%[[N]])

// [512, 1536) overlaps [0, 1024): one group. A scalar from outside is an argument of
// no group.
// CHECK: func.func private @step_kernel1(%{{.*}}: memref<256xf32>, %{{.*}}: f32, %{{.*}}: memref<256xf32>)
// CHECK-SAME: nn.alias_groups = array<i64: 0, 0, -1, -1, -1, -1, 0, 0, -1, -1, -1>
// CHECK: scf.for
func.func @step(%state: memref<256xf32>, %scale: f32, %arena: memref<4096xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c256 = arith.constant 256 : index
  %c512 = arith.constant 512 : index
  %c1024 = arith.constant 1024 : index
  %a = memref.view %arena[%c0][] : memref<4096xi8> to memref<256xf32>
  %b = memref.view %arena[%c1024][] : memref<4096xi8> to memref<256xf32>
  %c = memref.view %arena[%c512][] : memref<4096xi8> to memref<256xf32>
  scf.parallel (%i) = (%c0) to (%c256) step (%c1) {
    %x = memref.load %a[%i] : memref<256xf32>
    %y = memref.load %b[%i] : memref<256xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %state[%i] : memref<256xf32>
    scf.reduce
  }
  scf.for %i = %c0 to %c256 step %c1 {
    %x = memref.load %a[%i] : memref<256xf32>
    %y = arith.mulf %x, %scale : f32
    memref.store %y, %c[%i] : memref<256xf32>
  }
  return
}

// Buffers of unknown origin (here a memref loaded from memory) get -1: nothing is
// claimed about them. Private functions are left alone.
// CHECK-LABEL: func.func @unknown(
// CHECK: call @unknown_kernel0
// CHECK: func.func private @unknown_kernel0
// CHECK-SAME: nn.alias_groups = array<i64: -1, -1, -1, -1, -1, 0, 0, -1, -1, -1>
// CHECK-LABEL: func.func private @helper(
// CHECK-NOT: call
// CHECK: scf.for
func.func @unknown(%holder: memref<memref<8xf32>>, %out: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %m = memref.load %holder[] : memref<memref<8xf32>>
  scf.for %i = %c0 to %c8 step %c1 {
    %x = memref.load %m[%i] : memref<8xf32>
    memref.store %x, %out[%i] : memref<8xf32>
  }
  return
}
func.func private @helper(%out: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %f = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c8 step %c1 {
    memref.store %f, %out[%i] : memref<8xf32>
  }
  return
}
