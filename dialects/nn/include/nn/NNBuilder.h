// Builds nn ops from C++ by name, with result types from each op's shape rule: what the
// gradient rules and the train-step builder use to write IR. A failed build (a rule
// error, which is already reported at the location) yields a null Value, and every
// later call with a null operand yields null too, so a rule checks `failed()` once.
#pragma once

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/ArrayRef.h"

namespace mlir::nn {

class NNBuilder {
public:
  NNBuilder(OpBuilder &builder, Location loc) : b_(builder), loc_(loc) {}

  OpBuilder &builder() { return b_; }
  Location loc() const { return loc_; }
  bool failed() const { return failed_; }

  // Any nn op by its mnemonic ("add", "conv_backward_data", ...).
  Value op(llvm::StringRef name, ValueRange operands, llvm::ArrayRef<NamedAttribute> attrs = {});
  llvm::SmallVector<Value> ops(llvm::StringRef name, ValueRange operands,
                               llvm::ArrayRef<NamedAttribute> attrs, unsigned numResults);

  // Attributes for op(): attr("axis", 1), attr("shape", {2, 3}), ...
  NamedAttribute attr(llvm::StringRef name, int64_t value);
  NamedAttribute attr(llvm::StringRef name, double value);
  NamedAttribute attr(llvm::StringRef name, bool value);
  NamedAttribute attr(llvm::StringRef name, llvm::StringRef value);
  NamedAttribute attr(llvm::StringRef name, llvm::ArrayRef<int64_t> value);

  Value add(Value a, Value c) { return op("add", {a, c}); }
  Value sub(Value a, Value c) { return op("sub", {a, c}); }
  Value mul(Value a, Value c) { return op("mul", {a, c}); }
  Value div(Value a, Value c) { return op("div", {a, c}); }
  Value neg(Value a) { return op("neg", {a}); }
  // A 0-d constant with `like`'s element type (which broadcasts against `like`).
  Value scalar(double value, Value like);
  Value scalar(double value, Type elementType);
  Value zerosLike(Value like);
  Value onesLike(Value like);
  Value compare(Value a, Value c, llvm::StringRef predicate);
  Value select(Value condition, Value onTrue, Value onFalse);
  Value sum(Value x, llvm::ArrayRef<int64_t> axes, bool keepdims);
  Value mean(Value x, llvm::ArrayRef<int64_t> axes, bool keepdims);
  Value reshape(Value x, llvm::ArrayRef<int64_t> shape);
  Value transpose(Value x, llvm::ArrayRef<int64_t> perm);
  Value broadcastTo(Value x, llvm::ArrayRef<int64_t> shape);
  Value cast(Value x, Type elementType);
  // Sums a gradient over the axes that broadcasting added or stretched, so that it has
  // `target`'s shape again.
  Value sumToShape(Value grad, ShapedType target);

private:
  OpBuilder &b_;
  Location loc_;
  bool failed_ = false;
};

// The shape of a ranked tensor value.
llvm::ArrayRef<int64_t> shapeOf(Value v);

} // namespace mlir::nn
