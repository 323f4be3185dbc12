// Shape-rule behaviour that is wrong today; each case states what is right. These cases
// fail until the rules are fixed (see the notes on each).
// RUN: nnc-opt --nn-infer-shapes %s -split-input-file -verify-diagnostics

// Dynamic sizes: rankedOperand accepts tensor<?x4xf32>, and inferReshape multiplies
// ShapedType::kDynamic into the element count, so today the result is tensor<0xf32> (a
// size the rules otherwise never produce) with no error. The rules work on static shapes
// (nn.param types must be static, makeTensorType rejects sizes <= 0), so a dynamic size
// must be reported, not folded into arithmetic.
func.func @reshape_dynamic(%x: tensor<?x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{reshape: }}
  %0 = nn.reshape %x {shape = array<i64: -1>} : (tensor<?x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Same in inferFlatten: the merged size kDynamic * 4 wraps to 0, giving tensor<0xf32>.
func.func @flatten_dynamic(%x: tensor<?x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{flatten: }}
  %0 = nn.flatten %x {start_axis = 0 : i64} : (tensor<?x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A weight with a kernel size of 0: windowOutput computes a span of 1 - dilation = 0 and
// infers an output of 9 from an input of 8 (tensor<2x6x9x6xf32>). PyTorch rejects a
// kernel of size 0; the rule must report it.
func.func @conv_zero_kernel(%x: tensor<2x3x8x8xf32>, %w: tensor<6x3x0x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{conv2d: }}
  %0 = nn.conv2d %x, %w : (tensor<2x3x8x8xf32>, tensor<6x3x0x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
