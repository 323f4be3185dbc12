// Op base classes of the nn dialect: every op infers its result types through
// ShapeInferenceOpInterface and prints in one uniform form,
//   %r = nn.op %a, %b {attrs} : (operand types) -> result types
#ifndef NN_BASE_TD
#define NN_BASE_TD

include "nn/NNDialect.td"
include "nn/NNInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Ops with a gradient rule, and ops that compute differently while training.
defvar NN_Grad = DeclareOpInterfaceMethods<NN_DifferentiableOpInterface>;
defvar NN_Train = DeclareOpInterfaceMethods<NN_TrainingFormOpInterface>;

// Ops that the frontend builds itself and a `.graph` file cannot call by name.
def NN_Internal : NativeOpTrait<"NNInternal"> { let cppNamespace = "::mlir::nn"; }

class NN_Op<string mnemonic, list<Trait> traits = []>
    : Op<NN_Dialect, mnemonic,
         !listconcat(traits, [DeclareOpInterfaceMethods<NN_ShapeInferenceOpInterface>])> {
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
}

// A rule shared by a family of ops, written once in C++ (`rule` names the function).
class NN_RuleOp<string mnemonic, string rule, list<Trait> traits = []>
    : NN_Op<mnemonic, traits> {
  let extraClassDefinition = [{
    ::mlir::LogicalResult $cppClass::inferResultTypes(
        ::llvm::SmallVectorImpl<::mlir::Type> &resultTypes) {
      return ::mlir::nn::}] # rule # [{(getOperation(), resultTypes);
    }
  }];
}

// Elementwise op of one floating-point operand; the result has the operand's type.
class NN_UnaryOp<string mnemonic, string formula, list<Trait> traits = []>
    : NN_RuleOp<mnemonic, "inferUnaryElementwise", !listconcat(traits, [Pure, NN_Grad])> {
  let summary = "elementwise " # formula;
  let description = [{
    Computes `}] # formula # [{` for every element. The result has the operand's shape and
    element type.

    Example:
    ```mlir
    %y = nn.}] # mnemonic # [{ %x : (tensor<64x512xf32>) -> tensor<64x512xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input);
  let results = (outs AnyTensor:$result);
}

// Elementwise op of two operands with NumPy broadcasting.
class NN_BinaryOp<string mnemonic, string formula, list<Trait> traits = []>
    : NN_RuleOp<mnemonic, "inferBinaryElementwise", !listconcat(traits, [Pure, NN_Grad])> {
  let summary = "elementwise " # formula # " with broadcasting";
  let description = [{
    Computes `}] # formula # [{` element by element. Shapes broadcast as in NumPy: they are
    aligned at the trailing axis and every pair of sizes must be equal or contain a 1.
    Both operands have the same element type.

    Example:
    ```mlir
    %z = nn.}] # mnemonic # [{ %x, %b : (tensor<64x10xf32>, tensor<10xf32>) -> tensor<64x10xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$lhs, AnyTensor:$rhs);
  let results = (outs AnyTensor:$result);
}

// A reduction over `axes` (all axes when empty).
class NN_ReduceOp<string mnemonic, string what>
    : NN_RuleOp<mnemonic, "inferReduction", [Pure, NN_Grad]> {
  let summary = what # " over axes";
  let description = [{
    Reduces the operand with }] # what # [{ over `axes` (every axis when `axes` is empty).
    Negative axes count from the end. With `keepdims` the reduced axes stay as size 1.

    Example:
    ```mlir
    %s = nn.}] # mnemonic # [{ %x {axes = array<i64: 1>, keepdims = false}
        : (tensor<64x10xf32>) -> tensor<64xf32>
    ```
  }];
  let arguments = (ins AnyTensor:$input,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
                       DefaultValuedAttr<BoolAttr, "false">:$keepdims);
  let results = (outs AnyTensor:$result);
}

// Losses: a reduction over the batch of a per-example loss.
defvar NN_Reduction = DefaultValuedAttr<StrAttr, "\"mean\"">;

#endif // NN_BASE_TD
