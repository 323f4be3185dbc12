// Gradient rules of the losses, in their numerically stable fused forms: the
// cross-entropy gradient is softmax - target, never a division by a probability.
#include "GradientSupport.h"

namespace mlir::nn {

// Scales a per-element gradient `g` by the loss gradient `dl` according to `reduction`:
// mean divides by the number of examples `count`, none multiplies elementwise (dl then
// has `g`'s shape without `trailing` axes).
static Value byReduction(NNBuilder &b, Operation *op, Value g, Value dl, double count, bool classAxis) {
  llvm::StringRef reduction = stringAttr(op, "reduction");
  if (reduction == "none") {
    if (classAxis) {
      Shape kept(shapeOf(dl));
      kept.push_back(1);
      dl = b.reshape(dl, kept);
    }
    return b.mul(g, dl);
  }
  if (reduction == "mean") dl = b.div(dl, b.scalar(count, dl));
  return b.mul(g, dl);
}

static double examples(Value v, bool classAxis) {
  double count = 1;
  llvm::ArrayRef<int64_t> shape = shapeOf(v);
  for (int64_t d : classAxis ? shape.drop_back() : shape) count *= d;
  return count;
}

LogicalResult CrossEntropyOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value logits = getLogits();
    int64_t classes = shapeOf(logits).back();
    std::string dtype = dtypeName(getElementTypeOrSelf(logits.getType()));
    Value target = b.op("one_hot", {getLabels()}, {b.attr("classes", classes),
                                                   b.attr("dtype", llvm::StringRef(dtype))});
    double eps = getLabelSmoothing().convertToDouble();
    if (eps > 0)
      target = b.add(b.mul(target, b.scalar(1.0 - eps, logits)), b.scalar(eps / double(classes), logits));
    Value g = b.sub(b.op("softmax", {logits}, {b.attr("axis", int64_t(-1))}), target);
    dxs.push_back(byReduction(b, *this, g, dys[0], examples(logits, true), true));
    dxs.push_back(Value());
  });
}

LogicalResult NllOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value lp = getLogProbs();
    std::string dtype = dtypeName(getElementTypeOrSelf(lp.getType()));
    Value target = b.op("one_hot", {getLabels()}, {b.attr("classes", shapeOf(lp).back()),
                                                   b.attr("dtype", llvm::StringRef(dtype))});
    dxs.push_back(byReduction(b, *this, b.neg(target), dys[0], examples(lp, true), true));
    dxs.push_back(Value());
  });
}

// (dinput, dtarget) = f(b, input, target) per element, before the reduction.
template <typename F>
static LogicalResult pairLoss(Operation *op, OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs, F f) {
  return withBuilder(op, builder, [&](NNBuilder &b) {
    Value x = op->getOperand(0), t = op->getOperand(1);
    auto [dx, dt] = f(b, x, t);
    double count = examples(x, false);
    dxs.push_back(byReduction(b, op, dx, dys[0], count, false));
    dxs.push_back(byReduction(b, op, dt, dys[0], count, false));
  });
}

LogicalResult MseOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return pairLoss(*this, builder, dys, dxs, [](NNBuilder &b, Value x, Value t) {
    Value g = b.mul(b.sub(x, t), b.scalar(2.0, x));
    return std::pair{g, b.neg(g)};
  });
}

LogicalResult BceWithLogitsOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  // loss = max(x, 0) - x·t + log(1 + exp(-|x|)): d/dx = sigmoid(x) - t, d/dt = -x.
  return pairLoss(*this, builder, dys, dxs, [](NNBuilder &b, Value x, Value t) {
    return std::pair{b.sub(b.op("sigmoid", {x}), t), b.neg(x)};
  });
}

LogicalResult HingeOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  // loss = max(0, margin - t·x): where active, d/dx = -t and d/dt = -x. At margin 0 this
  // is the perceptron rule: misclassified examples pull the weights toward t·x.
  double margin = getMargin().convertToDouble();
  return pairLoss(*this, builder, dys, dxs, [&](NNBuilder &b, Value x, Value t) {
    Value active = b.compare(b.sub(b.scalar(margin, x), b.mul(t, x)), b.scalar(0.0, x), "gt");
    Value zero = b.scalar(0.0, x);
    return std::pair{b.select(active, b.neg(t), zero), b.select(active, b.neg(x), zero)};
  });
}

} // namespace mlir::nn
