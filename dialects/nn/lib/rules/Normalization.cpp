// Shape rules of batch_norm, layer_norm, dropout and embedding.
#include "nn/RuleSupport.h"
#include "nn/Rules.h"

namespace mlir::nn {

LogicalResult inferBatchNorm(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input"); // (N, C, spatial...)
  if (failed(input) || failed(requireFloat(op, *input, "input"))) return failure();
  if (input->getRank() < 2)
    return ruleError(op) << "input must be [N, C] or [N, C, spatial...], got " << formatType(*input);
  int64_t channels = input->getDimSize(1);
  const char *roles[] = {"gamma", "beta", "running_mean", "running_var"};
  for (unsigned i = 0; i < 4; ++i) {
    auto stat = rankedOperand(op, i + 1, roles[i]); // (C)
    if (failed(stat) || failed(requireSameElementType(op, *input, "input", *stat, roles[i])))
      return failure();
    if (stat->getRank() != 1 || stat->getDimSize(0) != channels)
      return ruleError(op) << roles[i] << " must be [" << channels << "] for input "
                           << formatType(*input) << ", got " << formatType(*stat);
  }
  double momentum = floatAttr(op, "momentum"), eps = floatAttr(op, "eps");
  if (!(momentum >= 0 && momentum <= 1)) return ruleError(op) << "momentum must be in [0, 1], got " << momentum;
  if (!(eps > 0)) return ruleError(op) << "eps must be positive, got " << eps;
  results.push_back(*input);
  return success();
}

LogicalResult inferLayerNorm(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  auto gamma = rankedOperand(op, 1, "gamma");
  auto beta = rankedOperand(op, 2, "beta");
  if (failed(input) || failed(gamma) || failed(beta) || failed(requireFloat(op, *input, "input")) ||
      failed(requireSameElementType(op, *input, "input", *gamma, "gamma")) ||
      failed(requireSameElementType(op, *input, "input", *beta, "beta")))
    return failure();
  llvm::ArrayRef<int64_t> normalized = gamma->getShape();
  if (gamma->getRank() == 0 || gamma->getRank() > input->getRank() ||
      input->getShape().take_back(normalized.size()) != normalized)
    return ruleError(op) << "gamma " << formatType(*gamma)
                         << " must match the trailing axes of input " << formatType(*input);
  if (beta->getShape() != normalized)
    return ruleError(op) << "beta " << formatType(*beta) << " must have gamma's shape "
                         << formatType(*gamma);
  if (!(floatAttr(op, "eps") > 0)) return ruleError(op) << "eps must be positive";
  results.push_back(*input);
  return success();
}

LogicalResult inferDropout(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input) || failed(requireFloat(op, *input, "input"))) return failure();
  double p = floatAttr(op, "p");
  if (!(p >= 0 && p < 1)) return ruleError(op) << "p must be in [0, 1), got " << p;
  results.push_back(*input);
  return success();
}

LogicalResult inferEmbedding(Operation *op, TypeList &results) {
  auto indices = rankedOperand(op, 0, "indices"); // (...)
  auto table = rankedOperand(op, 1, "table");     // (V, D)
  if (failed(indices) || failed(table) || failed(requireInteger(op, *indices, "indices")) ||
      failed(requireRank(op, *table, "table", 2)) || failed(requireFloat(op, *table, "table")))
    return failure();
  Shape shape(indices->getShape());
  shape.push_back(table->getDimSize(1));
  auto type = makeTensorType(op, shape, table->getElementType());
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

} // namespace mlir::nn
