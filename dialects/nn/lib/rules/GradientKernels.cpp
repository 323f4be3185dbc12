// Shape rules of the ops that gradient rules and the train-step builder create:
// broadcast_to, one_hot, the conv/pool/slice/embedding adjoints, batch_norm_train and
// dropout_mask.
#include "nn/RuleSupport.h"
#include "nn/Rules.h"

namespace mlir::nn {

LogicalResult inferBroadcastTo(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  llvm::ArrayRef<int64_t> shape = arrayAttr(op, "shape");
  auto target = makeTensorType(op, shape, input->getElementType());
  if (failed(target)) return failure();
  auto merged = broadcastShapes(op, *input, *target);
  if (failed(merged)) return failure();
  if (llvm::ArrayRef<int64_t>(*merged) != shape)
    return ruleError(op) << formatType(*input) << " does not broadcast to " << formatShape(shape);
  results.push_back(*target);
  return success();
}

LogicalResult inferOneHot(Operation *op, TypeList &results) {
  auto indices = rankedOperand(op, 0, "indices");
  if (failed(indices) || failed(requireInteger(op, *indices, "indices"))) return failure();
  int64_t classes = intAttr(op, "classes");
  Type element = parseDType(op->getContext(), stringAttr(op, "dtype"));
  if (!element) return ruleError(op) << "unsupported dtype '" << stringAttr(op, "dtype") << "'";
  Shape shape(indices->getShape());
  shape.push_back(classes);
  auto type = makeTensorType(op, shape, element);
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferBatchNormTrain(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input"); // (N, C, spatial...)
  if (failed(input) || failed(requireFloat(op, *input, "input"))) return failure();
  if (input->getRank() < 2)
    return ruleError(op) << "input must be [N, C] or [N, C, spatial...], got " << formatType(*input);
  int64_t channels = input->getDimSize(1);
  for (unsigned i = 1; i < 3; ++i) {
    auto stat = rankedOperand(op, i, i == 1 ? "gamma" : "beta");
    if (failed(stat)) return failure();
    if (stat->getRank() != 1 || stat->getDimSize(0) != channels ||
        stat->getElementType() != input->getElementType())
      return ruleError(op) << "gamma and beta must be [" << channels << "] of the input's type, got "
                           << formatType(*stat);
  }
  auto stats = RankedTensorType::get({channels}, input->getElementType());
  results.append({*input, stats, stats});
  return success();
}

LogicalResult inferDropoutMask(Operation *op, TypeList &results) {
  for (unsigned i = 0; i < 2; ++i) {
    auto counter = rankedOperand(op, i, i ? "step" : "seed");
    if (failed(counter)) return failure();
    if (counter->getRank() != 0 || !counter->getElementType().isInteger(64))
      return ruleError(op) << "seed and step must be 0-d i64, got " << formatType(*counter);
  }
  double p = floatAttr(op, "p");
  if (!(p >= 0 && p < 1)) return ruleError(op) << "p must be in [0, 1), got " << p;
  Type element = parseDType(op->getContext(), stringAttr(op, "dtype"));
  if (!element || !isa<FloatType>(element)) return ruleError(op) << "dtype must be f32 or f64";
  auto type = makeTensorType(op, arrayAttr(op, "shape"), element);
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferSliceGrad(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  if (failed(input)) return failure();
  auto axis = normalizeAxis(op, intAttr(op, "axis"), input->getRank());
  if (failed(axis)) return failure();
  int64_t size = intAttr(op, "size"), start = intAttr(op, "start"), step = intAttr(op, "step");
  int64_t count = input->getDimSize(*axis);
  if (step < 1 || start < 0 || start + (count - 1) * step >= size)
    return ruleError(op) << count << " entries from " << start << " by " << step
                         << " do not fit an axis of " << size;
  Shape shape(input->getShape());
  shape[*axis] = size;
  results.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

// Full-length spatial attributes of the adjoint ops, checked against `rank` (stride,
// dilation and kernel at least 1, padding at least 0).
static LogicalResult requireSpatial(Operation *op, llvm::ArrayRef<llvm::StringRef> names, int64_t rank) {
  for (llvm::StringRef name : names) {
    llvm::ArrayRef<int64_t> values = arrayAttr(op, name);
    if (int64_t(values.size()) != rank)
      return ruleError(op) << name << " needs " << rank << " entries";
    int64_t min = name == "padding" ? 0 : 1;
    if (llvm::any_of(values, [&](int64_t v) { return v < min || v > (int64_t(1) << 32); }))
      return ruleError(op) << name << " entries must be at least " << min << ", got " << formatShape(values);
  }
  return success();
}

// The output shape of the forward window op (conv or pool) whose adjoint this is:
// [N, channels, (in + 2·pad - dil·(k-1) - 1) / stride + 1 ...]; the adjoint's gradient
// operand must have exactly this shape.
static LogicalResult requireForwardOutput(Operation *op, RankedTensorType grad, llvm::ArrayRef<int64_t> input,
                                          int64_t channels, llvm::ArrayRef<int64_t> kernel) {
  llvm::ArrayRef<int64_t> stride = arrayAttr(op, "stride"), padding = arrayAttr(op, "padding");
  llvm::ArrayRef<int64_t> dilation = arrayAttr(op, "dilation");
  Shape expected{input[0], channels};
  for (size_t i = 0; i < kernel.size(); ++i) {
    int64_t dil = dilation.empty() ? 1 : dilation[i];
    int64_t span = dil * (kernel[i] - 1) + 1, padded = input[2 + i] + 2 * padding[i];
    if (padded < span) return ruleError(op) << "the window does not fit spatial axis " << i;
    expected.push_back((padded - span) / stride[i] + 1);
  }
  if (grad.getShape() != llvm::ArrayRef<int64_t>(expected))
    return ruleError(op) << "output_grad " << formatType(grad) << " must be " << formatShape(expected)
                         << ", the forward op's output shape";
  return success();
}

LogicalResult inferConvBackwardData(Operation *op, TypeList &results) {
  auto grad = rankedOperand(op, 0, "output_grad");
  auto weight = rankedOperand(op, 1, "weight");
  if (failed(grad) || failed(weight)) return failure();
  llvm::ArrayRef<int64_t> shape = arrayAttr(op, "input_shape");
  int64_t groups = intAttr(op, "groups");
  if (int64_t(shape.size()) != grad->getRank() || weight->getRank() != grad->getRank() || grad->getRank() < 3)
    return ruleError(op) << "input_shape, output_grad and weight must have the same rank >= 3";
  if (failed(requireSpatial(op, {"stride", "padding", "dilation"}, grad->getRank() - 2)))
    return failure();
  if (groups < 1 || weight->getDimSize(1) * groups != shape[1] || weight->getDimSize(0) % groups)
    return ruleError(op) << "weight " << formatType(*weight) << " does not fit " << shape[1]
                         << " input channels in " << groups << " groups";
  if (failed(requireForwardOutput(op, *grad, shape, weight->getDimSize(0), weight->getShape().drop_front(2))))
    return failure();
  auto type = makeTensorType(op, shape, grad->getElementType());
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferConvBackwardFilter(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  auto grad = rankedOperand(op, 1, "output_grad");
  if (failed(input) || failed(grad)) return failure();
  int64_t n = input->getRank() - 2, groups = intAttr(op, "groups");
  if (n < 1 || grad->getRank() != input->getRank() || groups < 1 ||
      input->getDimSize(1) % groups != 0)
    return ruleError(op) << "input and output_grad must be [N, C, spatial...] with C divisible by groups";
  if (failed(requireSpatial(op, {"kernel", "stride", "padding", "dilation"}, n))) return failure();
  if (grad->getDimSize(1) % groups)
    return ruleError(op) << "output channels " << grad->getDimSize(1) << " must be divisible by groups " << groups;
  if (failed(requireForwardOutput(op, *grad, input->getShape(), grad->getDimSize(1), arrayAttr(op, "kernel"))))
    return failure();
  Shape shape{grad->getDimSize(1), input->getDimSize(1) / groups};
  llvm::append_range(shape, arrayAttr(op, "kernel"));
  auto type = makeTensorType(op, shape, input->getElementType());
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferMaxPoolBackward(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input");
  auto grad = rankedOperand(op, 1, "output_grad");
  if (failed(input) || failed(grad)) return failure();
  if (input->getRank() < 3 || input->getRank() > 4 || grad->getRank() != input->getRank())
    return ruleError(op) << "input and output_grad must be [N, C, L] or [N, C, H, W]";
  if (failed(requireSpatial(op, {"kernel", "stride", "padding"}, input->getRank() - 2)) ||
      failed(requireForwardOutput(op, *grad, input->getShape(), input->getDimSize(1), arrayAttr(op, "kernel"))))
    return failure();
  for (auto [k, p] : llvm::zip(arrayAttr(op, "kernel"), arrayAttr(op, "padding")))
    if (2 * p > k) return ruleError(op) << "padding " << p << " exceeds half the kernel " << k;
  results.push_back(*input);
  return success();
}

LogicalResult inferAvgPoolBackward(Operation *op, TypeList &results) {
  auto grad = rankedOperand(op, 0, "output_grad");
  if (failed(grad)) return failure();
  llvm::ArrayRef<int64_t> shape = arrayAttr(op, "input_shape");
  if (int64_t(shape.size()) != 4 || grad->getRank() != 4)
    return ruleError(op) << "input_shape and output_grad must be [N, C, H, W]";
  if (failed(requireSpatial(op, {"kernel", "stride", "padding"}, 2)) ||
      failed(requireForwardOutput(op, *grad, shape, shape[1], arrayAttr(op, "kernel"))))
    return failure();
  auto type = makeTensorType(op, shape, grad->getElementType());
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

LogicalResult inferEmbeddingBackward(Operation *op, TypeList &results) {
  auto indices = rankedOperand(op, 0, "indices");
  auto grad = rankedOperand(op, 1, "output_grad");
  if (failed(indices) || failed(grad) || failed(requireInteger(op, *indices, "indices")))
    return failure();
  if (grad->getRank() != indices->getRank() + 1 ||
      grad->getShape().drop_back() != indices->getShape())
    return ruleError(op) << "output_grad " << formatType(*grad) << " must be the indices' shape "
                         << formatType(*indices) << " plus one axis";
  auto type = makeTensorType(op, {intAttr(op, "num_embeddings"), grad->getShape().back()},
                             grad->getElementType());
  if (failed(type)) return failure();
  results.push_back(*type);
  return success();
}

} // namespace mlir::nn
