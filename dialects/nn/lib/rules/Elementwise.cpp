// Shape rules of elementwise ops: unary, broadcasting binary, compare, select, cast.
#include "nn/RuleSupport.h"
#include "nn/Rules.h"

namespace mlir::nn {

LogicalResult inferUnaryElementwise(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input) || failed(requireFloat(op, *input, "input"))) return failure();
  results.push_back(*input);
  return success();
}

// Broadcasts operands [0, n) with each other; they must share one element type.
static FailureOr<RankedTensorType> broadcastAll(Operation *op, unsigned first, unsigned n,
                                                llvm::ArrayRef<llvm::StringRef> roles) {
  auto acc = rankedOperand(op, first, roles[0]);
  if (failed(acc)) return failure();
  for (unsigned i = 1; i < n; ++i) {
    auto next = rankedOperand(op, first + i, roles[i]);
    if (failed(next) || failed(requireSameElementType(op, *acc, roles[0], *next, roles[i])))
      return failure();
    auto shape = broadcastShapes(op, *acc, *next);
    if (failed(shape)) return failure();
    acc = RankedTensorType::get(*shape, acc->getElementType());
  }
  return acc;
}

LogicalResult inferBinaryElementwise(Operation *op, TypeList &results) {
  auto type = broadcastAll(op, 0, 2, {"lhs", "rhs"});
  if (failed(type)) return failure();
  if (failed(requireFloat(op, *type, "operands"))) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferCompare(Operation *op, TypeList &results) {
  llvm::StringRef predicate = stringAttr(op, "predicate");
  if (!llvm::is_contained({"lt", "le", "gt", "ge", "eq", "ne"}, predicate))
    return ruleError(op) << "unknown predicate '" << predicate
                         << "' (expected lt, le, gt, ge, eq or ne)";
  auto type = broadcastAll(op, 0, 2, {"lhs", "rhs"});
  if (failed(type)) return failure();
  results.push_back(RankedTensorType::get(type->getShape(), IntegerType::get(op->getContext(), 1)));
  return success();
}

LogicalResult inferSelect(Operation *op, TypeList &results) {
  auto condition = rankedOperand(op, 0, "condition");
  if (failed(condition)) return failure();
  if (!condition->getElementType().isInteger(1))
    return ruleError(op) << "condition must be i1, got " << formatType(*condition);
  auto choices = broadcastAll(op, 1, 2, {"on_true", "on_false"});
  if (failed(choices)) return failure();
  auto shape = broadcastShapes(op, *condition, *choices);
  if (failed(shape)) return failure();
  results.push_back(RankedTensorType::get(*shape, choices->getElementType()));
  return success();
}

LogicalResult inferCast(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  llvm::StringRef dtype = stringAttr(op, "dtype");
  Type element = parseDType(op->getContext(), dtype);
  if (!element)
    return ruleError(op) << "unsupported dtype '" << dtype << "' (expected f32, f64, i32, i64 or i1)";
  results.push_back(RankedTensorType::get(input->getShape(), element));
  return success();
}

} // namespace mlir::nn
