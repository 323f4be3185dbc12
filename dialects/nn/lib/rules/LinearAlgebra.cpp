// Shape rules of linear, matmul and batch_matmul.
#include "nn/RuleSupport.h"
#include "nn/Rules.h"

namespace mlir::nn {

LogicalResult inferLinear(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");   // (..., in)
  auto weight = rankedOperand(op, 1, "weight"); // (out, in)
  if (failed(input) || failed(weight)) return failure();
  if (input->getRank() < 1)
    return ruleError(op) << "input must have rank >= 1, got " << formatType(*input);
  if (failed(requireRank(op, *weight, "weight", 2)) || failed(requireFloat(op, *input, "input")) ||
      failed(requireSameElementType(op, *input, "input", *weight, "weight")))
    return failure();
  int64_t in = input->getShape().back();
  if (weight->getDimSize(1) != in)
    return ruleError(op) << "input has " << in << " features but weight "
                         << formatType(*weight) << " expects " << weight->getDimSize(1)
                         << " (input " << formatType(*input) << ")";
  int64_t out = weight->getDimSize(0);
  if (op->getNumOperands() == 3) {
    auto bias = rankedOperand(op, 2, "bias"); // (out)
    if (failed(bias) || failed(requireSameElementType(op, *input, "input", *bias, "bias")))
      return failure();
    if (bias->getRank() != 1 || bias->getDimSize(0) != out)
      return ruleError(op) << "bias must be [" << out << "] to match weight "
                           << formatType(*weight) << ", got " << formatType(*bias);
  }
  Shape shape(input->getShape());
  shape.back() = out;
  results.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

// matmul (rank 2) and batch_matmul (rank >= 3, broadcast batch axes) share this rule;
// the op's name tells which ranks it accepts.
LogicalResult inferMatmul(Operation *op, TypeList &results) {
  bool batched = surfaceName(op) == "batch_matmul";
  auto lhs = rankedOperand(op, 0, "lhs");
  auto rhs = rankedOperand(op, 1, "rhs");
  if (failed(lhs) || failed(rhs)) return failure();
  for (auto [type, role] : {std::pair{*lhs, "lhs"}, std::pair{*rhs, "rhs"}}) {
    if (!batched && type.getRank() != 2)
      return ruleError(op) << role << " must have rank 2, got " << formatType(type)
                           << " (batch_matmul takes batches)";
    if (batched && type.getRank() < 3)
      return ruleError(op) << role << " must have rank >= 3, got " << formatType(type)
                           << " (matmul takes rank-2 operands)";
  }
  if (failed(requireFloat(op, *lhs, "lhs")) ||
      failed(requireSameElementType(op, *lhs, "lhs", *rhs, "rhs")))
    return failure();
  int64_t lr = lhs->getRank(), rr = rhs->getRank();
  bool ta = boolAttr(op, "transpose_a"), tb = boolAttr(op, "transpose_b");
  int64_t m = lhs->getDimSize(ta ? lr - 1 : lr - 2), k = lhs->getDimSize(ta ? lr - 2 : lr - 1);
  int64_t k2 = rhs->getDimSize(tb ? rr - 1 : rr - 2), n = rhs->getDimSize(tb ? rr - 2 : rr - 1);
  if (k != k2)
    return ruleError(op) << "contraction sizes differ: " << formatType(*lhs)
                         << (ta ? " (transposed)" : "") << " has " << k << ", "
                         << formatType(*rhs) << (tb ? " (transposed)" : "") << " has " << k2;
  Shape shape;
  if (batched) {
    auto lb = RankedTensorType::get(lhs->getShape().drop_back(2), lhs->getElementType());
    auto rb = RankedTensorType::get(rhs->getShape().drop_back(2), rhs->getElementType());
    auto batch = broadcastShapes(op, lb, rb);
    if (failed(batch)) return failure();
    shape = *batch;
  }
  shape.append({m, n});
  results.push_back(RankedTensorType::get(shape, lhs->getElementType()));
  return success();
}

} // namespace mlir::nn
