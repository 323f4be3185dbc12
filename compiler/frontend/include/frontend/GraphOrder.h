// Orders the statements of one scope so that every value is defined before it is used:
// a .graph file is a graph, written in any order. Reports duplicate definitions and
// cycles (with the names on the cycle). Iterative, so long chains cannot exhaust the stack.
#pragma once

#include "frontend/AST.h"
#include "frontend/Constant.h"

#include "llvm/ADT/ArrayRef.h"

#include <optional>
#include <vector>

namespace nnc::frontend {

// Indices into `statements` in a valid definition order (OutputDecls last), or nullopt
// after an error. `reserved` names are defined outside the statements (block inputs and
// parameters); defining one again is a duplicate.
std::optional<std::vector<size_t>> orderStatements(llvm::ArrayRef<Statement> statements,
                                                   llvm::ArrayRef<Name> reserved,
                                                   const LocationOf &locationOf);

// A name an expression refers to; `compileTime` when it stands where only a compile-time
// value can (attribute values, block parameters, dimensions).
struct Reference {
  const Expr *expr;
  bool compileTime;
};
void collectReferences(const Expr &expr, std::vector<Reference> &refs, bool compileTime);

} // namespace nnc::frontend
