// Gradient rules of the shape ops: each moves the gradient back to where its elements
// came from.
#include "GradientSupport.h"

namespace mlir::nn {

LogicalResult ReshapeOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) { dxs.push_back(b.reshape(dys[0], shapeOf(getInput()))); });
}

LogicalResult FlattenOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) { dxs.push_back(b.reshape(dys[0], shapeOf(getInput()))); });
}

LogicalResult TransposeOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    int64_t rank = shapeOf(getInput()).size();
    Shape perm(getPerm());
    if (perm.empty())
      for (int64_t i = rank - 1; i >= 0; --i) perm.push_back(i);
    Shape inverse(rank);
    for (int64_t i = 0; i < rank; ++i) inverse[perm[i]] = i;
    dxs.push_back(b.transpose(dys[0], inverse));
  });
}

LogicalResult BroadcastToOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    dxs.push_back(b.sumToShape(dys[0], cast<ShapedType>(getInput().getType())));
  });
}

LogicalResult ConcatOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    int64_t rank = shapeOf(getResult()).size();
    int64_t axis = getAxis() < 0 ? getAxis() + rank : getAxis();
    int64_t offset = 0;
    for (Value input : getInputs()) {
      int64_t size = shapeOf(input)[axis];
      dxs.push_back(b.op("slice", {dys[0]}, {b.attr("axis", axis), b.attr("start", offset),
                                             b.attr("end", offset + size), b.attr("step", int64_t(1))}));
      offset += size;
    }
  });
}

LogicalResult SliceOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    llvm::ArrayRef<int64_t> shape = shapeOf(getInput());
    int64_t axis = getAxis() < 0 ? getAxis() + int64_t(shape.size()) : getAxis();
    int64_t size = shape[axis], start = getStart();
    if (start < 0) start = start < -size ? 0 : start + size; // as the shape rule clamps
    start = std::min(start, size);
    dxs.push_back(b.op("slice_grad", {dys[0]}, {b.attr("axis", axis), b.attr("size", size),
                                                b.attr("start", start), b.attr("step", int64_t(getStep()))}));
  });
}

LogicalResult PadOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value dx = dys[0];
    llvm::ArrayRef<int64_t> shape = shapeOf(getInput());
    for (auto [axis, low] : llvm::enumerate(getLow()))
      if (low > 0 || getHigh()[axis] > 0)
        dx = b.op("slice", {dx}, {b.attr("axis", int64_t(axis)), b.attr("start", low),
                                  b.attr("end", low + shape[axis]), b.attr("step", int64_t(1))});
    dxs.push_back(dx);
  });
}

LogicalResult SplitOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    llvm::SmallVector<Value> pieces;
    for (auto [dy, result] : llvm::zip(dys, getResults()))
      pieces.push_back(dy ? dy : b.zerosLike(result));
    int64_t rank = shapeOf(getInput()).size();
    int64_t axis = getAxis() < 0 ? getAxis() + rank : getAxis();
    dxs.push_back(b.op("concat", pieces, {b.attr("axis", axis)}));
  });
}

} // namespace mlir::nn
