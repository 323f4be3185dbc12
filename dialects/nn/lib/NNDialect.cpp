// Registers the nn dialect's ops and implements the shape-rule verifier shared by all.
#include "nn/NNDialect.h"

#include "nn/RuleSupport.h"
#include "nn/Rules.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::nn;

#include "nn/NNDialect.cpp.inc"
#include "nn/NNInterfaces.cpp.inc"

void NNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "nn/NNOps.cpp.inc"
      >();
}

LogicalResult mlir::nn::verifyInferredResultTypes(Operation *op) {
  // Before nn-infer-shapes some operands may be unranked: nothing to compare yet.
  for (Value operand : op->getOperands())
    if (!isa<RankedTensorType>(operand.getType())) return success();
  llvm::SmallVector<Type, 2> inferred;
  if (failed(cast<ShapeInference>(op).inferResultTypes(inferred))) return failure();
  if (inferred.size() != op->getNumResults())
    return op->emitError() << surfaceName(op) << ": produces " << inferred.size()
                           << " results but " << op->getNumResults() << " are declared";
  for (auto [declared, expected] : llvm::zip(op->getResultTypes(), inferred)) {
    auto tensor = dyn_cast<TensorType>(declared);
    if (!tensor) return op->emitError() << surfaceName(op) << ": results must be tensors";
    // Unranked or dynamic results are placeholders that nn-infer-shapes fills in.
    if (tensor.hasRank() && (tensor.getElementType() != getElementTypeOrSelf(expected) ||
                             failed(verifyCompatibleShape(tensor, expected))))
      return op->emitError() << surfaceName(op) << ": result type " << formatType(declared)
                             << " does not match the inferred " << formatType(expected);
  }
  return success();
}

#define GET_OP_CLASSES
#include "nn/NNOps.cpp.inc"
