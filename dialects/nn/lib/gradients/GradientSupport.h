// Shared pieces of the gradient rules (private to dialects/nn/lib/gradients).
#pragma once

#include "nn/NNBuilder.h"
#include "nn/NNDialect.h"
#include "nn/RuleSupport.h"

#include "mlir/IR/TypeUtilities.h"

namespace mlir::nn {

using Grads = llvm::SmallVectorImpl<Value>;

// Runs `rule` with an NNBuilder at the op's location; fails when any build failed.
template <typename Rule>
LogicalResult withBuilder(Operation *op, OpBuilder &builder, Rule rule) {
  NNBuilder b(builder, op->getLoc());
  rule(b);
  return success(!b.failed());
}

// The shape with `axes` kept as size 1.
inline Shape keptShape(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> axes) {
  Shape kept(shape);
  for (int64_t a : axes) kept[a] = 1;
  return kept;
}

// All axes of a rank-`rank` tensor except `keep`.
inline Shape axesExcept(int64_t rank, int64_t keep) {
  Shape axes;
  for (int64_t i = 0; i < rank; ++i)
    if (i != keep) axes.push_back(i);
  return axes;
}

} // namespace mlir::nn
