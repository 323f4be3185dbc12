// Convolutions as calls of a library (the CUDA backend's cuDNN, runtime/src/cuda/Conv.cpp),
// taken when LoweringOptions::convLibrary names the calls' prefix:
//   forward      y  = <prefix>_forward(x, w), the bias added by an elementwise op after
//                     (which fusion merges with the activation that follows);
//   data grad    dx = <prefix>_backward_data(dy, w);
//   filter grad  dw = <prefix>_backward_filter(x, dy).
// Each call gets the geometry as i64 constants (n, c, h, w of the input, k output
// channels, kernel r×s, padding, stride, dilation, groups) and three buffer addresses.
// The tensors meet the call through bufferization.to_memref (read only, identity
// layout: One-Shot Bufferize copies a strided view first) and the result is a fresh
// allocation handed back by bufferization.to_tensor, so One-Shot Bufferize sees the
// reads and the new buffer like any other op's.
#include "ConvSupport.h"

#include "nn/RuleSupport.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace nnc::lowering {
using namespace mlir;

namespace {

enum class ConvCall { Forward, BackwardData, BackwardFilter };

const char *suffix(ConvCall kind) {
  switch (kind) {
  case ConvCall::Forward: return "_forward";
  case ConvCall::BackwardData: return "_backward_data";
  case ConvCall::BackwardFilter: return "_backward_filter";
  }
  return "";
}

constexpr int kGeometryArgs = 14, kBufferArgs = 3;

// `<prefix><suffix>_f32|f64(geometry..., a, b, out)`: `out` (of `resultShape`) from the
// 4-d operands a and b.
Value callLibrary(OpBuilder &b, Operation *op, ConvCall kind, Value a, Value bOperand, llvm::ArrayRef<int64_t> resultShape,
                  llvm::ArrayRef<int64_t> geometry) {
  Location loc = op->getLoc();
  Type f = tensorType(a).getElementType();
  std::string name = currentLoweringOptions().convLibrary + suffix(kind) + (f.isF64() ? "_f64" : "_f32");
  auto module = op->getParentOfType<ModuleOp>();
  Type i64 = b.getI64Type();
  if (!module.lookupSymbol(name)) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    auto type = b.getFunctionType(SmallVector<Type>(kGeometryArgs + kBufferArgs, i64), {});
    b.create<func::FuncOp>(loc, name, type).setPrivate();
  }
  SmallVector<Value> args;
  for (int64_t v : geometry) args.push_back(b.create<arith::ConstantIntOp>(loc, v, 64));
  auto address = [&](Value memref) {
    Value index = b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, memref);
    return b.create<arith::IndexCastOp>(loc, i64, index).getResult();
  };
  for (Value input : {a, bOperand}) {
    RankedTensorType t = tensorType(input);
    auto memrefType = MemRefType::get(t.getShape(), f);
    args.push_back(address(b.create<bufferization::ToMemrefOp>(loc, memrefType, input, /*read_only=*/true)));
  }
  Value out = b.create<memref::AllocOp>(loc, MemRefType::get(resultShape, f));
  args.push_back(address(out));
  b.create<func::CallOp>(loc, name, TypeRange{}, args);
  return b.create<bufferization::ToTensorOp>(loc, out, /*restrict=*/true, /*writable=*/true);
}

// n, c, h, w of the input; k output channels; kernel r, s; padding, stride and dilation
// (h then w); groups.
SmallVector<int64_t> geometry(llvm::ArrayRef<int64_t> in4d, int64_t outChannels, const Window &w, int64_t groups) {
  return {in4d[0], in4d[1], in4d[2], in4d[3], outChannels, w.kernel[0], w.kernel[1], w.pad[0], w.pad[1],
          w.stride[0], w.stride[1], w.dilation[0], w.dilation[1], groups};
}

Shape shape4d(RankedTensorType t) {
  if (t.getRank() == 4) return Shape(t.getShape());
  return {t.getDimSize(0), t.getDimSize(1), 1, t.getDimSize(2)};
}

} // namespace

FailureOr<SmallVector<Value>> lowerConvAsLibraryCall(Operation *op, OpBuilder &b, const Window &w) {
  Location loc = op->getLoc();
  RankedTensorType xType = tensorType(op->getOperand(0)), wType = tensorType(op->getOperand(1)), type = resultType(op);
  Value x = as4d(b, loc, op->getOperand(0)), weight = as4d(b, loc, op->getOperand(1));
  Shape in = shape4d(xType), out = shape4d(type);
  int64_t k = wType.getDimSize(0);
  Value y = callLibrary(b, op, ConvCall::Forward, x, weight, out, geometry(in, k, w, mlir::nn::intAttr(op, "groups")));
  if (op->getNumOperands() == 3) {
    MLIRContext *ctx = b.getContext();
    AffineMap maps[] = {identityMap(ctx, 4), dimsMap(ctx, 4, {1})};
    y = parallelMap(b, loc, tensorType(y), ValueRange{y, op->getOperand(2)}, maps,
                    [](OpBuilder &nb, Location l, ValueRange v) { return add(nb, l, v[0], v[1]); });
  }
  return SmallVector<Value>{reshape(b, loc, y, type.getShape())};
}

FailureOr<SmallVector<Value>> lowerConvBackwardDataAsLibraryCall(Operation *op, OpBuilder &b, const Window &w) {
  Location loc = op->getLoc();
  RankedTensorType wType = tensorType(op->getOperand(1)), type = resultType(op);
  Value dy = as4d(b, loc, op->getOperand(0)), weight = as4d(b, loc, op->getOperand(1));
  Shape in = shape4d(type);
  Value dx = callLibrary(b, op, ConvCall::BackwardData, dy, weight, in,
                         geometry(in, wType.getDimSize(0), w, mlir::nn::intAttr(op, "groups")));
  return SmallVector<Value>{reshape(b, loc, dx, type.getShape())};
}

FailureOr<SmallVector<Value>> lowerConvBackwardFilterAsLibraryCall(Operation *op, OpBuilder &b, const Window &w) {
  Location loc = op->getLoc();
  RankedTensorType xType = tensorType(op->getOperand(0)), dyType = tensorType(op->getOperand(1)), type = resultType(op);
  Value x = as4d(b, loc, op->getOperand(0)), dy = as4d(b, loc, op->getOperand(1));
  Shape in = shape4d(xType), filter = shape4d(type);
  Value dw = callLibrary(b, op, ConvCall::BackwardFilter, x, dy, filter,
                         geometry(in, dyType.getDimSize(1), w, mlir::nn::intAttr(op, "groups")));
  return SmallVector<Value>{reshape(b, loc, dw, type.getShape())};
}

} // namespace nnc::lowering
