// The verifiers of the nn dialect on hand-written IR: declared result types are checked
// against the shape rule, module-level ops against the symbol table and the
// initializer/optimizer tables, and every op against its operand and result counts.
// RUN: nnc-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// A ranked result type that the shape rule contradicts
//===----------------------------------------------------------------------===//

func.func @unary_result(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{relu: result type f32[2, 4] does not match the inferred f32[2, 3]}}
  %0 = nn.relu %x : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

func.func @unary_element_type(%x: tensor<2x3xf32>) -> tensor<2x3xf64> {
  // expected-error @+1 {{tanh: result type f64[2, 3] does not match the inferred f32[2, 3]}}
  %0 = nn.tanh %x : (tensor<2x3xf32>) -> tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// -----

// Broadcasting gives [2, 3], not the operand's [3].
func.func @broadcast_result(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{add: result type f32[3] does not match the inferred f32[2, 3]}}
  %0 = nn.add %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @linear_result(%x: tensor<2x8xf32>, %w: tensor<4x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{linear: result type f32[2, 8] does not match the inferred f32[2, 4]}}
  %0 = nn.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Without padding a 3x3 kernel shrinks 8 to 6.
func.func @conv_result(%x: tensor<2x3x8x8xf32>, %w: tensor<6x3x3x3xf32>) -> tensor<2x6x8x8xf32> {
  // expected-error @+1 {{conv2d: result type f32[2, 6, 8, 8] does not match the inferred f32[2, 6, 6, 6]}}
  %0 = nn.conv2d %x, %w : (tensor<2x3x8x8xf32>, tensor<6x3x3x3xf32>) -> tensor<2x6x8x8xf32>
  return %0 : tensor<2x6x8x8xf32>
}

// -----

// compare gives booleans.
func.func @compare_result(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{compare: result type f32[3] does not match the inferred i1[3]}}
  %0 = nn.compare %a, %a {predicate = "lt"} : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @cast_result(%a: tensor<3xf32>) -> tensor<3xi32> {
  // expected-error @+1 {{cast: result type i32[3] does not match the inferred i64[3]}}
  %0 = nn.cast %a {dtype = "i64"} : (tensor<3xf32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// keepdims is off by default: the reduced axis disappears.
func.func @reduce_result(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{sum: result type f32[2, 1] does not match the inferred f32[2]}}
  %0 = nn.sum %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// The mean reduction gives a 0-d loss.
func.func @loss_result(%l: tensor<4x10xf32>, %y: tensor<4xi64>) -> tensor<4xf32> {
  // expected-error @+1 {{cross_entropy: result type f32[4] does not match the inferred f32[]}}
  %0 = nn.cross_entropy %l, %y : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @split_result(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{split: result type f32[2, 4] does not match the inferred f32[2, 5]}}
  %0, %1 = nn.split %x {axis = 1 : i64, sections = array<i64: 3, 5>} : (tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x4xf32>)
  return
}

// -----

// The generic form is checked the same way.
func.func @generic_result(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{transpose: result type f32[2, 3] does not match the inferred f32[3, 2]}}
  %0 = "nn.transpose"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// With every operand ranked the rule itself runs in the verifier.
func.func @rule_error_at_parse(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{maximum: cannot broadcast f32[2, 3] with f32[4] (axis 1: 3 vs 4)}}
  %0 = nn.maximum %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @non_tensor_result(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.relu' op result #0 must be tensor of any type values, but got 'f32'}}
  %0 = nn.relu %x : (tensor<2x3xf32>) -> f32
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.load and nn.constant
//===----------------------------------------------------------------------===//

func.func @load_undeclared() -> tensor<*xf32> {
  // expected-error @+1 {{unknown parameter 'nope'}}
  %0 = nn.load @nope : () -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A symbol that exists but is not an nn.param.
func.func @forward() {
  return
}
func.func @load_function() {
  // expected-error @+1 {{unknown parameter 'forward'}}
  %0 = nn.load @forward : () -> tensor<2xf32>
  return
}

// -----

nn.param @w : tensor<2xf32> {init = "zeros", init_args = {}, trainable = true}
func.func @load_type() -> tensor<3xf32> {
  // expected-error @+1 {{load: result type f32[3] does not match the inferred f32[2]}}
  %0 = nn.load @w : () -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @constant_type() -> tensor<2xf32> {
  // expected-error @+1 {{constant: result type f32[2] does not match the inferred f32[3]}}
  %0 = nn.constant {value = dense<1.0> : tensor<3xf32>} : () -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @constant_vector() {
  // expected-error @+1 {{constant: value must be a ranked tensor}}
  %0 = nn.constant {value = dense<1.0> : vector<3xf32>} : () -> tensor<3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.param
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'nn.param' op unknown initializer 'glorot'}}
nn.param @w : tensor<2xf32> {init = "glorot", init_args = {}, trainable = true}

// -----

// expected-error @+1 {{'nn.param' op initializer 'uniform' takes no argument 'std'}}
nn.param @w : tensor<2xf32> {init = "uniform", init_args = {std = 1.0 : f64}, trainable = true}

// -----

// Only the Xavier and Kaiming initializers take a gain.
// expected-error @+1 {{'nn.param' op initializer 'normal' takes no argument 'gain'}}
nn.param @w : tensor<2xf32> {init = "normal", init_args = {gain = 1.0 : f64}, trainable = true}

// -----

// Only Kaiming takes a mode.
// expected-error @+1 {{'nn.param' op initializer 'xavier_uniform' takes no argument 'mode'}}
nn.param @w : tensor<2x2xf32> {init = "xavier_uniform", init_args = {mode = "fan_in"}, trainable = true}

// -----

// expected-error @+1 {{'nn.param' op parameters must be floating-point, got i32[2]}}
nn.param @w : tensor<2xi32> {init = "zeros", init_args = {}, trainable = true}

// -----

// expected-error @+1 {{'nn.param' op attribute 'type' failed to satisfy constraint: type attribute of statically shaped tensor of any type values}}
nn.param @w : tensor<?xf32> {init = "zeros", init_args = {}, trainable = true}

// -----

// expected-error @+1 {{'nn.param' op requires attribute 'trainable'}}
nn.param @w : tensor<2xf32> {init = "zeros", init_args = {}}

// -----

//===----------------------------------------------------------------------===//
// nn.train
//===----------------------------------------------------------------------===//

func.func @forward() {
  return
}
// expected-error @+1 {{'nn.train' op unknown optimizer 'lbfgs'}}
nn.train @forward {loss = "loss", metrics = [], optimizer = "lbfgs", hyperparameters = {}, frozen = []}

// -----

func.func @forward() {
  return
}
// Adam has betas, not momentum.
// expected-error @+1 {{'nn.train' op optimizer 'adam' has no hyperparameter 'momentum'}}
nn.train @forward {loss = "loss", metrics = [], optimizer = "adam", hyperparameters = {lr = 1.0e-03 : f64, momentum = 9.0e-01 : f64}, frozen = []}

// -----

func.func @forward() {
  return
}
// expected-error @+1 {{'nn.train' op optimizer 'sgd' has no hyperparameter 'betas'}}
nn.train @forward {loss = "loss", metrics = [], optimizer = "sgd", hyperparameters = {lr = 1.0e-01 : f64, betas = [9.0e-01 : f64, 9.99e-01 : f64]}, frozen = []}

// -----

// expected-error @+1 {{'nn.train' op forward function 'missing' does not exist}}
nn.train @missing {loss = "loss", metrics = [], optimizer = "adam", hyperparameters = {}, frozen = []}

// -----

nn.param @w : tensor<2xf32> {init = "zeros", init_args = {}, trainable = true}
func.func @forward() {
  return
}
// expected-error @+1 {{'nn.train' op frozen @w9 is not a declared nn.param}}
nn.train @forward {loss = "loss", metrics = [], optimizer = "adam", hyperparameters = {}, frozen = [@w, @w9]}

// -----

func.func @forward() {
  return
}
// expected-error @+1 {{'nn.train' op requires attribute 'frozen'}}
nn.train @forward {loss = "loss", metrics = [], optimizer = "adam", hyperparameters = {}}

// -----

//===----------------------------------------------------------------------===//
// Operand and result counts
//===----------------------------------------------------------------------===//

func.func @binary_one_operand(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.add' op expected 2 operands, but found 1}}
  %0 = nn.add %x : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @unary_two_operands(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.relu' op requires a single operand}}
  %0 = nn.relu %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @linear_one_operand(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.linear' op expected 2 or more operands, but found 1}}
  %0 = nn.linear %x : (tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

// The optional bias takes at most one operand.
func.func @linear_four_operands(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.linear' op operand group starting at #2 requires 0 or 1 element, but found 2}}
  %0 = nn.linear %x, %x, %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @conv_one_operand(%x: tensor<2x3x8x8xf32>) {
  // expected-error @+1 {{'nn.conv2d' op expected 2 or more operands, but found 1}}
  %0 = nn.conv2d %x : (tensor<2x3x8x8xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @batch_norm_two_operands(%x: tensor<2x3xf32>, %c: tensor<3xf32>) {
  // expected-error @+1 {{'nn.batch_norm' op expected 5 operands, but found 2}}
  %0 = nn.batch_norm %x, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @select_two_operands(%c: tensor<3xi1>, %x: tensor<3xf32>) {
  // expected-error @+1 {{'nn.select' op expected 3 operands, but found 2}}
  %0 = "nn.select"(%c, %x) : (tensor<3xi1>, tensor<3xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @load_with_operand(%x: tensor<2xf32>) {
  // expected-error @+1 {{'nn.load' op requires zero operands}}
  %0 = "nn.load"(%x) {name = @w} : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @unary_two_results(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'nn.relu' op requires one result}}
  %0, %1 = nn.relu %x : (tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return
}

// -----

// The adjoint ops check their gradient operand against the forward op's output shape.
func.func @pool_grad(%x: tensor<1x1x4x4xf64>, %dy: tensor<1x1x3x3xf64>) -> tensor<1x1x4x4xf64> {
  // expected-error @+1 {{max_pool_backward: output_grad f64[1, 1, 3, 3] must be [1, 1, 2, 2], the forward op's output shape}}
  %dx = nn.max_pool_backward %x, %dy {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}
      : (tensor<1x1x4x4xf64>, tensor<1x1x3x3xf64>) -> tensor<1x1x4x4xf64>
  return %dx : tensor<1x1x4x4xf64>
}

// -----

func.func @conv_grad(%dy: tensor<2x4x5x5xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<2x3x8x8xf32> {
  // expected-error @+1 {{conv_backward_data: output_grad f32[2, 4, 5, 5] must be [2, 4, 6, 6], the forward op's output shape}}
  %dx = nn.conv_backward_data %dy, %w {dilation = array<i64: 1, 1>, groups = 1 : i64, input_shape = array<i64: 2, 3, 8, 8>,
      padding = array<i64: 0, 0>, stride = array<i64: 1, 1>} : (tensor<2x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<2x3x8x8xf32>
  return %dx : tensor<2x3x8x8xf32>
}
