// Every error a shape rule reports, with the text it reports. Cases whose operands are all
// ranked fail in the parser's verifier (which re-runs the rule); cases whose operands come
// from an unranked value fail inside nn-infer-shapes itself.
// RUN: nnc-opt --nn-infer-shapes %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// RuleSupport.cpp: helpers shared by every rule
//===----------------------------------------------------------------------===//

// An operand with no shape at all.
func.func @unranked_operand(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{relu: operand 'input' has no known shape (f32[*])}}
  %0 = nn.relu %x : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @float_required(%x: tensor<2x3xi64>) -> tensor<*xi64> {
  // expected-error @+1 {{exp: input must be floating-point (f32 or f64), got i64[2, 3]}}
  %0 = nn.exp %x : (tensor<2x3xi64>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @integer_required(%t: tensor<2x5xf32>, %table: tensor<10x6xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{embedding: indices must hold integers (i32 or i64), got f32[2, 5]}}
  %0 = nn.embedding %t, %table : (tensor<2x5xf32>, tensor<10x6xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// i1 is too narrow for labels.
func.func @integer_width(%l: tensor<4x10xf32>, %y: tensor<4xi1>) -> tensor<*xf32> {
  // expected-error @+1 {{cross_entropy: labels must hold integers (i32 or i64), got i1[4]}}
  %0 = nn.cross_entropy %l, %y : (tensor<4x10xf32>, tensor<4xi1>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @element_types_differ(%a: tensor<2xf32>, %b: tensor<2xf64>) -> tensor<*xf32> {
  // expected-error @+1 {{add: lhs and rhs have different element types: f32[2] and f64[2]}}
  %0 = nn.add %a, %b : (tensor<2xf32>, tensor<2xf64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Found by the pass: the lhs is unranked until relu's type is inferred.
func.func @broadcast_mismatch(%x: tensor<2x3xf32>, %y: tensor<4xf32>) -> tensor<*xf32> {
  %u = nn.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  // expected-error @+1 {{mul: cannot broadcast f32[2, 3] with f32[4] (axis 1: 3 vs 4)}}
  %0 = nn.mul %u, %y : (tensor<*xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{softmax: axis 2 is out of range for rank 2 (expected -2 to 1)}}
  %0 = nn.softmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @negative_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<*xi64> {
  // expected-error @+1 {{argmax: axis -3 is out of range for rank 2 (expected -2 to 1)}}
  %0 = nn.argmax %x {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @rank_required(%x: tensor<2x3x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: input must have rank 4, got f32[2, 3, 8]}}
  %0 = nn.conv2d %x, %w : (tensor<2x3x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @spatial_entries(%x: tensor<2x3x8x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: stride needs 1 or 2 entries, got 3}}
  %0 = nn.conv2d %x, %w {stride = array<i64: 1, 1, 1>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @result_too_large(%x: tensor<2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{pad: result would have more than 2^48 elements}}
  %0 = nn.pad %x {low = array<i64: 0, 0>, high = array<i64: 16777216, 16777216>} : (tensor<2x2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Elementwise.cpp
//===----------------------------------------------------------------------===//

func.func @binary_integer(%a: tensor<3xi64>, %b: tensor<3xi64>) -> tensor<*xi64> {
  // expected-error @+1 {{sub: operands must be floating-point (f32 or f64), got i64[3]}}
  %0 = nn.sub %a, %b : (tensor<3xi64>, tensor<3xi64>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @compare_predicate(%a: tensor<3xf32>) -> tensor<*xi1> {
  // expected-error @+1 {{compare: unknown predicate 'gte' (expected lt, le, gt, ge, eq or ne)}}
  %0 = nn.compare %a, %a {predicate = "gte"} : (tensor<3xf32>, tensor<3xf32>) -> tensor<*xi1>
  return %0 : tensor<*xi1>
}

// -----

func.func @compare_broadcast(%a: tensor<3xf32>, %b: tensor<2x4xf32>) -> tensor<*xi1> {
  // expected-error @+1 {{compare: cannot broadcast f32[3] with f32[2, 4] (axis 1: 3 vs 4)}}
  %0 = nn.compare %a, %b {predicate = "eq"} : (tensor<3xf32>, tensor<2x4xf32>) -> tensor<*xi1>
  return %0 : tensor<*xi1>
}

// -----

func.func @select_condition(%c: tensor<3xf32>, %a: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{select: condition must be i1, got f32[3]}}
  %0 = nn.select %c, %a, %a : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @select_choices(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xf64>) -> tensor<*xf32> {
  // expected-error @+1 {{select: on_true and on_false have different element types: f32[3] and f64[3]}}
  %0 = nn.select %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xf64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @select_condition_shape(%c: tensor<2xi1>, %a: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{select: cannot broadcast i1[2] with f32[3] (axis 0: 2 vs 3)}}
  %0 = nn.select %c, %a, %a : (tensor<2xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @cast_dtype(%x: tensor<3xf32>) -> tensor<*xf16> {
  // expected-error @+1 {{cast: unsupported dtype 'f16' (expected f32, f64, i32, i64 or i1)}}
  %0 = nn.cast %x {dtype = "f16"} : (tensor<3xf32>) -> tensor<*xf16>
  return %0 : tensor<*xf16>
}

// -----

//===----------------------------------------------------------------------===//
// LinearAlgebra.cpp
//===----------------------------------------------------------------------===//

func.func @linear_scalar_input(%x: tensor<f32>, %w: tensor<4x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{linear: input must have rank >= 1, got f32[]}}
  %0 = nn.linear %x, %w : (tensor<f32>, tensor<4x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @linear_weight_rank(%x: tensor<2x8xf32>, %w: tensor<8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{linear: weight must have rank 2, got f32[8]}}
  %0 = nn.linear %x, %w : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @linear_features(%x: tensor<2x7xf32>, %w: tensor<4x8xf32>) -> tensor<*xf32> {
  %u = nn.relu %x : (tensor<2x7xf32>) -> tensor<*xf32>
  // expected-error @+1 {{linear: input has 7 features but weight f32[4, 8] expects 8 (input f32[2, 7])}}
  %0 = nn.linear %u, %w : (tensor<*xf32>, tensor<4x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @linear_bias(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{linear: bias must be [4] to match weight f32[4, 8], got f32[5]}}
  %0 = nn.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @linear_bias_type(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>, %b: tensor<4xf64>) -> tensor<*xf32> {
  // expected-error @+1 {{linear: input and bias have different element types: f32[2, 8] and f64[4]}}
  %0 = nn.linear %x, %w, %b : (tensor<2x8xf32>, tensor<4x8xf32>, tensor<4xf64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @matmul_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{matmul: lhs must have rank 2, got f32[2, 3, 4] (batch_matmul takes batches)}}
  %0 = nn.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @matmul_contraction(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{matmul: contraction sizes differ: f32[3, 4] has 4, f32[5, 6] has 5}}
  %0 = nn.matmul %a, %b : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Without transpose_b this would fit; with it the contraction is over 4 and 5.
func.func @matmul_contraction_transposed(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{matmul: contraction sizes differ: f32[3, 4] has 4, f32[4, 5] (transposed) has 5}}
  %0 = nn.matmul %a, %b {transpose_b = true} : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @batch_matmul_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{batch_matmul: rhs must have rank >= 3, got f32[4, 5] (matmul takes rank-2 operands)}}
  %0 = nn.batch_matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @batch_matmul_batch(%a: tensor<2x3x4x5xf32>, %b: tensor<4x3x5x6xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{batch_matmul: cannot broadcast f32[2, 3] with f32[4, 3] (axis 0: 2 vs 4)}}
  %0 = nn.batch_matmul %a, %b : (tensor<2x3x4x5xf32>, tensor<4x3x5x6xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @batch_matmul_types(%a: tensor<2x4x5xf32>, %b: tensor<2x5x6xf64>) -> tensor<*xf32> {
  // expected-error @+1 {{batch_matmul: lhs and rhs have different element types: f32[2, 4, 5] and f64[2, 5, 6]}}
  %0 = nn.batch_matmul %a, %b : (tensor<2x4x5xf32>, tensor<2x5x6xf64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Reductions.cpp
//===----------------------------------------------------------------------===//

func.func @softmax_scalar(%x: tensor<f32>) -> tensor<*xf32> {
  // expected-error @+1 {{log_softmax: input must have rank >= 1, got f32[]}}
  %0 = nn.log_softmax %x : (tensor<f32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reduce_axis(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{sum: axes entry 3 is out of range for rank 3 (expected -3 to 2)}}
  %0 = nn.sum %x {axes = array<i64: 0, 3>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// -1 and 2 name the same axis of a rank-3 tensor.
func.func @reduce_axis_twice(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  %u = nn.relu %x : (tensor<2x3x4xf32>) -> tensor<*xf32>
  // expected-error @+1 {{mean: axis -1 is listed twice in axes}}
  %0 = nn.mean %u {axes = array<i64: 2, -1>} : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reduce_integer(%x: tensor<2x3xi32>) -> tensor<*xi32> {
  // expected-error @+1 {{max: input must be floating-point (f32 or f64), got i32[2, 3]}}
  %0 = nn.max %x : (tensor<2x3xi32>) -> tensor<*xi32>
  return %0 : tensor<*xi32>
}

// -----

func.func @argmax_scalar(%x: tensor<f32>) -> tensor<*xi64> {
  // expected-error @+1 {{argmax: input must have rank >= 1, got f32[]}}
  %0 = nn.argmax %x : (tensor<f32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

//===----------------------------------------------------------------------===//
// ShapeOps.cpp
//===----------------------------------------------------------------------===//

func.func @reshape_two_wildcards(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{reshape: shape may contain -1 only once}}
  %0 = nn.reshape %x {shape = array<i64: -1, 2, -1>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reshape_zero(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{reshape: shape entries must be positive or -1, got 0}}
  %0 = nn.reshape %x {shape = array<i64: 0, 24>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reshape_huge(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{reshape: shape [16777216, 16777216, 2] has more than 2^48 elements}}
  %0 = nn.reshape %x {shape = array<i64: 16777216, 16777216, 2>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reshape_wildcard_count(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{reshape: cannot reshape f32[2, 3] (6 elements) to [4, -1]}}
  %0 = nn.reshape %x {shape = array<i64: 4, -1>} : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %u = nn.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  // expected-error @+1 {{reshape: cannot reshape f32[2, 3] (6 elements) to [7] (7 elements)}}
  %0 = nn.reshape %u {shape = array<i64: 7>} : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @flatten_order(%x: tensor<2x3x4x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{flatten: start_axis 2 comes after end_axis 1}}
  %0 = nn.flatten %x {start_axis = -2 : i64, end_axis = 1 : i64} : (tensor<2x3x4x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// The default start_axis 1 does not exist in a rank-1 tensor.
func.func @flatten_start(%x: tensor<5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{flatten: start_axis 1 is out of range for rank 1 (expected -1 to 0)}}
  %0 = nn.flatten %x : (tensor<5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @flatten_end(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{flatten: end_axis 2 is out of range for rank 2 (expected -2 to 1)}}
  %0 = nn.flatten %x {start_axis = 0 : i64, end_axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @transpose_length(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{transpose: perm [1, 0] has 2 entries but the input f32[2, 3, 4] has rank 3}}
  %0 = nn.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @transpose_repeat(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{transpose: perm [0, 0, 1] is not a permutation of 0..2}}
  %0 = nn.transpose %x {perm = array<i64: 0, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @transpose_range(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{transpose: perm [-1, 0] is not a permutation of 0..1}}
  %0 = nn.transpose %x {perm = array<i64: -1, 0>} : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_none() -> tensor<*xf32> {
  // expected-error @+1 {{concat: needs at least one operand}}
  %0 = nn.concat : () -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_scalars(%a: tensor<f32>) -> tensor<*xf32> {
  // expected-error @+1 {{concat: cannot concatenate 0-d tensors}}
  %0 = nn.concat %a, %a : (tensor<f32>, tensor<f32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_mismatch(%a: tensor<3x4xf32>, %b: tensor<2x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{concat: input 1 f32[2, 4] does not match input 0 f32[3, 4] outside axis 1}}
  %0 = nn.concat %a, %b {axis = 1 : i64} : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_rank(%a: tensor<3x4xf32>, %b: tensor<3x4x1xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{concat: input 1 f32[3, 4, 1] does not match input 0 f32[3, 4] outside axis 0}}
  %0 = nn.concat %a, %b : (tensor<3x4xf32>, tensor<3x4x1xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_types(%a: tensor<3xf32>, %b: tensor<3xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{concat: input 0 and input have different element types: f32[3] and i64[3]}}
  %0 = nn.concat %a, %b : (tensor<3xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @concat_axis(%a: tensor<3x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{concat: axis 2 is out of range for rank 2 (expected -2 to 1)}}
  %0 = nn.concat %a, %a {axis = 2 : i64} : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @slice_scalar(%x: tensor<f32>) -> tensor<*xf32> {
  // expected-error @+1 {{slice: cannot slice a 0-d tensor}}
  %0 = nn.slice %x : (tensor<f32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @slice_step(%x: tensor<10xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{slice: step must be >= 1, got 0}}
  %0 = nn.slice %x {step = 0 : i64} : (tensor<10xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @slice_negative_step(%x: tensor<10xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{slice: step must be >= 1, got -1}}
  %0 = nn.slice %x {step = -1 : i64} : (tensor<10xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @slice_empty(%x: tensor<10x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{slice: the range [5, 2) of axis 0 in f32[10, 4] is empty}}
  %0 = nn.slice %x {start = 5 : i64, end = 2 : i64} : (tensor<10x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Both bounds clamp to the end of the axis: x[:, 20:30] is empty.
func.func @slice_clamped_empty(%x: tensor<10x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{slice: the range [20, 30) of axis 1 in f32[10, 4] is empty}}
  %0 = nn.slice %x {axis = -1 : i64, start = 20 : i64, end = 30 : i64} : (tensor<10x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @slice_axis(%x: tensor<10x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{slice: axis -3 is out of range for rank 2 (expected -2 to 1)}}
  %0 = nn.slice %x {axis = -3 : i64} : (tensor<10x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pad_entries(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{pad: low and high need one entry per axis of f32[2, 3], got 1 and 2}}
  %0 = nn.pad %x {low = array<i64: 1>, high = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pad_negative(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{pad: padding amounts must be between 0 and 2^48, got low [-1, 0] high [0, 0]}}
  %0 = nn.pad %x {low = array<i64: -1, 0>, high = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @split_scalar(%x: tensor<f32>) -> tensor<*xf32> {
  // expected-error @+1 {{split: cannot split a 0-d tensor}}
  %0 = nn.split %x {sections = array<i64: 1>} : (tensor<f32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @split_results(%x: tensor<2x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{split: sections [3, 5] make 2 pieces but 3 results are bound}}
  %0, %1, %2 = nn.split %x {axis = 1 : i64, sections = array<i64: 3, 5>} : (tensor<2x8xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  return %0 : tensor<*xf32>
}

// -----

func.func @split_positive(%x: tensor<2x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{split: sections must be positive, got 0}}
  %0, %1 = nn.split %x {axis = 1 : i64, sections = array<i64: 8, 0>} : (tensor<2x8xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %0 : tensor<*xf32>
}

// -----

func.func @split_total(%x: tensor<2x8xf32>) -> tensor<*xf32> {
  %u = nn.relu %x : (tensor<2x8xf32>) -> tensor<*xf32>
  // expected-error @+1 {{split: sections [3, 4] add up to 7 but axis 1 of f32[2, 8] has 8}}
  %0, %1 = nn.split %u {axis = -1 : i64, sections = array<i64: 3, 4>} : (tensor<*xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %0 : tensor<*xf32>
}

// -----

//===----------------------------------------------------------------------===//
// ConvPool.cpp
//===----------------------------------------------------------------------===//

func.func @conv_window(%x: tensor<2x3x4x4xf32>, %w: tensor<6x3x5x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: spatial axis 0 has size 4 (4 with padding) but the window spans 5}}
  %0 = nn.conv2d %x, %w : (tensor<2x3x4x4xf32>, tensor<6x3x5x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Dilation widens the window: 2 * (3 - 1) + 1 = 5 > 4 + 2 * 0.
func.func @conv_dilated_window(%x: tensor<2x4x4xf32>, %w: tensor<6x4x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv1d: spatial axis 0 has size 4 (4 with padding) but the window spans 5}}
  %0 = nn.conv1d %x, %w {dilation = array<i64: 2>} : (tensor<2x4x4xf32>, tensor<6x4x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_stride_zero(%x: tensor<2x3x8x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: stride entries must be between 1 and 2^32, got [1, 0]}}
  %0 = nn.conv2d %x, %w {stride = array<i64: 1, 0>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_padding_negative(%x: tensor<2x3x8x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: padding entries must be between 0 and 2^32, got [-1, -1]}}
  %0 = nn.conv2d %x, %w {padding = array<i64: -1>} : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_dilation_zero(%x: tensor<2x4x10xf32>, %w: tensor<6x4x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv1d: dilation entries must be between 1 and 2^32, got [0]}}
  %0 = nn.conv1d %x, %w {dilation = array<i64: 0>} : (tensor<2x4x10xf32>, tensor<6x4x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_groups(%x: tensor<2x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: groups 3 must divide the input channels (4) and output channels (6)}}
  %0 = nn.conv2d %x, %w {groups = 3 : i64} : (tensor<2x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_groups_zero(%x: tensor<2x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: groups 0 must divide the input channels (4) and output channels (6)}}
  %0 = nn.conv2d %x, %w {groups = 0 : i64} : (tensor<2x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_channels(%x: tensor<2x4x8x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<*xf32> {
  %u = nn.relu %x : (tensor<2x4x8x8xf32>) -> tensor<*xf32>
  // expected-error @+1 {{conv2d: input f32[2, 4, 8, 8] has 4 channels but weight f32[6, 3, 3, 3] expects 3}}
  %0 = nn.conv2d %u, %w : (tensor<*xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_channels_grouped(%x: tensor<2x4x8x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: input f32[2, 4, 8, 8] has 4 channels but weight f32[6, 3, 3, 3] expects 6 (with groups)}}
  %0 = nn.conv2d %x, %w {groups = 2 : i64} : (tensor<2x4x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_bias(%x: tensor<2x3x8x8xf32>, %w: tensor<6x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: bias must be [6] to match weight f32[6, 3, 3, 3], got f32[3]}}
  %0 = nn.conv2d %x, %w, %b : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @conv_weight_rank(%x: tensor<2x4x10xf32>, %w: tensor<6x4x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv1d: weight must have rank 3, got f32[6, 4, 3, 3]}}
  %0 = nn.conv1d %x, %w : (tensor<2x4x10xf32>, tensor<6x4x3x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pool_kernel_missing(%x: tensor<2x3x8x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{max_pool2d: kernel must be given (for example kernel=2)}}
  %0 = nn.max_pool2d %x : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pool_kernel_entries(%x: tensor<2x3x8x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{avg_pool2d: kernel needs 1 or 2 entries, got 3}}
  %0 = nn.avg_pool2d %x {kernel = array<i64: 2, 2, 2>} : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pool_kernel_zero(%x: tensor<2x4x10xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{max_pool1d: kernel entries must be between 1 and 2^32, got [0]}}
  %0 = nn.max_pool1d %x {kernel = array<i64: 0>} : (tensor<2x4x10xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pool_padding(%x: tensor<2x3x8x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{avg_pool2d: padding 2 exceeds half the kernel 3}}
  %0 = nn.avg_pool2d %x {kernel = array<i64: 3>, padding = array<i64: 2>} : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pool_window(%x: tensor<2x4x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{max_pool1d: spatial axis 0 has size 3 (3 with padding) but the window spans 4}}
  %0 = nn.max_pool1d %x {kernel = array<i64: 4>} : (tensor<2x4x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pool_rank(%x: tensor<2x3x8x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{max_pool1d: input must have rank 3, got f32[2, 3, 8, 8]}}
  %0 = nn.max_pool1d %x {kernel = array<i64: 2>} : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @global_avg_pool_rank(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{global_avg_pool: input must be [N, C, spatial...], got f32[2, 3]}}
  %0 = nn.global_avg_pool %x : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Normalization.cpp
//===----------------------------------------------------------------------===//

func.func @batch_norm_rank(%x: tensor<4xf32>, %c: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{batch_norm: input must be [N, C] or [N, C, spatial...], got f32[4]}}
  %0 = nn.batch_norm %x, %c, %c, %c, %c : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @batch_norm_stats(%x: tensor<2x3x4x4xf32>, %c: tensor<3xf32>, %v: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{batch_norm: running_var must be [3] for input f32[2, 3, 4, 4], got f32[4]}}
  %0 = nn.batch_norm %x, %c, %c, %c, %v : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @batch_norm_stat_type(%x: tensor<2x3xf32>, %c: tensor<3xf32>, %g: tensor<3xf64>) -> tensor<*xf32> {
  // expected-error @+1 {{batch_norm: input and gamma have different element types: f32[2, 3] and f64[3]}}
  %0 = nn.batch_norm %x, %g, %c, %c, %c : (tensor<2x3xf32>, tensor<3xf64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @batch_norm_momentum(%x: tensor<2x3xf32>, %c: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{batch_norm: momentum must be in [0, 1], got 1.5}}
  %0 = nn.batch_norm %x, %c, %c, %c, %c {momentum = 1.5 : f64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @batch_norm_eps(%x: tensor<2x3xf32>, %c: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{batch_norm: eps must be positive, got 0}}
  %0 = nn.batch_norm %x, %c, %c, %c, %c {eps = 0.0 : f64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @layer_norm_gamma(%x: tensor<2x5x6xf32>, %g: tensor<5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{layer_norm: gamma f32[5] must match the trailing axes of input f32[2, 5, 6]}}
  %0 = nn.layer_norm %x, %g, %g : (tensor<2x5x6xf32>, tensor<5xf32>, tensor<5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @layer_norm_gamma_rank(%x: tensor<5x6xf32>, %g: tensor<1x5x6xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{layer_norm: gamma f32[1, 5, 6] must match the trailing axes of input f32[5, 6]}}
  %0 = nn.layer_norm %x, %g, %g : (tensor<5x6xf32>, tensor<1x5x6xf32>, tensor<1x5x6xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @layer_norm_beta(%x: tensor<2x5x6xf32>, %g: tensor<6xf32>, %b: tensor<5x6xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{layer_norm: beta f32[5, 6] must have gamma's shape f32[6]}}
  %0 = nn.layer_norm %x, %g, %b : (tensor<2x5x6xf32>, tensor<6xf32>, tensor<5x6xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @layer_norm_eps(%x: tensor<2x6xf32>, %g: tensor<6xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{layer_norm: eps must be positive}}
  %0 = nn.layer_norm %x, %g, %g {eps = -1.0 : f64} : (tensor<2x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @dropout_p(%x: tensor<4x8xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{dropout: p must be in [0, 1), got 1}}
  %0 = nn.dropout %x {p = 1.0 : f64} : (tensor<4x8xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @dropout_negative(%x: tensor<4x8xf32>) -> tensor<*xf32> {
  %u = nn.relu %x : (tensor<4x8xf32>) -> tensor<*xf32>
  // expected-error @+1 {{dropout: p must be in [0, 1), got -2.500000e-01}}
  %0 = nn.dropout %u {p = -0.25 : f64} : (tensor<*xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @embedding_table_rank(%t: tensor<2x5xi64>, %table: tensor<10xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{embedding: table must have rank 2, got f32[10]}}
  %0 = nn.embedding %t, %table : (tensor<2x5xi64>, tensor<10xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @embedding_table_float(%t: tensor<2x5xi64>, %table: tensor<10x6xi32>) -> tensor<*xi32> {
  // expected-error @+1 {{embedding: table must be floating-point (f32 or f64), got i32[10, 6]}}
  %0 = nn.embedding %t, %table : (tensor<2x5xi64>, tensor<10x6xi32>) -> tensor<*xi32>
  return %0 : tensor<*xi32>
}

// -----

//===----------------------------------------------------------------------===//
// Losses.cpp
//===----------------------------------------------------------------------===//

func.func @loss_reduction(%l: tensor<4x10xf32>, %y: tensor<4xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{cross_entropy: unknown reduction 'avg' (expected mean, sum or none)}}
  %0 = nn.cross_entropy %l, %y {reduction = "avg"} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pair_loss_reduction(%a: tensor<4x1xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{mse: unknown reduction 'batchmean' (expected mean, sum or none)}}
  %0 = nn.mse %a, %a {reduction = "batchmean"} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @class_loss_labels(%l: tensor<4x10xf32>, %y: tensor<3xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{nll: labels i64[3] must have the shape of logits f32[4, 10] without its last (class) axis}}
  %0 = nn.nll %l, %y : (tensor<4x10xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Labels shaped like the logits (one-hot) are not class indices.
func.func @class_loss_labels_rank(%l: tensor<4x10xf32>, %y: tensor<4x10xi64>) -> tensor<*xf32> {
  %u = nn.relu %l : (tensor<4x10xf32>) -> tensor<*xf32>
  // expected-error @+1 {{cross_entropy: labels i64[4, 10] must have the shape of logits f32[4, 10] without its last (class) axis}}
  %0 = nn.cross_entropy %u, %y : (tensor<*xf32>, tensor<4x10xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @class_loss_float_logits(%l: tensor<4x10xi32>, %y: tensor<4xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{nll: logits must be floating-point (f32 or f64), got i32[4, 10]}}
  %0 = nn.nll %l, %y : (tensor<4x10xi32>, tensor<4xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @label_smoothing(%l: tensor<4x10xf32>, %y: tensor<4xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{cross_entropy: label_smoothing must be in [0, 1], got 1.5}}
  %0 = nn.cross_entropy %l, %y {label_smoothing = 1.5 : f64} : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pair_loss_shape(%a: tensor<4x1xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{bce_with_logits: input f32[4, 1] and target f32[4] must have the same shape}}
  %0 = nn.bce_with_logits %a, %b : (tensor<4x1xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @pair_loss_types(%a: tensor<4xf32>, %b: tensor<4xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{hinge: input and target have different element types: f32[4] and i64[4]}}
  %0 = nn.hinge %a, %b : (tensor<4xf32>, tensor<4xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @accuracy_labels(%l: tensor<4x10xf32>, %y: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{accuracy: labels must hold integers (i32 or i64), got f32[4]}}
  %0 = nn.accuracy %l, %y : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @binary_accuracy_shape(%s: tensor<4x1xf32>, %t: tensor<4x2xf32>) -> tensor<*xf32> {
  %u = nn.sigmoid %s : (tensor<4x1xf32>) -> tensor<*xf32>
  // expected-error @+1 {{binary_accuracy: scores f32[4, 1] and targets f32[4, 2] must have the same shape}}
  %0 = nn.binary_accuracy %u, %t : (tensor<*xf32>, tensor<4x2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @binary_accuracy_scores(%s: tensor<4xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{binary_accuracy: scores must be floating-point (f32 or f64), got i64[4]}}
  %0 = nn.binary_accuracy %s, %s : (tensor<4xi64>, tensor<4xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

//===----------------------------------------------------------------------===//
// The pass itself: a static result type that the rule contradicts.
//===----------------------------------------------------------------------===//

// The operand is unranked when parsed, so only the pass can compare the declared type.
func.func @declared_type_mismatch(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x3xf32> {
  %u = nn.relu %x : (tensor<2x8xf32>) -> tensor<*xf32>
  // expected-error @+1 {{linear: result type f32[2, 3] does not match the inferred f32[2, 4]}}
  %0 = nn.linear %u, %w : (tensor<*xf32>, tensor<4x8xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// The pass stops at the first failing op: the second error is never reported.
func.func @first_error_only(%x: tensor<2x3xf32>, %y: tensor<4xf32>) -> tensor<*xf32> {
  %u = nn.relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  // expected-error @+1 {{add: cannot broadcast f32[2, 3] with f32[4] (axis 1: 3 vs 4)}}
  %0 = nn.add %u, %y : (tensor<*xf32>, tensor<4xf32>) -> tensor<*xf32>
  %1 = nn.sub %u, %y : (tensor<*xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}
