// Shape rules of reshape, flatten, transpose, concat, slice, pad and split.
#include "nn/RuleSupport.h"
#include "nn/Rules.h"

#include "llvm/ADT/SmallBitVector.h"

namespace mlir::nn {

LogicalResult inferReshape(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  llvm::ArrayRef<int64_t> target = arrayAttr(op, "shape");
  int64_t known = 1, inferred = -1;
  for (auto [i, d] : llvm::enumerate(target)) {
    if (d == -1) {
      if (inferred >= 0) return ruleError(op) << "shape may contain -1 only once";
      inferred = i;
    } else if (d <= 0) {
      return ruleError(op) << "shape entries must be positive or -1, got " << d;
    } else if (known > kMaxElements / d) {
      return ruleError(op) << "shape " << formatShape(target) << " has more than 2^48 elements";
    } else {
      known *= d;
    }
  }
  int64_t total = input->getNumElements();
  Shape shape(target);
  if (inferred >= 0) {
    if (total % known != 0)
      return ruleError(op) << "cannot reshape " << formatType(*input) << " (" << total
                           << " elements) to " << formatShape(target);
    shape[inferred] = total / known;
  } else if (known != total) {
    return ruleError(op) << "cannot reshape " << formatType(*input) << " (" << total
                         << " elements) to " << formatShape(target) << " (" << known
                         << " elements)";
  }
  results.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferFlatten(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  int64_t rank = std::max<int64_t>(input->getRank(), 1);
  auto start = normalizeAxis(op, intAttr(op, "start_axis"), rank, "start_axis");
  auto end = normalizeAxis(op, intAttr(op, "end_axis"), rank, "end_axis");
  if (failed(start) || failed(end)) return failure();
  if (*start > *end)
    return ruleError(op) << "start_axis " << *start << " comes after end_axis " << *end;
  Shape shape;
  llvm::ArrayRef<int64_t> dims = input->getShape();
  for (int64_t i = 0; i < *start && i < int64_t(dims.size()); ++i) shape.push_back(dims[i]);
  int64_t merged = 1;
  for (int64_t i = *start; i <= *end && i < int64_t(dims.size()); ++i) merged *= dims[i];
  shape.push_back(merged);
  for (int64_t i = *end + 1; i < int64_t(dims.size()); ++i) shape.push_back(dims[i]);
  results.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferTranspose(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  int64_t rank = input->getRank();
  Shape perm(arrayAttr(op, "perm"));
  if (perm.empty())
    for (int64_t i = rank - 1; i >= 0; --i) perm.push_back(i);
  if (int64_t(perm.size()) != rank)
    return ruleError(op) << "perm " << formatShape(perm) << " has " << perm.size()
                         << " entries but the input " << formatType(*input) << " has rank " << rank;
  llvm::SmallBitVector seen(rank, false);
  Shape shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= rank || seen[p])
      return ruleError(op) << "perm " << formatShape(perm) << " is not a permutation of 0.."
                           << rank - 1;
    seen.set(p);
    shape.push_back(input->getDimSize(p));
  }
  results.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferConcat(Operation *op, TypeList &results) {
  if (op->getNumOperands() == 0) return ruleError(op) << "needs at least one operand";
  auto first = rankedOperand(op, 0, "input 0");
  if (failed(first)) return failure();
  if (first->getRank() == 0) return ruleError(op) << "cannot concatenate 0-d tensors";
  auto axis = normalizeAxis(op, intAttr(op, "axis"), first->getRank());
  if (failed(axis)) return failure();
  Shape shape(first->getShape());
  for (unsigned i = 1; i < op->getNumOperands(); ++i) {
    auto next = rankedOperand(op, i, "input");
    if (failed(next) || failed(requireSameElementType(op, *first, "input 0", *next, "input")))
      return failure();
    bool fits = next->getRank() == first->getRank();
    for (int64_t d = 0; fits && d < first->getRank(); ++d)
      fits = d == *axis || next->getDimSize(d) == first->getDimSize(d);
    if (!fits)
      return ruleError(op) << "input " << i << " " << formatType(*next)
                           << " does not match input 0 " << formatType(*first)
                           << " outside axis " << *axis;
    shape[*axis] += next->getDimSize(*axis);
  }
  auto type = makeTensorType(op, shape, first->getElementType());
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferSlice(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  if (input->getRank() == 0) return ruleError(op) << "cannot slice a 0-d tensor";
  auto axis = normalizeAxis(op, intAttr(op, "axis"), input->getRank());
  if (failed(axis)) return failure();
  int64_t size = input->getDimSize(*axis), step = intAttr(op, "step");
  if (step < 1) return ruleError(op) << "step must be >= 1, got " << step;
  auto clampIndex = [&](int64_t i) {
    if (i < 0) i = i < -size ? 0 : i + size;
    return std::min(i, size);
  };
  int64_t start = clampIndex(intAttr(op, "start")), end = clampIndex(intAttr(op, "end"));
  if (end <= start)
    return ruleError(op) << "the range [" << intAttr(op, "start") << ", " << intAttr(op, "end")
                         << ") of axis " << *axis << " in " << formatType(*input)
                         << " is empty";
  Shape shape(input->getShape());
  shape[*axis] = (end - start + step - 1) / step;
  results.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferPad(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  llvm::ArrayRef<int64_t> low = arrayAttr(op, "low"), high = arrayAttr(op, "high");
  int64_t rank = input->getRank();
  if (int64_t(low.size()) != rank || int64_t(high.size()) != rank)
    return ruleError(op) << "low and high need one entry per axis of " << formatType(*input)
                         << ", got " << low.size() << " and " << high.size();
  Shape shape(input->getShape());
  for (int64_t i = 0; i < rank; ++i) {
    if (low[i] < 0 || high[i] < 0 || low[i] > kMaxElements || high[i] > kMaxElements)
      return ruleError(op) << "padding amounts must be between 0 and 2^48, got low "
                           << formatShape(low) << " high " << formatShape(high);
    shape[i] += low[i] + high[i];
  }
  auto type = makeTensorType(op, shape, input->getElementType());
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferSplit(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  if (input->getRank() == 0) return ruleError(op) << "cannot split a 0-d tensor";
  auto axis = normalizeAxis(op, intAttr(op, "axis"), input->getRank());
  if (failed(axis)) return failure();
  llvm::ArrayRef<int64_t> sections = arrayAttr(op, "sections");
  if (sections.size() != op->getNumResults())
    return ruleError(op) << "sections " << formatShape(sections) << " make " << sections.size()
                         << " pieces but " << op->getNumResults()
                         << (op->getNumResults() == 1 ? " result is bound" : " results are bound");
  int64_t total = 0;
  for (int64_t s : sections) {
    if (s <= 0 || s > kMaxElements) return ruleError(op) << "sections must be positive, got " << s;
    total += s;
  }
  if (total != input->getDimSize(*axis))
    return ruleError(op) << "sections " << formatShape(sections) << " add up to " << total
                         << " but axis " << *axis << " of " << formatType(*input) << " has "
                         << input->getDimSize(*axis);
  for (int64_t s : sections) {
    Shape shape(input->getShape());
    shape[*axis] = s;
    results.push_back(RankedTensorType::get(shape, input->getElementType()));
  }
  return success();
}

} // namespace mlir::nn
