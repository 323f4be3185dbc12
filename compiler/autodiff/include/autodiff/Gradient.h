// Symbolic reverse-mode differentiation of nn IR. Every op on a path from the `wrt`
// values to the objective is asked for its gradient rule (the Differentiable interface);
// gradients of values used more than once are summed. Gradient work that nothing uses is
// left for dead-code removal.
#pragma once

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace nnc {

// Builds d objective / d wrt[i] for a 0-d floating-point `objective`, at the builder's
// insertion point (which must come after every op the objective depends on). An entry
// is null when the objective does not depend on that value. Fails, with an error at the
// op, when a needed op has no gradient rule.
mlir::FailureOr<llvm::SmallVector<mlir::Value>> buildGradients(mlir::OpBuilder &builder,
                                                               mlir::Value objective,
                                                               llvm::ArrayRef<mlir::Value> wrt);

// Erases the side-effect-free ops of `block` whose results nobody uses.
void eraseDeadOps(mlir::Block &block);

} // namespace nnc
