// Shape rules of conv1d/conv2d, max/avg pooling and global average pooling (NC + spatial).
#include "nn/RuleSupport.h"
#include "nn/Rules.h"

namespace mlir::nn {

// Number of spatial axes an op works on, from its name's "1d"/"2d" suffix.
static int64_t spatialRank(Operation *op) {
  return surfaceName(op).ends_with("1d") ? 1 : 2;
}

// (in + 2·pad - dil·(k-1) - 1) / stride + 1, or an error when the window does not fit.
static FailureOr<int64_t> windowOutput(Operation *op, int64_t axis, int64_t in, int64_t kernel,
                                       int64_t stride, int64_t pad, int64_t dilation) {
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t padded = in + 2 * pad;
  if (padded < span)
    return ruleError(op) << "spatial axis " << axis << " has size " << in << " (" << padded
                         << " with padding) but the window spans " << span, failure();
  return (padded - span) / stride + 1;
}

// Spatial attributes must be small positive (or, for padding, non-negative) numbers.
static LogicalResult checkRange(Operation *op, llvm::StringRef name, llvm::ArrayRef<int64_t> v,
                                int64_t min) {
  for (int64_t x : v)
    if (x < min || x > (int64_t(1) << 32))
      return ruleError(op) << name << " entries must be between " << min << " and 2^32, got "
                           << formatShape(v);
  return success();
}

LogicalResult inferConv(Operation *op, TypeList &results) {
  int64_t n = spatialRank(op);
  auto input = rankedOperand(op, 0, "input");   // (N, C, spatial...)
  auto weight = rankedOperand(op, 1, "weight"); // (O, C / groups, kernel...)
  if (failed(input) || failed(weight) || failed(requireRank(op, *input, "input", n + 2)) ||
      failed(requireRank(op, *weight, "weight", n + 2)) || failed(requireFloat(op, *input, "input")) ||
      failed(requireSameElementType(op, *input, "input", *weight, "weight")))
    return failure();
  auto stride = expandSpatial(op, "stride", n);
  auto padding = expandSpatial(op, "padding", n);
  auto dilation = expandSpatial(op, "dilation", n);
  if (failed(stride) || failed(padding) || failed(dilation) ||
      failed(checkRange(op, "stride", *stride, 1)) || failed(checkRange(op, "padding", *padding, 0)) ||
      failed(checkRange(op, "dilation", *dilation, 1)))
    return failure();
  int64_t groups = intAttr(op, "groups");
  int64_t channels = input->getDimSize(1), outChannels = weight->getDimSize(0);
  if (groups < 1 || channels % groups || outChannels % groups)
    return ruleError(op) << "groups " << groups << " must divide the input channels ("
                         << channels << ") and output channels (" << outChannels << ")";
  if (weight->getDimSize(1) * groups != channels)
    return ruleError(op) << "input " << formatType(*input) << " has " << channels
                         << " channels but weight " << formatType(*weight) << " expects "
                         << weight->getDimSize(1) * groups
                         << (groups > 1 ? " (with groups)" : "");
  if (op->getNumOperands() == 3) {
    auto bias = rankedOperand(op, 2, "bias");
    if (failed(bias) || failed(requireSameElementType(op, *input, "input", *bias, "bias")))
      return failure();
    if (bias->getRank() != 1 || bias->getDimSize(0) != outChannels)
      return ruleError(op) << "bias must be [" << outChannels << "] to match weight "
                           << formatType(*weight) << ", got " << formatType(*bias);
  }
  Shape shape{input->getDimSize(0), outChannels};
  for (int64_t i = 0; i < n; ++i) {
    auto size = windowOutput(op, i, input->getDimSize(2 + i), weight->getDimSize(2 + i),
                             (*stride)[i], (*padding)[i], (*dilation)[i]);
    if (failed(size)) return failure();
    shape.push_back(*size);
  }
  results.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferPool(Operation *op, TypeList &results) {
  int64_t n = spatialRank(op);
  auto input = rankedOperand(op, 0, "input"); // (N, C, spatial...)
  if (failed(input) || failed(requireRank(op, *input, "input", n + 2)) ||
      failed(requireFloat(op, *input, "input")))
    return failure();
  if (arrayAttr(op, "kernel").empty())
    return ruleError(op) << "kernel must be given (for example kernel=2)";
  auto kernel = expandSpatial(op, "kernel", n);
  if (failed(kernel) || failed(checkRange(op, "kernel", *kernel, 1))) return failure();
  auto stride = expandSpatial(op, "stride", n, llvm::ArrayRef<int64_t>(*kernel));
  auto padding = expandSpatial(op, "padding", n);
  if (failed(stride) || failed(padding) || failed(checkRange(op, "stride", *stride, 1)) ||
      failed(checkRange(op, "padding", *padding, 0)))
    return failure();
  Shape shape{input->getDimSize(0), input->getDimSize(1)};
  for (int64_t i = 0; i < n; ++i) {
    if (2 * (*padding)[i] > (*kernel)[i])
      return ruleError(op) << "padding " << (*padding)[i] << " exceeds half the kernel "
                           << (*kernel)[i];
    auto size = windowOutput(op, i, input->getDimSize(2 + i), (*kernel)[i], (*stride)[i],
                             (*padding)[i], 1);
    if (failed(size)) return failure();
    shape.push_back(*size);
  }
  results.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferGlobalAvgPool(Operation *op, TypeList &results) {
  auto input = rankedOperand(op, 0, "input"); // (N, C, spatial...)
  if (failed(input) || failed(requireFloat(op, *input, "input"))) return failure();
  if (input->getRank() < 3)
    return ruleError(op) << "input must be [N, C, spatial...], got " << formatType(*input);
  results.push_back(RankedTensorType::get({input->getDimSize(0), input->getDimSize(1)},
                                          input->getElementType()));
  return success();
}

} // namespace mlir::nn
