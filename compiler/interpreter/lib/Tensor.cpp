// The interpreter's tensor: dtype mapping, constants, f32 rounding and printing.
#include "interpreter/Tensor.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace nnc::interp {

DType dtypeOf(mlir::Type elementType) {
  if (elementType.isF32()) return DType::F32;
  if (elementType.isF64()) return DType::F64;
  if (elementType.isInteger(1)) return DType::I1;
  if (elementType.isInteger(32)) return DType::I32;
  if (elementType.isInteger(64)) return DType::I64;
  llvm::report_fatal_error("nnc interpreter: unsupported element type");
}

bool isFloat(DType dtype) { return dtype == DType::F32 || dtype == DType::F64; }

const char *dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F32: return "f32";
  case DType::F64: return "f64";
  case DType::I1: return "i1";
  case DType::I32: return "i32";
  case DType::I64: return "i64";
  }
  llvm_unreachable("unknown dtype");
}

Tensor Tensor::zeros(DType dtype, llvm::ArrayRef<int64_t> shape) {
  Tensor t;
  t.dtype = dtype;
  t.shape.assign(shape.begin(), shape.end());
  t.data.assign(size_t(t.numel()), 0.0);
  return t;
}

Tensor Tensor::scalar(DType dtype, double value) {
  Tensor t = zeros(dtype, {});
  t.data[0] = value;
  t.roundToDType();
  return t;
}

Tensor Tensor::fromElements(mlir::ElementsAttr attr) {
  auto type = llvm::cast<mlir::ShapedType>(attr.getShapedType());
  Tensor t = zeros(dtypeOf(type.getElementType()), type.getShape());
  size_t n = t.data.size();
  bool isBool = t.dtype == DType::I1;
  if (auto floats = attr.try_value_begin<llvm::APFloat>()) {
    auto it = *floats;
    for (size_t i = 0; i < n; ++i, ++it) t.data[i] = (*it).convertToDouble();
  } else if (auto ints = attr.try_value_begin<llvm::APInt>()) {
    auto it = *ints;
    for (size_t i = 0; i < n; ++i, ++it)
      t.data[i] = isBool ? double((*it).getZExtValue()) : double((*it).getSExtValue());
  } else if (auto attrs = attr.try_value_begin<mlir::Attribute>()) {
    auto it = *attrs;
    for (size_t i = 0; i < n; ++i, ++it) {
      if (auto f = llvm::dyn_cast<mlir::FloatAttr>(*it)) t.data[i] = f.getValueAsDouble();
      else if (auto b = llvm::dyn_cast<mlir::BoolAttr>(*it)) t.data[i] = b.getValue();
      else if (auto v = llvm::dyn_cast<mlir::IntegerAttr>(*it))
        t.data[i] = isBool ? double(v.getValue().getZExtValue()) : double(v.getInt());
    }
  }
  t.roundToDType();
  return t;
}

int64_t Tensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

std::vector<int64_t> Tensor::strides() const {
  std::vector<int64_t> s(shape.size(), 1);
  for (int64_t i = rank() - 2; i >= 0; --i) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

void Tensor::roundToDType() {
  switch (dtype) {
  case DType::F64: return;
  case DType::F32:
    for (double &v : data) v = double(float(v));
    return;
  case DType::I1:
    for (double &v : data) v = v != 0.0 ? 1.0 : 0.0;
    return;
  case DType::I32:
  case DType::I64:
    for (double &v : data) v = std::trunc(v);
    return;
  }
}

std::string Tensor::typeString() const {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << dtypeName(dtype) << "[";
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

} // namespace nnc::interp
