// Gradient rules of softmax, log_softmax and the reductions over axes.
#include "GradientSupport.h"

namespace mlir::nn {

// The reduced axes of a reduction op, non-negative (every axis when `axes` is empty).
static Shape reducedAxes(Operation *op) {
  int64_t rank = shapeOf(op->getOperand(0)).size();
  Shape axes;
  for (int64_t a : arrayAttr(op, "axes")) axes.push_back(a < 0 ? a + rank : a);
  if (axes.empty())
    for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
  return axes;
}

// dy of a reduction, broadcast back over the reduced axes of the input.
static Value spread(NNBuilder &b, Operation *op, Value dy) {
  Value x = op->getOperand(0);
  return b.broadcastTo(b.reshape(dy, keptShape(shapeOf(x), reducedAxes(op))), shapeOf(x));
}

static int64_t reducedCount(Operation *op) {
  int64_t count = 1;
  for (int64_t a : reducedAxes(op)) count *= shapeOf(op->getOperand(0))[a];
  return count;
}

LogicalResult SumOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) { dxs.push_back(spread(b, *this, dys[0])); });
}

LogicalResult MeanOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value dy = dys[0];
    dxs.push_back(spread(b, *this, b.div(dy, b.scalar(double(reducedCount(*this)), dy))));
  });
}

// The gradient goes to the maxima, split evenly among ties (PyTorch's amax).
LogicalResult MaxOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value x = getInput();
    Value isMax = b.select(b.compare(x, spread(b, *this, getResult()), "eq"), b.scalar(1.0, x),
                           b.scalar(0.0, x));
    Value ties = b.sum(isMax, reducedAxes(*this), /*keepdims=*/true);
    dxs.push_back(b.mul(spread(b, *this, dys[0]), b.div(isMax, ties)));
  });
}

LogicalResult SoftmaxOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    // dx = y · (dy - Σ dy·y)
    Value y = getResult(), dy = dys[0];
    int64_t axis = getAxis() < 0 ? getAxis() + int64_t(shapeOf(y).size()) : getAxis();
    dxs.push_back(b.mul(y, b.sub(dy, b.sum(b.mul(dy, y), {axis}, true))));
  });
}

LogicalResult LogSoftmaxOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    // dx = dy - softmax · Σ dy
    Value y = getResult(), dy = dys[0];
    int64_t axis = getAxis() < 0 ? getAxis() + int64_t(shapeOf(y).size()) : getAxis();
    dxs.push_back(b.sub(dy, b.mul(b.op("exp", {y}), b.sum(dy, {axis}, true))));
  });
}

} // namespace mlir::nn
