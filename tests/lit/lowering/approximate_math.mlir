// RUN: nnc-opt --nn-approximate-math %s | FileCheck %s
// f32 tanh becomes plain arithmetic (a rational polynomial) that vectorizes; f64 tanh
// stays a math op (libm, exact to the interpreter).

// CHECK-LABEL: func.func @tanh_f32
// CHECK-NOT: math.tanh
// CHECK: arith.divf
func.func @tanh_f32(%x: f32) -> f32 {
  %y = math.tanh %x : f32
  return %y : f32
}

// CHECK-LABEL: func.func @tanh_f64
// CHECK: math.tanh
func.func @tanh_f64(%x: f64) -> f64 {
  %y = math.tanh %x : f64
  return %y : f64
}
