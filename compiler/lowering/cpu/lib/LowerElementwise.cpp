// Elementwise ops → one all-parallel linalg.generic each, operands broadcast numpy-style:
// unary math, leaky_relu, binary arithmetic, compare, select, cast, broadcast_to.
#include "lowering/LoweringSupport.h"

#include "nn/RuleSupport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

namespace nnc::lowering {
using namespace mlir;

namespace {

using ScalarFn = std::function<Value(OpBuilder &, Location, ValueRange, Operation *)>;

LowerFn mapOp(ScalarFn fn) {
  return [fn](Operation *op, OpBuilder &b) -> FailureOr<SmallVector<Value>> {
    Value r = elementwise(b, op->getLoc(), resultType(op), op->getOperands(),
                          [&](OpBuilder &nb, Location loc, ValueRange x) { return fn(nb, loc, x, op); });
    return SmallVector<Value>{r};
  };
}

Value zero(OpBuilder &b, Location loc, Value like) { return scalarConstant(b, loc, like.getType(), 0); }

// 1 / (1 + exp(-x)) without overflow: with e = exp(-|x|), x >= 0 ? 1/(1+e) : e/(1+e).
Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, b.create<math::AbsFOp>(loc, x)));
  Value one = scalarConstant(b, loc, x.getType(), 1);
  Value r = b.create<arith::DivFOp>(loc, one, b.create<arith::AddFOp>(loc, one, e));
  Value positive = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGE, x, zero(b, loc, x));
  return b.create<arith::SelectOp>(loc, positive, r, b.create<arith::MulFOp>(loc, e, r));
}

Value compare(OpBuilder &b, Location loc, Value x, Value y, llvm::StringRef p) {
  if (isFloat(x.getType())) {
    auto pred = llvm::StringSwitch<arith::CmpFPredicate>(p)
                    .Case("lt", arith::CmpFPredicate::OLT).Case("le", arith::CmpFPredicate::OLE)
                    .Case("gt", arith::CmpFPredicate::OGT).Case("ge", arith::CmpFPredicate::OGE)
                    .Case("eq", arith::CmpFPredicate::OEQ).Default(arith::CmpFPredicate::UNE);
    return b.create<arith::CmpFOp>(loc, pred, x, y);
  }
  auto pred = llvm::StringSwitch<arith::CmpIPredicate>(p)
                  .Case("lt", arith::CmpIPredicate::slt).Case("le", arith::CmpIPredicate::sle)
                  .Case("gt", arith::CmpIPredicate::sgt).Case("ge", arith::CmpIPredicate::sge)
                  .Case("eq", arith::CmpIPredicate::eq).Default(arith::CmpIPredicate::ne);
  return b.create<arith::CmpIOp>(loc, pred, x, y);
}

} // namespace

void registerElementwiseLowerings(LoweringTable &t) {
  t["nn.neg"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value {
    return isFloat(x[0].getType()) ? b.create<arith::NegFOp>(l, x[0]).getResult() : sub(b, l, zero(b, l, x[0]), x[0]);
  });
  t["nn.exp"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value { return b.create<math::ExpOp>(l, x[0]); });
  t["nn.log"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value { return b.create<math::LogOp>(l, x[0]); });
  t["nn.sqrt"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value { return b.create<math::SqrtOp>(l, x[0]); });
  t["nn.rsqrt"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value {
    // 1 / sqrt(x), not math.rsqrt: the approximate instruction would differ from PyTorch.
    return b.create<arith::DivFOp>(l, scalarConstant(b, l, x[0].getType(), 1), b.create<math::SqrtOp>(l, x[0]));
  });
  t["nn.abs"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value {
    return isFloat(x[0].getType()) ? b.create<math::AbsFOp>(l, x[0]).getResult() : b.create<math::AbsIOp>(l, x[0]).getResult();
  });
  t["nn.step"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value {
    Value positive = compare(b, l, x[0], zero(b, l, x[0]), "gt");
    return b.create<arith::SelectOp>(l, positive, scalarConstant(b, l, x[0].getType(), 1), zero(b, l, x[0]));
  });
  t["nn.sigmoid"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) { return sigmoid(b, l, x[0]); });
  t["nn.tanh"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value { return b.create<math::TanhOp>(l, x[0]); });
  t["nn.relu"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value {
    Value negative = compare(b, l, x[0], zero(b, l, x[0]), "lt"); // NaN stays NaN
    return b.create<arith::SelectOp>(l, negative, zero(b, l, x[0]), x[0]);
  });
  t["nn.leaky_relu"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *op) -> Value {
    Value slope = scalarConstant(b, l, x[0].getType(), mlir::nn::floatAttr(op, "slope"));
    Value positive = compare(b, l, x[0], zero(b, l, x[0]), "gt");
    return b.create<arith::SelectOp>(l, positive, x[0], mul(b, l, slope, x[0]));
  });
  t["nn.add"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) { return add(b, l, x[0], x[1]); });
  t["nn.sub"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) { return sub(b, l, x[0], x[1]); });
  t["nn.mul"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) { return mul(b, l, x[0], x[1]); });
  t["nn.div"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) { return div(b, l, x[0], x[1]); });
  t["nn.pow"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value {
    if (isFloat(x[0].getType())) return b.create<math::PowFOp>(l, x[0], x[1]);
    return b.create<math::IPowIOp>(l, x[0], x[1]);
  });
  t["nn.maximum"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) { return maximum(b, l, x[0], x[1]); });
  t["nn.minimum"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) { return minimum(b, l, x[0], x[1]); });
  t["nn.compare"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *op) {
    return compare(b, l, x[0], x[1], mlir::nn::stringAttr(op, "predicate"));
  });
  t["nn.select"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *) -> Value {
    return b.create<arith::SelectOp>(l, x[0], x[1], x[2]);
  });
  t["nn.cast"] = mapOp([](OpBuilder &b, Location l, ValueRange x, Operation *op) {
    return convert(b, l, x[0], resultType(op).getElementType());
  });
  t["nn.broadcast_to"] = mapOp([](OpBuilder &, Location, ValueRange x, Operation *) { return x[0]; });
}

} // namespace nnc::lowering
