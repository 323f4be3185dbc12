// Gradient rules of the convolutions and poolings, through their adjoint ops.
#include "GradientSupport.h"

namespace mlir::nn {

// The op's spatial attribute `name` expanded to one entry per spatial axis.
static Shape spatial(Operation *op, llvm::StringRef name, int64_t n,
                     std::optional<llvm::ArrayRef<int64_t>> fallback = std::nullopt) {
  return *expandSpatial(op, name, n, fallback); // the verified op has valid attributes
}

static LogicalResult convGradients(Operation *op, OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(op, builder, [&](NNBuilder &b) {
    Value x = op->getOperand(0), w = op->getOperand(1), dy = dys[0];
    int64_t n = shapeOf(x).size() - 2;
    auto stride = b.attr("stride", spatial(op, "stride", n));
    auto padding = b.attr("padding", spatial(op, "padding", n));
    auto dilation = b.attr("dilation", spatial(op, "dilation", n));
    auto groups = b.attr("groups", intAttr(op, "groups"));
    dxs.push_back(b.op("conv_backward_data", {dy, w},
                       {b.attr("input_shape", shapeOf(x)), stride, padding, dilation, groups}));
    dxs.push_back(b.op("conv_backward_filter", {x, dy},
                       {b.attr("kernel", shapeOf(w).drop_front(2)), stride, padding, dilation, groups}));
    if (op->getNumOperands() == 3) dxs.push_back(b.sum(dy, axesExcept(n + 2, 1), false));
  });
}

LogicalResult Conv1DOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return convGradients(*this, builder, dys, dxs);
}
LogicalResult Conv2DOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return convGradients(*this, builder, dys, dxs);
}

static LogicalResult maxPoolGradients(Operation *op, OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(op, builder, [&](NNBuilder &b) {
    Value x = op->getOperand(0);
    int64_t n = shapeOf(x).size() - 2;
    Shape kernel = spatial(op, "kernel", n);
    dxs.push_back(b.op("max_pool_backward", {x, dys[0]},
                       {b.attr("kernel", kernel), b.attr("stride", spatial(op, "stride", n, llvm::ArrayRef<int64_t>(kernel))),
                        b.attr("padding", spatial(op, "padding", n))}));
  });
}

LogicalResult MaxPool1DOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return maxPoolGradients(*this, builder, dys, dxs);
}
LogicalResult MaxPool2DOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return maxPoolGradients(*this, builder, dys, dxs);
}

LogicalResult AvgPool2DOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Shape kernel = spatial(*this, "kernel", 2);
    dxs.push_back(b.op("avg_pool_backward", {dys[0]},
                       {b.attr("input_shape", shapeOf(getInput())), b.attr("kernel", kernel),
                        b.attr("stride", spatial(*this, "stride", 2, llvm::ArrayRef<int64_t>(kernel))),
                        b.attr("padding", spatial(*this, "padding", 2)),
                        b.attr("count_include_pad", getCountIncludePad())}));
  });
}

LogicalResult GlobalAvgPoolOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    llvm::ArrayRef<int64_t> shape = shapeOf(getInput());
    int64_t area = 1;
    Shape kept{shape[0], shape[1]};
    for (int64_t d : shape.drop_front(2)) area *= d, kept.push_back(1);
    Value dy = b.div(dys[0], b.scalar(double(area), dys[0]));
    dxs.push_back(b.broadcastTo(b.reshape(dy, kept), shape));
  });
}

} // namespace mlir::nn
