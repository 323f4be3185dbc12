// Compile-time values of the .graph language: integers (shapes, attribute values),
// floats, booleans, symbols (identifiers such as `relu` or `fan_out`) and lists.
// Integer arithmetic is checked: overflow and inexact division are errors.
#pragma once

#include "frontend/AST.h"

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Location.h"
#include <functional>

#include <optional>

namespace nnc::frontend {

struct Constant {
  enum class Kind { Int, Float, Bool, Symbol, String, List } kind = Kind::Int;
  int64_t intValue = 0;
  double floatValue = 0;
  bool boolValue = false;
  std::string text;
  std::vector<Constant> items;

  bool isNumber() const { return kind == Kind::Int || kind == Kind::Float; }
  double asDouble() const { return kind == Kind::Int ? double(intValue) : floatValue; }
  // "an integer", "a list", ... for messages.
  llvm::StringRef describe() const;
};

// Looks a name up among the compile-time values in scope; null when it is none.
using ConstantLookup = std::function<const Constant *(llvm::StringRef)>;
// Maps a source position to an MLIR location for diagnostics.
using LocationOf = std::function<mlir::Location(llvm::SMLoc)>;

// Evaluates `expr` as a compile-time value. A name that is not in scope becomes a
// Symbol; the caller decides whether a symbol makes sense there.
std::optional<Constant> evaluateConstant(const Expr &expr, const ConstantLookup &lookup,
                                         const LocationOf &locationOf);

// Evaluates an expression that must be an integer (dimensions, repeat counts).
std::optional<int64_t> evaluateInteger(const Expr &expr, const ConstantLookup &lookup,
                                       const LocationOf &locationOf, llvm::StringRef what);

// The attribute for `value`, shaped like `expected` (an op's ODS default) when given:
// an integer becomes a one-entry array where an array is expected, or a float where a
// float is. Emits an error at `loc` and returns null when the kinds cannot match.
mlir::Attribute toAttribute(const Constant &value, mlir::Attribute expected,
                            mlir::MLIRContext *context, mlir::Location loc,
                            llvm::StringRef attrName);

} // namespace nnc::frontend
