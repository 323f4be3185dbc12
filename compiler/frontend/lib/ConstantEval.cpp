// Evaluation of compile-time expressions and their conversion to MLIR attributes.
#include "frontend/Constant.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/MathExtras.h"

namespace nnc::frontend {

llvm::StringRef Constant::describe() const {
  switch (kind) {
  case Kind::Int: return "an integer";
  case Kind::Float: return "a number";
  case Kind::Bool: return "a boolean";
  case Kind::Symbol: return "a name";
  case Kind::String: return "a string";
  case Kind::List: return "a list";
  }
  return "a value";
}

namespace {

std::optional<Constant> arithmetic(char op, const Constant &a, const Constant &b,
                                   mlir::Location loc) {
  if (!a.isNumber() || !b.isNumber()) {
    mlir::emitError(loc) << "'" << op << "' needs numbers, got " << a.describe() << " and "
                         << b.describe()
                         << (a.kind == Constant::Kind::Symbol || b.kind == Constant::Kind::Symbol
                                 ? " (is a name misspelled or not defined?)"
                                 : "");
    return std::nullopt;
  }
  Constant r;
  if (a.kind == Constant::Kind::Int && b.kind == Constant::Kind::Int) {
    int64_t x = a.intValue, y = b.intValue, z = 0;
    bool overflow = false;
    switch (op) {
    case '+': overflow = llvm::AddOverflow(x, y, z); break;
    case '-': overflow = llvm::SubOverflow(x, y, z); break;
    case '*': overflow = llvm::MulOverflow(x, y, z); break;
    case '/':
      if (y == 0) return mlir::emitError(loc) << "division by zero", std::nullopt;
      if (x % y != 0)
        return mlir::emitError(loc) << x << " / " << y << " is not a whole number", std::nullopt;
      overflow = x == INT64_MIN && y == -1;
      if (!overflow) z = x / y;
      break;
    }
    if (overflow)
      return mlir::emitError(loc) << "integer overflow in " << x << " " << op << " " << y,
             std::nullopt;
    r.intValue = z;
    return r;
  }
  double x = a.asDouble(), y = b.asDouble();
  r.kind = Constant::Kind::Float;
  r.floatValue = op == '+' ? x + y : op == '-' ? x - y : op == '*' ? x * y : x / y;
  if (op == '/' && y == 0) return mlir::emitError(loc) << "division by zero", std::nullopt;
  return r;
}

} // namespace

std::optional<Constant> evaluateConstant(const Expr &expr, const ConstantLookup &lookup,
                                         const LocationOf &locationOf) {
  mlir::Location loc = locationOf(expr.loc);
  Constant c;
  switch (expr.kind) {
  case Expr::Kind::Int:
    c.intValue = expr.intValue;
    return c;
  case Expr::Kind::Float:
    c.kind = Constant::Kind::Float;
    c.floatValue = expr.floatValue;
    return c;
  case Expr::Kind::String:
    c.kind = Constant::Kind::String;
    c.text = expr.text;
    return c;
  case Expr::Kind::Ref:
    if (expr.text == "true" || expr.text == "false") {
      c.kind = Constant::Kind::Bool;
      c.boolValue = expr.text == "true";
      return c;
    }
    if (const Constant *bound = lookup(expr.text)) return *bound;
    c.kind = Constant::Kind::Symbol;
    c.text = expr.text;
    return c;
  case Expr::Kind::List:
    c.kind = Constant::Kind::List;
    for (const ExprPtr &item : expr.operands) {
      auto value = evaluateConstant(*item, lookup, locationOf);
      if (!value) return std::nullopt;
      c.items.push_back(std::move(*value));
    }
    return c;
  case Expr::Kind::Negate: {
    auto value = evaluateConstant(*expr.operands[0], lookup, locationOf);
    if (!value) return std::nullopt;
    Constant zero;
    return arithmetic('-', zero, *value, loc);
  }
  case Expr::Kind::Binary: {
    std::optional<Constant> sides[2];
    for (int i = 0; i < 2; ++i) {
      sides[i] = evaluateConstant(*expr.operands[i], lookup, locationOf);
      if (!sides[i]) return std::nullopt;
      if (sides[i]->kind == Constant::Kind::Symbol) {
        mlir::emitError(locationOf(expr.operands[i]->loc))
            << "'" << sides[i]->text << "' is not a compile-time number (undefined, or a tensor)";
        return std::nullopt;
      }
    }
    return arithmetic(expr.op, *sides[0], *sides[1], loc);
  }
  case Expr::Kind::Call:
  case Expr::Kind::Repeat:
    mlir::emitError(loc) << "expected a compile-time value here, found a call";
    return std::nullopt;
  }
  return std::nullopt;
}

std::optional<int64_t> evaluateInteger(const Expr &expr, const ConstantLookup &lookup,
                                       const LocationOf &locationOf, llvm::StringRef what) {
  auto value = evaluateConstant(expr, lookup, locationOf);
  if (!value) return std::nullopt;
  if (value->kind != Constant::Kind::Int) {
    auto diag = mlir::emitError(locationOf(expr.loc))
                << what << " must be an integer, got " << value->describe();
    if (value->kind == Constant::Kind::Symbol) diag << " '" << value->text << "' (not defined)";
    return std::nullopt;
  }
  return value->intValue;
}

mlir::Attribute toAttribute(const Constant &value, mlir::Attribute expected,
                            mlir::MLIRContext *context, mlir::Location loc,
                            llvm::StringRef attrName) {
  mlir::Builder b(context);
  auto mismatch = [&](llvm::StringRef wanted) -> mlir::Attribute {
    auto diag = mlir::emitError(loc) << "attribute '" << attrName << "' expects " << wanted
                                     << ", got " << value.describe();
    if (value.kind == Constant::Kind::Symbol) diag << " '" << value.text << "'";
    return {};
  };
  if (expected) {
    if (llvm::isa<mlir::DenseI64ArrayAttr>(expected)) {
      if (value.kind == Constant::Kind::Int) return b.getDenseI64ArrayAttr({value.intValue});
      if (value.kind != Constant::Kind::List) return mismatch("an integer or a list of integers");
      llvm::SmallVector<int64_t> items;
      for (const Constant &item : value.items) {
        if (item.kind != Constant::Kind::Int) return mismatch("a list of integers");
        items.push_back(item.intValue);
      }
      return b.getDenseI64ArrayAttr(items);
    }
    if (llvm::isa<mlir::FloatAttr>(expected)) {
      if (!value.isNumber()) return mismatch("a number");
      return b.getF64FloatAttr(value.asDouble());
    }
    if (llvm::isa<mlir::BoolAttr>(expected)) {
      if (value.kind != Constant::Kind::Bool) return mismatch("true or false");
      return b.getBoolAttr(value.boolValue);
    }
    if (auto integer = llvm::dyn_cast<mlir::IntegerAttr>(expected)) {
      if (value.kind != Constant::Kind::Int) return mismatch("an integer");
      return b.getIntegerAttr(integer.getType(), value.intValue);
    }
    if (llvm::isa<mlir::StringAttr>(expected)) {
      if (value.kind != Constant::Kind::Symbol && value.kind != Constant::Kind::String)
        return mismatch("a name");
      return b.getStringAttr(value.text);
    }
  }
  switch (value.kind) {
  case Constant::Kind::Int: return b.getI64IntegerAttr(value.intValue);
  case Constant::Kind::Float: return b.getF64FloatAttr(value.floatValue);
  case Constant::Kind::Bool: return b.getBoolAttr(value.boolValue);
  case Constant::Kind::Symbol:
  case Constant::Kind::String: return b.getStringAttr(value.text);
  case Constant::Kind::List: {
    llvm::SmallVector<int64_t> items;
    for (const Constant &item : value.items) {
      if (item.kind != Constant::Kind::Int) return mismatch("a list of integers");
      items.push_back(item.intValue);
    }
    return b.getDenseI64ArrayAttr(items);
  }
  }
  return {};
}

} // namespace nnc::frontend
