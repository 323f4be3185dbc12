// The reference interpreter's tensor: a dtype, a shape and row-major values held as
// doubles. f32 results are rounded to float after every op, so f32 runs see f32
// storage; i1/i32/i64 values are held exactly (|v| < 2^53).
#pragma once

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnc::interp {

enum class DType { F32, F64, I1, I32, I64 };

DType dtypeOf(mlir::Type elementType);
bool isFloat(DType dtype);
const char *dtypeName(DType dtype);

struct Tensor {
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  std::vector<double> data;

  static Tensor zeros(DType dtype, llvm::ArrayRef<int64_t> shape);
  static Tensor scalar(DType dtype, double value);
  // The values of a constant (nn.constant's value attribute).
  static Tensor fromElements(mlir::ElementsAttr attr);

  int64_t numel() const;
  int64_t rank() const { return int64_t(shape.size()); }
  // Row-major strides in elements.
  std::vector<int64_t> strides() const;
  // Rounds to float when the dtype is f32 (called after every op).
  void roundToDType();
  // `f32[2, 3]`, for messages.
  std::string typeString() const;
};

} // namespace nnc::interp
