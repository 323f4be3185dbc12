// Gradient rules of the elementwise ops. Binary ops reduce their gradients back to each
// operand's shape (undoing broadcasting). step uses the straight-through convention
// (its gradient passes dy unchanged), documented in docs/autodiff.md.
#include "GradientSupport.h"

namespace mlir::nn {

// dx = f(b, x, y, dy) for a one-operand op.
template <typename F>
static LogicalResult unary(Operation *op, OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs, F f) {
  return withBuilder(op, builder, [&](NNBuilder &b) {
    dxs.push_back(f(b, op->getOperand(0), op->getResult(0), dys[0]));
  });
}

#define NN_UNARY_GRADIENT(OP, EXPR)                                                          \
  LogicalResult OP::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) { \
    return unary(*this, builder, dys, dxs,                                                   \
                 [&](NNBuilder &b, Value x, Value y, Value dy) -> Value { return EXPR; });   \
  }

NN_UNARY_GRADIENT(NegOp, b.neg(dy))
NN_UNARY_GRADIENT(ExpOp, b.mul(dy, y))
NN_UNARY_GRADIENT(LogOp, b.div(dy, x))
NN_UNARY_GRADIENT(SqrtOp, b.div(b.mul(dy, b.scalar(0.5, x)), y))
NN_UNARY_GRADIENT(RsqrtOp, b.mul(dy, b.mul(b.scalar(-0.5, x), b.mul(y, b.mul(y, y)))))
NN_UNARY_GRADIENT(AbsOp, b.select(b.compare(x, b.scalar(0.0, x), "gt"), dy,
                                  b.select(b.compare(x, b.scalar(0.0, x), "lt"), b.neg(dy),
                                           b.zerosLike(dy))))
NN_UNARY_GRADIENT(StepOp, dy)
NN_UNARY_GRADIENT(SigmoidOp, b.mul(dy, b.mul(y, b.sub(b.scalar(1.0, y), y))))
NN_UNARY_GRADIENT(TanhOp, b.mul(dy, b.sub(b.scalar(1.0, y), b.mul(y, y))))
NN_UNARY_GRADIENT(ReluOp, b.select(b.compare(x, b.scalar(0.0, x), "gt"), dy, b.zerosLike(dy)))
NN_UNARY_GRADIENT(LeakyReluOp, b.select(b.compare(x, b.scalar(0.0, x), "gt"), dy,
                                        b.mul(dy, b.scalar(getSlope().convertToDouble(), x))))
#undef NN_UNARY_GRADIENT

// (dlhs, drhs) = f(b, lhs, rhs, y, dy), each reduced to its operand's shape.
template <typename F>
static LogicalResult binary(Operation *op, OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs, F f) {
  return withBuilder(op, builder, [&](NNBuilder &b) {
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    auto [dl, dr] = f(b, lhs, rhs, op->getResult(0), dys[0]);
    dxs.push_back(b.sumToShape(dl, cast<ShapedType>(lhs.getType())));
    dxs.push_back(b.sumToShape(dr, cast<ShapedType>(rhs.getType())));
  });
}

#define NN_BINARY_GRADIENT(OP, LHS, RHS)                                                     \
  LogicalResult OP::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) { \
    return binary(*this, builder, dys, dxs,                                                  \
                  [&](NNBuilder &b, Value a, Value c, Value y, Value dy) -> std::pair<Value, Value> { \
                    return {LHS, RHS};                                                       \
                  });                                                                        \
  }

NN_BINARY_GRADIENT(AddOp, dy, dy)
NN_BINARY_GRADIENT(SubOp, dy, b.neg(dy))
NN_BINARY_GRADIENT(MulOp, b.mul(dy, c), b.mul(dy, a))
NN_BINARY_GRADIENT(DivOp, b.div(dy, c), b.neg(b.div(b.mul(dy, a), b.mul(c, c))))
// d(a^c)/da = c·a^(c-1); d(a^c)/dc = a^c·log(a) (defined for a > 0).
NN_BINARY_GRADIENT(PowOp, b.mul(dy, b.mul(c, b.op("pow", {a, b.sub(c, b.scalar(1.0, c))}))),
                   b.mul(dy, b.mul(y, b.op("log", {a}))))
// Ties split the gradient evenly, as PyTorch does.
NN_BINARY_GRADIENT(MaximumOp,
                   b.mul(dy, b.select(b.compare(a, c, "gt"), b.scalar(1.0, y),
                                      b.select(b.compare(a, c, "eq"), b.scalar(0.5, y), b.scalar(0.0, y)))),
                   b.mul(dy, b.select(b.compare(c, a, "gt"), b.scalar(1.0, y),
                                      b.select(b.compare(a, c, "eq"), b.scalar(0.5, y), b.scalar(0.0, y)))))
NN_BINARY_GRADIENT(MinimumOp,
                   b.mul(dy, b.select(b.compare(a, c, "lt"), b.scalar(1.0, y),
                                      b.select(b.compare(a, c, "eq"), b.scalar(0.5, y), b.scalar(0.0, y)))),
                   b.mul(dy, b.select(b.compare(c, a, "lt"), b.scalar(1.0, y),
                                      b.select(b.compare(a, c, "eq"), b.scalar(0.5, y), b.scalar(0.0, y)))))
#undef NN_BINARY_GRADIENT

LogicalResult SelectOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Value dy = dys[0], zero = b.scalar(0.0, dy);
    dxs.push_back(Value()); // the condition
    dxs.push_back(b.sumToShape(b.select(getCondition(), dy, zero), getOnTrue().getType()));
    dxs.push_back(b.sumToShape(b.select(getCondition(), zero, dy), getOnFalse().getType()));
  });
}

LogicalResult CastOp::buildGradients(OpBuilder &builder, llvm::ArrayRef<Value> dys, Grads &dxs) {
  return withBuilder(*this, builder, [&](NNBuilder &b) {
    Type from = getElementTypeOrSelf(getInput().getType());
    bool floats = isa<FloatType>(from) && isa<FloatType>(getElementTypeOrSelf(getType()));
    dxs.push_back(floats ? b.cast(dys[0], from) : Value());
  });
}

} // namespace mlir::nn
