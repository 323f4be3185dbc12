// The operations of the nn dialect. Each has a summary, a description with an example,
// and its shape rule (ShapeInferenceOpInterface) in dialects/nn/lib/rules/.
#ifndef NN_OPS_TD
#define NN_OPS_TD

include "nn/NNBase.td"
include "mlir/IR/SymbolInterfaces.td"

//===----------------------------------------------------------------------===//
// Module-level declarations (built by the frontend, not callable from .graph)
//===----------------------------------------------------------------------===//

def NN_ParamOp : Op<NN_Dialect, "param", [Symbol, NN_Internal]> {
  let summary = "declares a trainable parameter or a non-trainable buffer";
  let description = [{
    A tensor that lives across training steps. `trainable` parameters get gradients and
    optimizer state; buffers (batch-norm running statistics) are state only. `init`
    names the initializer and `init_args` holds its resolved numeric arguments (the
    nonlinearity gain is already a number here), so the runtime needs no tables.

    Example:
    ```mlir
    nn.param @w1 : tensor<512x784xf32> {init = "kaiming_uniform",
        init_args = {gain = 1.4142135623730951 : f64, mode = "fan_in"}, trainable = true}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttrOf<AnyStaticShapeTensor>:$type,
                       StrAttr:$init, DictionaryAttr:$init_args, BoolAttr:$trainable);
  let assemblyFormat = "$sym_name `:` $type attr-dict";
  let hasVerifier = 1;
}

def NN_LoadOp : NN_Op<"load", [Pure, NN_Internal,
                               DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "reads the current value of a parameter or buffer";
  let description = [{
    Produces the value of the `nn.param` named by `name`; its type is the declared one.

    Example:
    ```mlir
    %w = nn.load @w1 : () -> tensor<512x784xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$name);
  let results = (outs AnyTensor:$result);
  let assemblyFormat = "$name attr-dict `:` functional-type(operands, results)";
}

def NN_ConstantOp : NN_Op<"constant", [Pure, NN_Internal, ConstantLike]> {
  let summary = "a constant tensor";
  let description = [{
    A tensor given by a dense elements attribute; numbers written in tensor position in a
    `.graph` file become 0-d constants that broadcast.

    Example:
    ```mlir
    %c = nn.constant {value = dense<5.000000e-01> : tensor<f32>} : () -> tensor<f32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyTensor:$result);
  let hasFolder = 1;
}

def NN_TrainOp : Op<NN_Dialect, "train", [NN_Internal]> {
  let summary = "the training configuration of the module";
  let description = [{
    Names the forward function, which of its results is the loss to minimize, the
    optimizer with its hyperparameters (PyTorch's defaults filled in), the metric
    results, the frozen parameters, and optionally the gradient-norm clipping bound
    (`max_grad_norm`, the default of a run-time hyperparameter of the same name).
    Later passes build the train step from it.

    Example:
    ```mlir
    nn.train @forward {loss = "loss", metrics = ["accuracy"], optimizer = "sgd",
        hyperparameters = {lr = 5.000000e-02 : f64, momentum = 9.000000e-01 : f64},
        frozen = [@w1]}
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$forward, StrAttr:$loss, StrAttr:$optimizer,
                       DictionaryAttr:$hyperparameters, StrArrayAttr:$metrics,
                       SymbolRefArrayAttr:$frozen, OptionalAttr<F64Attr>:$max_grad_norm);
  let assemblyFormat = "$forward attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The default of the train step's run-time hyperparameter `name`: an optimizer
    /// setting (beta1/beta2 from betas), or max_grad_norm; 0 when absent.
    double hyperparameterDefault(::llvm::StringRef name);
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

def NN_NegOp : NN_UnaryOp<"neg", "-x">;
def NN_ExpOp : NN_UnaryOp<"exp", "exp(x)">;
def NN_LogOp : NN_UnaryOp<"log", "log(x)">;
def NN_SqrtOp : NN_UnaryOp<"sqrt", "sqrt(x)">;
def NN_RsqrtOp : NN_UnaryOp<"rsqrt", "1 / sqrt(x)">;
def NN_AbsOp : NN_UnaryOp<"abs", "|x|">;
def NN_StepOp : NN_UnaryOp<"step", "x > 0 ? 1 : 0 (Heaviside step, for the perceptron)">;
def NN_SigmoidOp : NN_UnaryOp<"sigmoid", "1 / (1 + exp(-x))">;
def NN_TanhOp : NN_UnaryOp<"tanh", "tanh(x)">;
def NN_ReluOp : NN_UnaryOp<"relu", "max(x, 0)">;

def NN_LeakyReluOp : NN_RuleOp<"leaky_relu", "inferUnaryElementwise", [Pure, NN_Grad]> {
  let summary = "elementwise leaky ReLU";
  let description = [{
    Computes `x > 0 ? x : slope * x`; `slope` defaults to PyTorch's 0.01.

    Example:
    ```mlir
    %y = nn.leaky_relu %x {slope = 2.000000e-01 : f64} : (tensor<8x16xf32>) -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<F64Attr, "0.01">:$slope);
  let results = (outs AnyTensor:$result);
}

def NN_AddOp : NN_BinaryOp<"add", "lhs + rhs", [Commutative]>;
def NN_SubOp : NN_BinaryOp<"sub", "lhs - rhs">;
def NN_MulOp : NN_BinaryOp<"mul", "lhs * rhs", [Commutative]>;
def NN_DivOp : NN_BinaryOp<"div", "lhs / rhs">;
def NN_PowOp : NN_BinaryOp<"pow", "lhs ^ rhs">;
def NN_MaximumOp : NN_BinaryOp<"maximum", "max(lhs, rhs)", [Commutative]>;
def NN_MinimumOp : NN_BinaryOp<"minimum", "min(lhs, rhs)", [Commutative]>;

def NN_CompareOp : NN_RuleOp<"compare", "inferCompare", [Pure]> {
  let summary = "elementwise comparison with broadcasting";
  let description = [{
    Compares `lhs` with `rhs` by `predicate` (one of `lt le gt ge eq ne`), broadcasting as
    `nn.add` does. The result holds booleans (`i1`).

    Example:
    ```mlir
    %m = nn.compare %x, %zero {predicate = "gt"} : (tensor<64xf32>, tensor<f32>) -> tensor<64xi1>
    ```
  }];
  let arguments = (ins AnyTensor:$lhs, AnyTensor:$rhs,
                       DefaultValuedAttr<StrAttr, "\"lt\"">:$predicate);
  let results = (outs AnyTensor:$result);
}

def NN_SelectOp : NN_RuleOp<"select", "inferSelect", [Pure, NN_Grad]> {
  let summary = "elementwise choice by a boolean condition";
  let description = [{
    Takes `on_true` where `condition` is true and `on_false` elsewhere. The three operands
    broadcast together; `condition` is `i1` and the two choices share an element type.

    Example:
    ```mlir
    %y = nn.select %m, %x, %zero : (tensor<64xi1>, tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$condition, AnyTensor:$on_true, AnyTensor:$on_false);
  let results = (outs AnyTensor:$result);
}

def NN_CastOp : NN_RuleOp<"cast", "inferCast", [Pure, NN_Grad]> {
  let summary = "converts the element type";
  let description = [{
    Converts every element to `dtype` (`f32 f64 i32 i64 i1`); floats convert to integers
    by truncation toward zero, booleans become 0 or 1.

    Example:
    ```mlir
    %f = nn.cast %labels {dtype = "f32"} : (tensor<64xi64>) -> tensor<64xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<StrAttr, "\"f32\"">:$dtype);
  let results = (outs AnyTensor:$result);
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def NN_LinearOp : NN_RuleOp<"linear", "inferLinear", [Pure, NN_Grad]> {
  let summary = "fully connected layer: x · weightᵀ + bias";
  let description = [{
    `input` is `[..., in]`, `weight` is `[out, in]` (PyTorch's layout) and the optional
    `bias` is `[out]`; the result is `[..., out]`.

    Example:
    ```mlir
    %h = nn.linear %x, %w, %b : (tensor<64x784xf32>, tensor<512x784xf32>, tensor<512xf32>)
        -> tensor<64x512xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$weight, Optional<AnyTensor>:$bias);
  let results = (outs AnyTensor:$result);
}

def NN_MatmulOp : NN_RuleOp<"matmul", "inferMatmul", [Pure, NN_Grad]> {
  let summary = "matrix product of two rank-2 tensors, with optional transposes";
  let description = [{
    `op(lhs) · op(rhs)` where `op` transposes when `transpose_a` / `transpose_b` is
    set: `[M, K] · [K, N] -> [M, N]`.

    Example:
    ```mlir
    %c = nn.matmul %a, %b {transpose_b = true} : (tensor<64x784xf32>, tensor<512x784xf32>)
        -> tensor<64x512xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$lhs, AnyTensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$transpose_a,
                       DefaultValuedAttr<BoolAttr, "false">:$transpose_b);
  let results = (outs AnyTensor:$result);
}

def NN_BatchMatmulOp : NN_RuleOp<"batch_matmul", "inferMatmul", [Pure, NN_Grad]> {
  let summary = "batched matrix product with broadcast batch axes";
  let description = [{
    Operands of rank ≥ 3: `[..., M, K] · [..., K, N] -> [..., M, N]`, the leading batch
    axes broadcasting as in NumPy. `transpose_a` / `transpose_b` swap the last two
    axes of an operand first (attention uses `q · kᵀ`).

    Example:
    ```mlir
    %s = nn.batch_matmul %q, %k {transpose_b = true}
        : (tensor<8x4x16x16xf32>, tensor<8x4x16x16xf32>) -> tensor<8x4x16x16xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$lhs, AnyTensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$transpose_a,
                       DefaultValuedAttr<BoolAttr, "false">:$transpose_b);
  let results = (outs AnyTensor:$result);
}

//===----------------------------------------------------------------------===//
// Softmax and reductions
//===----------------------------------------------------------------------===//

def NN_SoftmaxOp : NN_RuleOp<"softmax", "inferAxisPreserving", [Pure, NN_Grad]> {
  let summary = "softmax along an axis";
  let description = [{
    `exp(x - max) / sum(exp(x - max))` along `axis` (default: the last), computed in the
    numerically stable form. The result has the operand's type.

    Example:
    ```mlir
    %p = nn.softmax %logits {axis = -1 : i64} : (tensor<64x10xf32>) -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$result);
}

def NN_LogSoftmaxOp : NN_RuleOp<"log_softmax", "inferAxisPreserving", [Pure, NN_Grad]> {
  let summary = "log of softmax along an axis";
  let description = [{
    `x - max - log(sum(exp(x - max)))` along `axis` (default: the last).

    Example:
    ```mlir
    %l = nn.log_softmax %logits {axis = -1 : i64} : (tensor<64x10xf32>) -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs AnyTensor:$result);
}

def NN_SumOp : NN_ReduceOp<"sum", "the sum">;
def NN_MeanOp : NN_ReduceOp<"mean", "the arithmetic mean">;
def NN_MaxOp : NN_ReduceOp<"max", "the maximum">;

def NN_ArgmaxOp : NN_RuleOp<"argmax", "inferArgmax", [Pure]> {
  let summary = "index of the largest element along an axis";
  let description = [{
    The first index of the maximum along `axis`, as `i64`. With `keepdims` the axis stays
    as size 1.

    Example:
    ```mlir
    %c = nn.argmax %logits {axis = -1 : i64} : (tensor<64x10xf32>) -> tensor<64xi64>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$keepdims);
  let results = (outs AnyTensor:$result);
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def NN_ReshapeOp : NN_RuleOp<"reshape", "inferReshape", [Pure, NN_Grad]> {
  let summary = "same elements, new shape";
  let description = [{
    Reinterprets the elements in row-major order with shape `shape`; one entry may be -1
    and is then computed from the element count, which must stay the same.

    Example:
    ```mlir
    %r = nn.reshape %x {shape = array<i64: 64, -1>} : (tensor<64x16x5x5xf32>) -> tensor<64x400xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs AnyTensor:$result);
  let hasFolder = 1; // identity when the shape does not change
}

def NN_FlattenOp : NN_RuleOp<"flatten", "inferFlatten", [Pure, NN_Grad]> {
  let summary = "merges a range of axes into one";
  let description = [{
    Merges axes `start_axis` to `end_axis` (inclusive, negative counts from the end)
    into one axis. The defaults keep the batch axis: `[N, C, H, W] -> [N, C·H·W]`.

    Example:
    ```mlir
    %f = nn.flatten %x {start_axis = 1 : i64, end_axis = -1 : i64}
        : (tensor<64x1x28x28xf32>) -> tensor<64x784xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<I64Attr, "1">:$start_axis,
                       DefaultValuedAttr<I64Attr, "-1">:$end_axis);
  let results = (outs AnyTensor:$result);
  let hasFolder = 1; // identity when the shape does not change
}

def NN_TransposeOp : NN_RuleOp<"transpose", "inferTranspose", [Pure, NN_Grad]> {
  let summary = "permutes the axes";
  let description = [{
    Result axis `i` is operand axis `perm[i]`; an empty `perm` reverses the axes.

    Example:
    ```mlir
    %t = nn.transpose %x {perm = array<i64: 0, 2, 1, 3>}
        : (tensor<8x16x4x16xf32>) -> tensor<8x4x16x16xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$perm);
  let results = (outs AnyTensor:$result);
}

def NN_ConcatOp : NN_RuleOp<"concat", "inferConcat", [Pure, NN_Grad]> {
  let summary = "joins tensors along an axis";
  let description = [{
    All operands share their element type and every size except along `axis`.

    Example:
    ```mlir
    %c = nn.concat %a, %b {axis = 1 : i64}
        : (tensor<8x64x32x32xf32>, tensor<8x32x32x32xf32>) -> tensor<8x96x32x32xf32>
    ```
  }];
  let arguments = (ins Variadic<AnyTensor>:$inputs, DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs AnyTensor:$result);
}

def NN_SliceOp : NN_RuleOp<"slice", "inferSlice", [Pure, NN_Grad]> {
  let summary = "takes a strided range along one axis";
  let description = [{
    Keeps indices `start, start+step, ...` below `end` along `axis`, with Python's rules:
    negative `start`/`end` count from the end and both clamp to the axis. `step` ≥ 1.

    Example:
    ```mlir
    %s = nn.slice %x {axis = 1 : i64, start = 0 : i64, end = 16 : i64, step = 1 : i64}
        : (tensor<8x64xf32>) -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$start,
                       DefaultValuedAttr<I64Attr, "9223372036854775807">:$end,
                       DefaultValuedAttr<I64Attr, "1">:$step);
  let results = (outs AnyTensor:$result);
}

def NN_PadOp : NN_RuleOp<"pad", "inferPad", [Pure, NN_Grad]> {
  let summary = "pads every axis with a constant";
  let description = [{
    Adds `low[i]` elements before and `high[i]` after axis `i`, filled with `value`.
    `low` and `high` have one non-negative entry per axis.

    Example:
    ```mlir
    %p = nn.pad %x {low = array<i64: 0, 0, 2, 2>, high = array<i64: 0, 0, 2, 2>, value = 0.0 : f64}
        : (tensor<8x1x28x28xf32>) -> tensor<8x1x32x32xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DenseI64ArrayAttr:$low, DenseI64ArrayAttr:$high,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs AnyTensor:$result);
}

def NN_SplitOp : NN_RuleOp<"split", "inferSplit", [Pure, NN_Grad]> {
  let summary = "cuts a tensor into pieces along an axis";
  let description = [{
    One result per entry of `sections`, whose sizes along `axis` are those entries; they
    must add up to the operand's size.

    Example:
    ```mlir
    %a, %b = nn.split %x {axis = 1 : i64, sections = array<i64: 256, 256>}
        : (tensor<64x512xf32>) -> (tensor<64x256xf32>, tensor<64x256xf32>)
    ```
  }];
  let arguments = (ins AnyTensor:$input, DenseI64ArrayAttr:$sections,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Variadic<AnyTensor>:$results);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling (NCHW; a spatial attribute of one entry applies to every
// spatial axis, as PyTorch's int-or-tuple arguments do)
//===----------------------------------------------------------------------===//

class NN_ConvOp<string mnemonic, string dims, string example> : NN_RuleOp<mnemonic, "inferConv", [Pure, NN_Grad]> {
  let summary = dims # " convolution (cross-correlation, as PyTorch)";
  let description = [{
    `input` is `[N, C, spatial...]`, `weight` is `[O, C / groups, kernel...]`, the optional
    `bias` is `[O]`. Each spatial output size is
    `(in + 2·padding - dilation·(kernel - 1) - 1) / stride + 1`, which must be ≥ 1.
    `C` and `O` must be divisible by `groups`.

    Example:
    ```mlir
    }] # example # [{
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$weight, Optional<AnyTensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1}">:$stride,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0}">:$padding,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1}">:$dilation,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs AnyTensor:$result);
}

def NN_Conv1DOp : NN_ConvOp<"conv1d", "1-d",
  "%y = nn.conv1d %x, %w {padding = array<i64: 1>} : (tensor<8x16x100xf32>, tensor<32x16x3xf32>) -> tensor<8x32x100xf32>">;
def NN_Conv2DOp : NN_ConvOp<"conv2d", "2-d",
  "%y = nn.conv2d %x, %w, %b {padding = array<i64: 2>} : (tensor<64x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>) -> tensor<64x6x28x28xf32>">;

class NN_PoolOp<string mnemonic, string what, string example, dag extra = (ins)>
    : NN_RuleOp<mnemonic, "inferPool", [Pure, NN_Grad]> {
  let summary = what # " pooling";
  let description = [{
    }] # what # [{ pooling over windows of `kernel` on `[N, C, spatial...]`. `stride`
    defaults to `kernel` (an empty `stride` means that); `padding` must be at most half
    the kernel. Each output size is `(in + 2·padding - kernel) / stride + 1`.

    Example:
    ```mlir
    }] # example # [{
    ```
  }];
  let arguments = !con((ins AnyTensor:$input,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$kernel,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$stride,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0}">:$padding), extra);
  let results = (outs AnyTensor:$result);
}

def NN_MaxPool1DOp : NN_PoolOp<"max_pool1d", "1-d max",
  "%y = nn.max_pool1d %x {kernel = array<i64: 2>} : (tensor<8x16x100xf32>) -> tensor<8x16x50xf32>">;
def NN_MaxPool2DOp : NN_PoolOp<"max_pool2d", "2-d max",
  "%y = nn.max_pool2d %x {kernel = array<i64: 2>} : (tensor<64x6x28x28xf32>) -> tensor<64x6x14x14xf32>">;
def NN_AvgPool2DOp : NN_PoolOp<"avg_pool2d", "2-d average",
  "%y = nn.avg_pool2d %x {kernel = array<i64: 2>} : (tensor<64x6x28x28xf32>) -> tensor<64x6x14x14xf32>",
  (ins DefaultValuedAttr<BoolAttr, "true">:$count_include_pad)>;

def NN_GlobalAvgPoolOp : NN_RuleOp<"global_avg_pool", "inferGlobalAvgPool", [Pure, NN_Grad]> {
  let summary = "mean over all spatial axes";
  let description = [{
    `[N, C, spatial...] -> [N, C]`: PyTorch's `AdaptiveAvgPool2d(1)` followed by flatten.

    Example:
    ```mlir
    %g = nn.global_avg_pool %x : (tensor<128x512x4x4xf32>) -> tensor<128x512xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$result);
}

//===----------------------------------------------------------------------===//
// Normalization, regularization, embeddings
//===----------------------------------------------------------------------===//

def NN_BatchNormOp : NN_RuleOp<"batch_norm", "inferBatchNorm", [Pure, NN_Grad, NN_Train]> {
  let summary = "batch normalization over the channel axis";
  let description = [{
    `input` is `[N, C]` or `[N, C, spatial...]`; `gamma`, `beta`, `running_mean` and
    `running_var` are `[C]`. In training the batch statistics normalize and the running
    statistics move by `momentum` (PyTorch's convention, unbiased variance for the
    running estimate); in evaluation the running statistics normalize.

    Example:
    ```mlir
    %y = nn.batch_norm %x, %g, %b, %m, %v {eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64}
        : (tensor<64x32x14x14xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>)
        -> tensor<64x32x14x14xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$gamma, AnyTensor:$beta,
                       AnyTensor:$running_mean, AnyTensor:$running_var,
                       DefaultValuedAttr<F64Attr, "0.1">:$momentum,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps);
  let results = (outs AnyTensor:$result);
}

def NN_LayerNormOp : NN_RuleOp<"layer_norm", "inferLayerNorm", [Pure, NN_Grad]> {
  let summary = "layer normalization over the trailing axes";
  let description = [{
    Normalizes over the trailing axes whose sizes are `gamma`'s shape (PyTorch's
    `normalized_shape`), then scales by `gamma` and shifts by `beta`.

    Example:
    ```mlir
    %y = nn.layer_norm %x, %g, %b {eps = 1.0e-05 : f64}
        : (tensor<8x16x64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<8x16x64xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$gamma, AnyTensor:$beta,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps);
  let results = (outs AnyTensor:$result);
}

def NN_DropoutOp : NN_RuleOp<"dropout", "inferDropout", [NN_Grad, NN_Train]> {
  let summary = "inverted dropout";
  let description = [{
    In training, zeroes each element with probability `p` and scales the rest by
    `1 / (1 - p)`; in evaluation it is the identity. `0 ≤ p < 1`.

    Example:
    ```mlir
    %y = nn.dropout %x {p = 5.000000e-01 : f64} : (tensor<64x512xf32>) -> tensor<64x512xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DefaultValuedAttr<F64Attr, "0.5">:$p);
  let results = (outs AnyTensor:$result);
}

def NN_EmbeddingOp : NN_RuleOp<"embedding", "inferEmbedding", [Pure, NN_Grad]> {
  let summary = "looks up rows of a table by integer index";
  let description = [{
    `indices` (integers, any shape `[...]`) select rows of `table` `[V, D]`; the result is
    `[..., D]`.

    Example:
    ```mlir
    %e = nn.embedding %tokens, %table : (tensor<8x16xi64>, tensor<32x64xf32>) -> tensor<8x16x64xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$indices, AnyTensor:$table);
  let results = (outs AnyTensor:$result);
}

//===----------------------------------------------------------------------===//
// Losses and metrics (class axis last; `reduction` is mean, sum or none)
//===----------------------------------------------------------------------===//

def NN_CrossEntropyOp : NN_RuleOp<"cross_entropy", "inferClassLoss", [Pure, NN_Grad]> {
  let summary = "softmax cross-entropy with integer labels";
  let description = [{
    `logits` `[..., C]`, `labels` `[...]` of integers in `[0, C)`. Per example
    `logsumexp(logits) - logits[label]` (with `label_smoothing` as in PyTorch), then
    reduced by `reduction`: `mean` and `sum` give a 0-d result, `none` gives `[...]`.

    Example:
    ```mlir
    %l = nn.cross_entropy %logits, %y : (tensor<64x10xf32>, tensor<64xi64>) -> tensor<f32>
    ```
  }];
  let arguments = (ins AnyTensor:$logits, AnyTensor:$labels, NN_Reduction:$reduction,
                       DefaultValuedAttr<F64Attr, "0.0">:$label_smoothing);
  let results = (outs AnyTensor:$result);
}

def NN_NllOp : NN_RuleOp<"nll", "inferClassLoss", [Pure, NN_Grad]> {
  let summary = "negative log-likelihood of integer labels";
  let description = [{
    `log_probs` `[..., C]` (from `nn.log_softmax`), `labels` `[...]`: `-log_probs[label]`,
    reduced by `reduction`.

    Example:
    ```mlir
    %l = nn.nll %lp, %y : (tensor<64x10xf32>, tensor<64xi64>) -> tensor<f32>
    ```
  }];
  let arguments = (ins AnyTensor:$log_probs, AnyTensor:$labels, NN_Reduction:$reduction);
  let results = (outs AnyTensor:$result);
}

class NN_PairLossOp<string mnemonic, string what, dag extra = (ins)>
    : NN_RuleOp<mnemonic, "inferPairLoss", [Pure, NN_Grad]> {
  let summary = what;
  let description = [{
    }] # what # [{, element by element over two tensors of the same shape and
    floating-point type, reduced by `reduction` (`mean`, `sum`, or `none`).

    Example:
    ```mlir
    %l = nn.}] # mnemonic # [{ %a, %b : (tensor<64x1xf32>, tensor<64x1xf32>) -> tensor<f32>
    ```
  }];
  let arguments = !con((ins AnyTensor:$input, AnyTensor:$target, NN_Reduction:$reduction), extra);
  let results = (outs AnyTensor:$result);
}

def NN_MseOp : NN_PairLossOp<"mse", "mean squared error (input - target)²">;
def NN_BceWithLogitsOp : NN_PairLossOp<"bce_with_logits",
  "binary cross-entropy of sigmoid(input) against targets in [0, 1], in the stable form">;
def NN_HingeOp : NN_PairLossOp<"hinge",
  "hinge loss max(0, margin - target·input) with targets ±1; margin 0 is the perceptron criterion",
  (ins DefaultValuedAttr<F64Attr, "1.0">:$margin)>;

def NN_AccuracyOp : NN_RuleOp<"accuracy", "inferAccuracy", [Pure]> {
  let summary = "fraction of examples whose argmax equals the label";
  let description = [{
    `logits` `[..., C]`, `labels` `[...]`: the mean of `argmax(logits) == label`, a 0-d
    `f32`. Not differentiable: a metric.

    Example:
    ```mlir
    %a = nn.accuracy %logits, %y : (tensor<64x10xf32>, tensor<64xi64>) -> tensor<f32>
    ```
  }];
  let arguments = (ins AnyTensor:$logits, AnyTensor:$labels);
  let results = (outs AnyTensor:$result);
}

def NN_BinaryAccuracyOp : NN_RuleOp<"binary_accuracy", "inferBinaryAccuracy", [Pure]> {
  let summary = "fraction of examples on the right side of zero";
  let description = [{
    The mean of `(scores > 0) == (targets > 0)` over two tensors of the same shape, so
    targets may be ±1 or {0, 1}. A 0-d `f32`.

    Example:
    ```mlir
    %a = nn.binary_accuracy %s, %t : (tensor<64x1xf32>, tensor<64x1xf32>) -> tensor<f32>
    ```
  }];
  let arguments = (ins AnyTensor:$scores, AnyTensor:$targets);
  let results = (outs AnyTensor:$result);
}

//===----------------------------------------------------------------------===//
// Broadcasting and one-hot (callable from .graph; also used by gradient rules)
//===----------------------------------------------------------------------===//

def NN_BroadcastToOp : NN_RuleOp<"broadcast_to", "inferBroadcastTo", [Pure, NN_Grad]> {
  let summary = "broadcasts a tensor to a shape";
  let description = [{
    Repeats the operand along size-1 and missing leading axes, as NumPy's
    `broadcast_to`: the operand's shape must broadcast to `shape`.

    Example:
    ```mlir
    %b = nn.broadcast_to %x {shape = array<i64: 64, 10>} : (tensor<10xf32>) -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs AnyTensor:$result);
  let hasFolder = 1; // identity when the shape does not change
}

def NN_OneHotOp : NN_RuleOp<"one_hot", "inferOneHot", [Pure]> {
  let summary = "one-hot encoding of integer labels";
  let description = [{
    `indices` `[...]` of integers in `[0, classes)` become `[..., classes]` with a 1 at
    each index and 0 elsewhere, in `dtype` (f32 by default).

    Example:
    ```mlir
    %o = nn.one_hot %y {classes = 10 : i64} : (tensor<64xi64>) -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$indices, I64Attr:$classes,
                       DefaultValuedAttr<StrAttr, "\"f32\"">:$dtype);
  let results = (outs AnyTensor:$result);
}

//===----------------------------------------------------------------------===//
// Training forms and gradient kernels (built by the train-step builder and the
// gradient rules, not callable from .graph)
//===----------------------------------------------------------------------===//

def NN_StoreOp : Op<NN_Dialect, "store", [NN_Internal, DeclareOpInterfaceMethods<SymbolUserOpInterface>,
                                          MemoryEffects<[MemWrite]>]> {
  let summary = "writes the new value of a parameter, buffer or optimizer state";
  let description = [{
    The state update of a train step: after the step, the `nn.param` named `name` holds
    `value` (same type). Loads in the same function still see the value from before
    the step.

    Example:
    ```mlir
    nn.store @w1, %new_w1 : tensor<512x784xf32>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$name, AnyTensor:$value);
  let assemblyFormat = "$name `,` $value attr-dict `:` type($value)";
}

def NN_BatchNormTrainOp : NN_RuleOp<"batch_norm_train", "inferBatchNormTrain", [Pure, NN_Internal, NN_Grad]> {
  let summary = "batch normalization with the batch's statistics";
  let description = [{
    The training form of `nn.batch_norm`: normalizes `input` `[N, C, spatial...]` with the
    mean and biased variance over every axis but the channel axis, then scales by `gamma`
    and shifts by `beta`. Also returns that mean and biased variance (each `[C]`) for the
    running-statistics update.

    Example:
    ```mlir
    %y, %mean, %var = nn.batch_norm_train %x, %g, %b {eps = 1.0e-05 : f64}
        : (tensor<64x32x14x14xf32>, tensor<32xf32>, tensor<32xf32>)
        -> (tensor<64x32x14x14xf32>, tensor<32xf32>, tensor<32xf32>)
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$gamma, AnyTensor:$beta,
                       DefaultValuedAttr<F64Attr, "1e-5">:$eps);
  let results = (outs AnyTensor:$result, AnyTensor:$mean, AnyTensor:$variance);
}

def NN_DropoutMaskOp : NN_RuleOp<"dropout_mask", "inferDropoutMask", [Pure, NN_Internal]> {
  let summary = "the scaled keep-mask of inverted dropout";
  let description = [{
    A tensor of `shape` whose elements are `1 / (1 - p)` with probability `1 - p` and 0
    otherwise, drawn from the counter-based Philox-4x32-10 generator keyed by `seed` and
    counted by (`step`, `stream`, element index): the same seed and step give the same
    mask on every device.

    Example:
    ```mlir
    %m = nn.dropout_mask %seed, %step {p = 5.0e-01 : f64, shape = array<i64: 64, 512>, stream = 0 : i64}
        : (tensor<i64>, tensor<i64>) -> tensor<64x512xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$seed, AnyTensor:$step, DenseI64ArrayAttr:$shape,
                       F64Attr:$p, I64Attr:$stream,
                       DefaultValuedAttr<StrAttr, "\"f32\"">:$dtype);
  let results = (outs AnyTensor:$result);
}

def NN_SliceGradOp : NN_RuleOp<"slice_grad", "inferSliceGrad", [Pure, NN_Internal]> {
  let summary = "places a slice's gradient back into a zero tensor";
  let description = [{
    The adjoint of `nn.slice`: a tensor whose axis `axis` has `size` entries, zero except
    at `start, start + step, ...`, which hold `input`.

    Example:
    ```mlir
    %g = nn.slice_grad %dy {axis = 1 : i64, size = 64 : i64, start = 0 : i64, step = 2 : i64}
        : (tensor<8x32xf32>) -> tensor<8x64xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, I64Attr:$axis, I64Attr:$size, I64Attr:$start, I64Attr:$step);
  let results = (outs AnyTensor:$result);
}

def NN_ConvBackwardDataOp : NN_RuleOp<"conv_backward_data", "inferConvBackwardData", [Pure, NN_Internal]> {
  let summary = "gradient of a convolution with respect to its input";
  let description = [{
    Given the output gradient `[N, O, out...]` and the weight `[O, C / groups, k...]` of a
    1-d or 2-d convolution with the same `stride`, `padding`, `dilation` and `groups`
    (full length), computes the input gradient of shape `input_shape`.

    Example:
    ```mlir
    %dx = nn.conv_backward_data %dy, %w {dilation = array<i64: 1, 1>, groups = 1 : i64,
        input_shape = array<i64: 8, 3, 32, 32>, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>}
        : (tensor<8x16x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x3x32x32xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$output_grad, AnyTensor:$weight, DenseI64ArrayAttr:$input_shape,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs AnyTensor:$result);
}

def NN_ConvBackwardFilterOp : NN_RuleOp<"conv_backward_filter", "inferConvBackwardFilter", [Pure, NN_Internal]> {
  let summary = "gradient of a convolution with respect to its weight";
  let description = [{
    Given the convolution's input `[N, C, in...]` and output gradient `[N, O, out...]`,
    computes the weight gradient `[O, C / groups, kernel...]` for the same `stride`,
    `padding`, `dilation` and `groups` (full length).

    Example:
    ```mlir
    %dw = nn.conv_backward_filter %x, %dy {dilation = array<i64: 1, 1>, groups = 1 : i64,
        kernel = array<i64: 3, 3>, padding = array<i64: 1, 1>, stride = array<i64: 1, 1>}
        : (tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32>) -> tensor<16x3x3x3xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$output_grad, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation, I64Attr:$groups);
  let results = (outs AnyTensor:$result);
}

def NN_MaxPoolBackwardOp : NN_RuleOp<"max_pool_backward", "inferMaxPoolBackward", [Pure, NN_Internal]> {
  let summary = "routes a max pooling's gradient to each window's maximum";
  let description = [{
    Given the pooling's input `[N, C, in...]` and output gradient, adds each output
    gradient to the input position of its window's first maximum (PyTorch's choice).
    `kernel`, `stride` and `padding` are full length.

    Example:
    ```mlir
    %dx = nn.max_pool_backward %x, %dy {kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}
        : (tensor<8x6x28x28xf32>, tensor<8x6x14x14xf32>) -> tensor<8x6x28x28xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input, AnyTensor:$output_grad, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$stride, DenseI64ArrayAttr:$padding);
  let results = (outs AnyTensor:$result);
}

def NN_AvgPoolBackwardOp : NN_RuleOp<"avg_pool_backward", "inferAvgPoolBackward", [Pure, NN_Internal]> {
  let summary = "spreads an average pooling's gradient over each window";
  let description = [{
    The adjoint of `nn.avg_pool2d`: each output gradient, divided by its window's divisor
    (the kernel area, or the unpadded part of it when `count_include_pad` is false), is
    added to every input position of the window. Attributes are full length.

    Example:
    ```mlir
    %dx = nn.avg_pool_backward %dy {count_include_pad = true, input_shape = array<i64: 8, 6, 28, 28>,
        kernel = array<i64: 2, 2>, padding = array<i64: 0, 0>, stride = array<i64: 2, 2>}
        : (tensor<8x6x14x14xf32>) -> tensor<8x6x28x28xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$output_grad, DenseI64ArrayAttr:$input_shape,
                       DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$stride,
                       DenseI64ArrayAttr:$padding, BoolAttr:$count_include_pad);
  let results = (outs AnyTensor:$result);
}

def NN_EmbeddingBackwardOp : NN_RuleOp<"embedding_backward", "inferEmbeddingBackward", [Pure, NN_Internal]> {
  let summary = "scatter-adds an embedding's gradient into its table's rows";
  let description = [{
    The table gradient of `nn.embedding`: a `[num_embeddings, D]` tensor of zeros to
    which the output gradient row of every index is added (repeated indices add up).

    Example:
    ```mlir
    %dt = nn.embedding_backward %tokens, %dy {num_embeddings = 32 : i64}
        : (tensor<8x16xi64>, tensor<8x16x64xf32>) -> tensor<32x64xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$indices, AnyTensor:$output_grad, I64Attr:$num_embeddings);
  let results = (outs AnyTensor:$result);
}

#endif // NN_OPS_TD
