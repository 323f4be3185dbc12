// Shape rules of softmax/log_softmax, sum/mean/max over axes, and argmax.
#include "nn/RuleSupport.h"
#include "nn/Rules.h"

#include "llvm/ADT/SmallBitVector.h"

namespace mlir::nn {

LogicalResult inferAxisPreserving(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input) || failed(requireFloat(op, *input, "input"))) return failure();
  if (input->getRank() == 0)
    return ruleError(op) << "input must have rank >= 1, got " << formatType(*input);
  if (failed(normalizeAxis(op, intAttr(op, "axis"), input->getRank()))) return failure();
  results.push_back(*input);
  return success();
}

LogicalResult inferReduction(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input) || failed(requireFloat(op, *input, "input"))) return failure();
  int64_t rank = input->getRank();
  llvm::SmallBitVector reduced(rank, false);
  llvm::ArrayRef<int64_t> axes = arrayAttr(op, "axes");
  if (axes.empty()) reduced.set();
  for (int64_t axis : axes) {
    auto normalized = normalizeAxis(op, axis, rank, "axes entry");
    if (failed(normalized)) return failure();
    if (reduced[*normalized])
      return ruleError(op) << "axis " << axis << " is listed twice in axes";
    reduced.set(*normalized);
  }
  bool keepdims = boolAttr(op, "keepdims");
  Shape shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i]) shape.push_back(input->getDimSize(i));
    else if (keepdims) shape.push_back(1);
  }
  results.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferArgmax(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  if (input->getRank() == 0)
    return ruleError(op) << "input must have rank >= 1, got " << formatType(*input);
  auto axis = normalizeAxis(op, intAttr(op, "axis"), input->getRank());
  if (failed(axis)) return failure();
  Shape shape(input->getShape());
  if (boolAttr(op, "keepdims")) shape[*axis] = 1;
  else shape.erase(shape.begin() + *axis);
  results.push_back(RankedTensorType::get(shape, IntegerType::get(op->getContext(), 64)));
  return success();
}

} // namespace mlir::nn
