// Checks the nn.train and nn.param verifiers (dialects/nn/lib/ModuleOps.cpp) are missing
// today: each case is accepted now and should be rejected. The expected texts reuse the
// verifier's existing wording where there is one; elsewhere they only name the offending
// attribute. These cases fail until the verifiers are completed.
// RUN: nnc-opt %s -split-input-file -verify-diagnostics

// TrainOp::verify looks `frozen` entries up as any symbol, so a function passes as a
// frozen parameter although the message says "is not a declared nn.param".
nn.param @w : tensor<2xf32> {init = "zeros", init_args = {}, trainable = true}
func.func @forward() {
  return
}
// expected-error @+1 {{'nn.train' op frozen @forward is not a declared nn.param}}
nn.train @forward {loss = "loss", metrics = [], optimizer = "adam", hyperparameters = {}, frozen = [@forward]}

// -----

// Likewise `forward` may name an nn.param instead of a function.
nn.param @w : tensor<2xf32> {init = "zeros", init_args = {}, trainable = true}
// expected-error @+1 {{forward function 'w'}}
nn.train @w {loss = "loss", metrics = [], optimizer = "adam", hyperparameters = {}, frozen = []}

// -----

// sgd's lr has no default (kRequired, NaN, in Optimizers.cpp); a train op without it is
// accepted and would train with lr = NaN.
func.func @forward() {
  return
}
// expected-error @+1 {{lr}}
nn.train @forward {loss = "loss", metrics = [], optimizer = "sgd", hyperparameters = {}, frozen = []}

// -----

// Hyperparameter kinds (Float, Bool, FloatPair in Optimizers.h) are not checked.
func.func @forward() {
  return
}
// expected-error @+1 {{lr}}
nn.train @forward {loss = "loss", metrics = [], optimizer = "sgd", hyperparameters = {lr = "fast"}, frozen = []}

// -----

// Kaiming's mode must be fan_in or fan_out.
// expected-error @+1 {{mode}}
nn.param @w : tensor<2x2xf32> {init = "kaiming_uniform", init_args = {mode = "sideways"}, trainable = true}

// -----

// The gain must be a number.
// expected-error @+1 {{gain}}
nn.param @w : tensor<2x2xf32> {init = "xavier_uniform", init_args = {gain = "big"}, trainable = true}
