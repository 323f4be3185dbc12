// Shape ops: reshape and flatten (collapse/expand), transpose (a permuting generic),
// concat (insert_slice into an empty tensor), slice (strided extract_slice), pad
// (tensor.pad), split (one extract_slice per piece).
#include "lowering/LoweringSupport.h"

#include "nn/RuleSupport.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace nnc::lowering {
using namespace mlir;

namespace {

FailureOr<SmallVector<Value>> lowerReshape(Operation *op, OpBuilder &b) {
  return SmallVector<Value>{reshape(b, op->getLoc(), op->getOperand(0), resultType(op).getShape())};
}

FailureOr<SmallVector<Value>> lowerTranspose(Operation *op, OpBuilder &b) {
  RankedTensorType type = resultType(op);
  unsigned rank = type.getRank();
  Shape perm(mlir::nn::arrayAttr(op, "perm"));
  if (perm.empty())
    for (int64_t i = rank; i-- > 0;) perm.push_back(i);
  // result[i0, i1, ...] = input[...] where input axis perm[i] is read with loop i.
  SmallVector<unsigned> inputDims(rank);
  for (unsigned i = 0; i < rank; ++i) inputDims[perm[i]] = i;
  AffineMap map = dimsMap(b.getContext(), rank, inputDims);
  return SmallVector<Value>{parallelMap(b, op->getLoc(), type, op->getOperand(0), map,
                                        [](OpBuilder &, Location, ValueRange v) { return v[0]; })};
}

// Offsets, sizes and strides of a slice along `axis` of `shape`.
struct SliceSpec {
  SmallVector<OpFoldResult> offsets, sizes, strides;
};
SliceSpec sliceAlong(OpBuilder &b, llvm::ArrayRef<int64_t> shape, unsigned axis, int64_t start, int64_t size,
                     int64_t step) {
  SliceSpec s;
  for (unsigned i = 0; i < shape.size(); ++i) {
    s.offsets.push_back(b.getIndexAttr(i == axis ? start : 0));
    s.sizes.push_back(b.getIndexAttr(i == axis ? size : shape[i]));
    s.strides.push_back(b.getIndexAttr(i == axis ? step : 1));
  }
  return s;
}

unsigned normalizedAxis(Operation *op, int64_t rank) {
  int64_t axis = mlir::nn::intAttr(op, "axis");
  return unsigned(axis < 0 ? axis + rank : axis);
}

FailureOr<SmallVector<Value>> lowerConcat(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  RankedTensorType type = resultType(op);
  unsigned axis = normalizedAxis(op, type.getRank());
  Value result = emptyTensor(b, loc, type.getShape(), type.getElementType());
  int64_t offset = 0;
  for (Value in : op->getOperands()) {
    RankedTensorType inType = tensorType(in);
    SliceSpec s = sliceAlong(b, inType.getShape(), axis, offset, inType.getDimSize(axis), 1);
    result = b.create<tensor::InsertSliceOp>(loc, in, result, s.offsets, s.sizes, s.strides);
    offset += inType.getDimSize(axis);
  }
  return SmallVector<Value>{result};
}

FailureOr<SmallVector<Value>> lowerSlice(Operation *op, OpBuilder &b) {
  RankedTensorType inType = tensorType(op->getOperand(0)), type = resultType(op);
  unsigned axis = normalizedAxis(op, inType.getRank());
  int64_t size = inType.getDimSize(axis), start = mlir::nn::intAttr(op, "start");
  start = start < 0 ? std::max<int64_t>(start + size, 0) : std::min(start, size); // as the shape rule
  SliceSpec s = sliceAlong(b, inType.getShape(), axis, start, type.getDimSize(axis), mlir::nn::intAttr(op, "step"));
  return SmallVector<Value>{b.create<tensor::ExtractSliceOp>(op->getLoc(), type, op->getOperand(0), s.offsets,
                                                             s.sizes, s.strides)};
}

FailureOr<SmallVector<Value>> lowerPad(Operation *op, OpBuilder &b) {
  return SmallVector<Value>{padSpatial(b, op->getLoc(), op->getOperand(0), mlir::nn::arrayAttr(op, "low"),
                                       mlir::nn::arrayAttr(op, "high"), mlir::nn::floatAttr(op, "value"))};
}

FailureOr<SmallVector<Value>> lowerSplit(Operation *op, OpBuilder &b) {
  RankedTensorType inType = tensorType(op->getOperand(0));
  unsigned axis = normalizedAxis(op, inType.getRank());
  SmallVector<Value> pieces;
  int64_t offset = 0;
  for (unsigned i = 0; i < op->getNumResults(); ++i) {
    RankedTensorType type = resultType(op, i);
    SliceSpec s = sliceAlong(b, inType.getShape(), axis, offset, type.getDimSize(axis), 1);
    pieces.push_back(b.create<tensor::ExtractSliceOp>(op->getLoc(), type, op->getOperand(0), s.offsets, s.sizes,
                                                      s.strides));
    offset += type.getDimSize(axis);
  }
  return pieces;
}

// Zeros with the input at start, start + step, ... along `axis`.
FailureOr<SmallVector<Value>> lowerSliceGrad(Operation *op, OpBuilder &b) {
  Location loc = op->getLoc();
  RankedTensorType inType = tensorType(op->getOperand(0)), type = resultType(op);
  unsigned axis = normalizedAxis(op, inType.getRank());
  Value zeros = filledTensor(b, loc, type.getShape(), type.getElementType(), 0);
  SliceSpec s = sliceAlong(b, inType.getShape(), axis, mlir::nn::intAttr(op, "start"), inType.getDimSize(axis),
                           mlir::nn::intAttr(op, "step"));
  return SmallVector<Value>{b.create<tensor::InsertSliceOp>(loc, op->getOperand(0), zeros, s.offsets, s.sizes, s.strides)};
}

} // namespace

void registerShapeLowerings(LoweringTable &t) {
  t["nn.reshape"] = lowerReshape;
  t["nn.flatten"] = lowerReshape;
  t["nn.transpose"] = lowerTranspose;
  t["nn.concat"] = lowerConcat;
  t["nn.slice"] = lowerSlice;
  t["nn.pad"] = lowerPad;
  t["nn.split"] = lowerSplit;
  t["nn.slice_grad"] = lowerSliceGrad;
}

} // namespace nnc::lowering
