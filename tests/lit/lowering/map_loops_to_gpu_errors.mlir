// RUN: not nnc-opt --nn-map-loops-to-gpu %s 2>&1 | FileCheck %s
// A value loaded from device memory that host code needs after the kernel cannot be
// moved into it: an error at the load, not a silent host read of GPU memory.

// CHECK: error: host code of the CUDA backend: a value computed from device memory is used outside its kernel
func.func @g(%s: memref<f32>, %t: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %x = memref.load %s[] : memref<f32>
  %v = memref.alloc() : memref<4xf32>
  memref.store %x, %t[%c0] : memref<4xf32>
  return
}
