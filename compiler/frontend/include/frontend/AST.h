// The syntax tree of a .graph file, as the parser builds it: no names resolved, no
// shapes known. Every node keeps the SMLoc of its first character.
#pragma once

#include "llvm/Support/SMLoc.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace nnc::frontend {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Name {
  std::string text; // may be dotted in `freeze` lists: stage1.conv.w
  llvm::SMLoc loc;
};

// `name=value` in a call, or a positional value when `name` is empty.
struct Argument {
  Name name;
  ExprPtr value;
};

struct Expr {
  enum class Kind {
    Int,     // 42
    Float,   // 0.5, 1e-3
    String,  // "text"
    Ref,     // a name: tensor, let, block parameter, or symbolic attribute value
    List,    // [a, b, ...]            items in `operands`
    Call,    // f(x, y, k=v) / blk<a, b=2>(x)
    Binary,  // a op b                 operands[0], operands[1]
    Negate,  // -a                     operands[0]
    Repeat,  // repeat N blk<...>(x)   operands[0] = N, operands[1] = the call
  };
  Kind kind;
  llvm::SMLoc loc;
  int64_t intValue = 0;
  double floatValue = 0;
  std::string text;                  // Ref name, String contents, Call callee
  char op = 0;                       // Binary: + - * /
  std::vector<ExprPtr> operands;     // positional operands / list items / sub-expressions
  std::vector<Argument> attributes;  // Call: name=value arguments
  bool hasBlockArgs = false;         // Call: written with <...>
  int depth = 1;                     // height of this subtree (bounded by the parser)
  std::vector<Argument> blockArgs;   // Call: <...> arguments (positional or named)

  Expr(Kind kind, llvm::SMLoc loc) : kind(kind), loc(loc) {}
};

// `let n = expr` and `batch B = expr`.
struct LetDecl {
  Name name;
  ExprPtr value;
  bool isBatch = false;
};

// `input x: f32[B, 784]`, `param w: f32[10, 784] = xavier_uniform`, `buffer ...`.
struct TensorDecl {
  enum class Role { Input, Param, Buffer } role;
  Name name;
  Name dtype;
  llvm::SMLoc shapeLoc;
  std::vector<ExprPtr> dims;
  ExprPtr init; // Ref or Call; null for inputs
};

// `a, b = expr`.
struct Assign {
  std::vector<Name> names;
  ExprPtr value;
};

// `output a, b`.
struct OutputDecl {
  std::vector<Name> names;
};

using Statement = std::variant<LetDecl, TensorDecl, Assign, OutputDecl>;

struct BlockParam {
  Name name;
  ExprPtr defaultValue; // may be null
};

struct BlockDef {
  Name name;
  std::vector<BlockParam> params; // <...>
  std::vector<Name> inputs;       // (...)
  std::vector<Statement> body;
  std::vector<ExprPtr> results;   // return ...
  llvm::SMLoc returnLoc;
};

struct Metric {
  Name name;
  ExprPtr value;
};

struct TrainSection {
  llvm::SMLoc loc;
  std::optional<Name> minimize;
  ExprPtr optimizer; // a Call
  std::vector<Metric> metrics;
  std::vector<Name> frozen;
  ExprPtr clipGradNorm; // `clip_grad_norm 1.0`: the bound on the gradients' global L2 norm
};

struct Module {
  std::string fileName;
  std::vector<Statement> statements;
  std::vector<BlockDef> blocks;
  std::optional<TrainSection> train;
};

// Prints the tree in a stable indented form (`nnc compile --emit=ast`).
void dump(const Module &module, llvm::raw_ostream &os);

// Name of the statement's first defined value, for messages.
const Name &definedName(const Statement &statement);

} // namespace nnc::frontend
