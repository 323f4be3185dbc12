// Shape rules of the losses (class axis last) and the accuracy metrics.
#include "nn/RuleSupport.h"
#include "nn/Rules.h"

namespace mlir::nn {

// `mean` and `sum` reduce to a 0-d tensor; `none` keeps the per-example shape.
static FailureOr<RankedTensorType> reduced(Operation *op, llvm::ArrayRef<int64_t> perExample,
                                           Type element) {
  llvm::StringRef reduction = stringAttr(op, "reduction");
  if (reduction == "none") return RankedTensorType::get(perExample, element);
  if (reduction == "mean" || reduction == "sum") return RankedTensorType::get({}, element);
  return ruleError(op) << "unknown reduction '" << reduction << "' (expected mean, sum or none)",
         failure();
}

// logits (..., C) against integer labels (...).
static LogicalResult checkClassOperands(Operation *op, RankedTensorType scores,
                                        RankedTensorType labels) {
  if (failed(requireFloat(op, scores, "logits")) || failed(requireInteger(op, labels, "labels")))
    return failure();
  if (scores.getRank() < 1 || scores.getShape().drop_back() != labels.getShape())
    return ruleError(op) << "labels " << formatType(labels) << " must have the shape of logits "
                         << formatType(scores) << " without its last (class) axis";
  return success();
}

LogicalResult inferClassLoss(Operation *op, TypeList &results) {
  auto scores = rankedOperand(op, 0, "logits");
  auto labels = rankedOperand(op, 1, "labels");
  if (failed(scores) || failed(labels) || failed(checkClassOperands(op, *scores, *labels)))
    return failure();
  if (op->hasAttr("label_smoothing") || surfaceName(op) == "cross_entropy") {
    double smoothing = floatAttr(op, "label_smoothing");
    if (!(smoothing >= 0 && smoothing <= 1))
      return ruleError(op) << "label_smoothing must be in [0, 1], got " << smoothing;
  }
  auto type = reduced(op, scores->getShape().drop_back(), scores->getElementType());
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferPairLoss(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  auto target = rankedOperand(op, 1, "target");
  if (failed(input) || failed(target) || failed(requireFloat(op, *input, "input")) ||
      failed(requireSameElementType(op, *input, "input", *target, "target")))
    return failure();
  if (input->getShape() != target->getShape())
    return ruleError(op) << "input " << formatType(*input) << " and target "
                         << formatType(*target) << " must have the same shape";
  auto type = reduced(op, input->getShape(), input->getElementType());
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferAccuracy(Operation *op, TypeList &results) {
  auto scores = rankedOperand(op, 0, "logits");
  auto labels = rankedOperand(op, 1, "labels");
  if (failed(scores) || failed(labels) || failed(checkClassOperands(op, *scores, *labels)))
    return failure();
  results.push_back(RankedTensorType::get({}, Float32Type::get(op->getContext())));
  return success();
}

LogicalResult inferBinaryAccuracy(Operation *op, TypeList &results) {
  auto scores = rankedOperand(op, 0, "scores");
  auto targets = rankedOperand(op, 1, "targets");
  if (failed(scores) || failed(targets) || failed(requireFloat(op, *scores, "scores")))
    return failure();
  if (scores->getShape() != targets->getShape())
    return ruleError(op) << "scores " << formatType(*scores) << " and targets "
                         << formatType(*targets) << " must have the same shape";
  results.push_back(RankedTensorType::get({}, Float32Type::get(op->getContext())));
  return success();
}

} // namespace mlir::nn
