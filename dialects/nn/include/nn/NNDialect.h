// The nn dialect's C++ entry point: the dialect, its interfaces, traits and ops.
#pragma once

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "nn/NNDialect.h.inc"

namespace mlir::nn {

// Marks ops the frontend builds itself (declarations, constants); a `.graph` file cannot
// call them by name.
template <typename ConcreteType>
class NNInternal : public OpTrait::TraitBase<ConcreteType, NNInternal> {};

// Re-runs an op's shape rule when every operand is ranked and checks the declared
// result types against it (the ShapeInference interface's verifier).
LogicalResult verifyInferredResultTypes(Operation *op);

} // namespace mlir::nn

#include "nn/NNInterfaces.h.inc"

#define GET_OP_CLASSES
#include "nn/NNOps.h.inc"
