// Recursive-descent parser of the .graph language. Stops at the first syntax error,
// which it reports through the SourceMgr; expression nesting is bounded so no input can
// exhaust the stack.
#pragma once

#include "frontend/AST.h"
#include "frontend/Lexer.h"

#include <optional>

namespace nnc::frontend {

// Deeper nesting than this is reported, not followed.
constexpr int kMaxNesting = 200;
// No expression tree is taller than this, however it is written (flat `a + b + ...`
// chains build tall trees without nesting), so every later recursion over a tree is
// bounded too.
constexpr int kMaxExprDepth = 256;

// Parses the buffer `bufferId` of `sourceMgr`; nullopt after a reported error.
std::optional<Module> parse(llvm::SourceMgr &sourceMgr, unsigned bufferId);

} // namespace nnc::frontend
