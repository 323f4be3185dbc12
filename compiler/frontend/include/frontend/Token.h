// Tokens of the .graph language. A token points into the source buffer, so its
// location and spelling need no copies.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

namespace nnc::frontend {

enum class TokenKind {
  Eof,
  Error,       // the lexer has already reported it
  EndOfStatement, // a newline outside brackets, or ';'
  Identifier,
  Integer,
  Float,
  String,
  LParen, RParen, LBracket, RBracket, LAngle, RAngle, LBrace, RBrace,
  Comma, Colon, Equal, Plus, Minus, Star, Slash, Dot,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  llvm::StringRef spelling;

  bool is(TokenKind k) const { return kind == k; }
  bool isKeyword(llvm::StringRef word) const {
    return kind == TokenKind::Identifier && spelling == word;
  }
  llvm::SMLoc loc() const { return llvm::SMLoc::getFromPointer(spelling.data()); }
};

// A readable name for a token kind in messages ("')'", "an identifier").
llvm::StringRef describe(TokenKind kind);

} // namespace nnc::frontend
