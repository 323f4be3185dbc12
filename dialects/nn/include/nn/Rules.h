// Shape rules shared by families of nn ops (NN_RuleOp in NNBase.td names them). Each
// pushes the result types of `op` or emits a located error naming the shapes.
#pragma once

#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir::nn {

using TypeList = llvm::SmallVectorImpl<Type>;

LogicalResult inferUnaryElementwise(Operation *op, TypeList &results);
LogicalResult inferBinaryElementwise(Operation *op, TypeList &results);
LogicalResult inferCompare(Operation *op, TypeList &results);
LogicalResult inferSelect(Operation *op, TypeList &results);
LogicalResult inferCast(Operation *op, TypeList &results);
LogicalResult inferLinear(Operation *op, TypeList &results);
LogicalResult inferMatmul(Operation *op, TypeList &results);
LogicalResult inferAxisPreserving(Operation *op, TypeList &results);
LogicalResult inferReduction(Operation *op, TypeList &results);
LogicalResult inferArgmax(Operation *op, TypeList &results);
LogicalResult inferReshape(Operation *op, TypeList &results);
LogicalResult inferFlatten(Operation *op, TypeList &results);
LogicalResult inferTranspose(Operation *op, TypeList &results);
LogicalResult inferConcat(Operation *op, TypeList &results);
LogicalResult inferSlice(Operation *op, TypeList &results);
LogicalResult inferPad(Operation *op, TypeList &results);
LogicalResult inferSplit(Operation *op, TypeList &results);
LogicalResult inferConv(Operation *op, TypeList &results);
LogicalResult inferPool(Operation *op, TypeList &results);
LogicalResult inferGlobalAvgPool(Operation *op, TypeList &results);
LogicalResult inferBatchNorm(Operation *op, TypeList &results);
LogicalResult inferLayerNorm(Operation *op, TypeList &results);
LogicalResult inferDropout(Operation *op, TypeList &results);
LogicalResult inferEmbedding(Operation *op, TypeList &results);
LogicalResult inferClassLoss(Operation *op, TypeList &results);
LogicalResult inferPairLoss(Operation *op, TypeList &results);
LogicalResult inferAccuracy(Operation *op, TypeList &results);
LogicalResult inferBinaryAccuracy(Operation *op, TypeList &results);
LogicalResult inferBroadcastTo(Operation *op, TypeList &results);
LogicalResult inferOneHot(Operation *op, TypeList &results);
LogicalResult inferBatchNormTrain(Operation *op, TypeList &results);
LogicalResult inferDropoutMask(Operation *op, TypeList &results);
LogicalResult inferSliceGrad(Operation *op, TypeList &results);
LogicalResult inferConvBackwardData(Operation *op, TypeList &results);
LogicalResult inferConvBackwardFilter(Operation *op, TypeList &results);
LogicalResult inferMaxPoolBackward(Operation *op, TypeList &results);
LogicalResult inferAvgPoolBackward(Operation *op, TypeList &results);
LogicalResult inferEmbeddingBackward(Operation *op, TypeList &results);

} // namespace mlir::nn
