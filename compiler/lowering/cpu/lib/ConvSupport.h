// What the convolution lowerings share (LowerConvPool.cpp: loop nests; LowerConvGemm.cpp:
// im2col and matrix products; LowerConvLibrary.cpp: library calls).
#pragma once

#include "lowering/LoweringSupport.h"

#include "mlir/IR/AffineExpr.h"

#include <functional>

namespace nnc::lowering {

// A 2-d window: the 1-d case has kernel, stride 1, padding 0, dilation 1 along H.
struct Window {
  int64_t kernel[2] = {1, 1}, stride[2] = {1, 1}, pad[2] = {0, 0}, dilation[2] = {1, 1};
  int64_t in[2] = {1, 1}, out[2] = {1, 1};
};

// The window of a conv or pool op on an input of `inShape` ([N, C, (H,) W]).
Window makeWindow(Operation *op, llvm::ArrayRef<int64_t> inShape, llvm::ArrayRef<int64_t> kernel, bool pool);
// [N, C, (H,) W] viewed as [N, C, H, W].
Value as4d(mlir::OpBuilder &b, Location loc, Value v);
// The spatial input expression oh·s + kh·d of loop dims (outDim, tapDim).
mlir::AffineExpr tapExpr(mlir::MLIRContext *ctx, unsigned outDim, unsigned tapDim, int64_t stride, int64_t dilation);
// Adds, for every tap, `contribution(tap window, kh, kw)` into a zero padded tensor of
// shape lead + [Hp, Wp], then crops the padding.
Value accumulateTaps(mlir::OpBuilder &b, Location loc, llvm::ArrayRef<int64_t> lead, Type f, const Window &w,
                     const std::function<Value(Value window, int64_t kh, int64_t kw)> &contribution);

// Ungrouped convolutions as matrix products over im2col columns (LowerConvGemm.cpp),
// taken when LoweringOptions::convAsGemm is set.
mlir::FailureOr<llvm::SmallVector<Value>> lowerConvAsGemm(Operation *op, mlir::OpBuilder &b, const Window &w);
mlir::FailureOr<llvm::SmallVector<Value>> lowerConvBackwardFilterAsGemm(Operation *op, mlir::OpBuilder &b,
                                                                        const Window &w);
mlir::FailureOr<llvm::SmallVector<Value>> lowerConvBackwardDataAsGemm(Operation *op, mlir::OpBuilder &b,
                                                                      const Window &w);

// Convolutions (any groups) as calls of LoweringOptions::convLibrary's functions
// (LowerConvLibrary.cpp).
mlir::FailureOr<llvm::SmallVector<Value>> lowerConvAsLibraryCall(Operation *op, mlir::OpBuilder &b, const Window &w);
mlir::FailureOr<llvm::SmallVector<Value>> lowerConvBackwardFilterAsLibraryCall(Operation *op, mlir::OpBuilder &b,
                                                                               const Window &w);
mlir::FailureOr<llvm::SmallVector<Value>> lowerConvBackwardDataAsLibraryCall(Operation *op, mlir::OpBuilder &b,
                                                                             const Window &w);

} // namespace nnc::lowering
