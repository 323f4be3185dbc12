// Hand-written lexer of the .graph language. Reports bad characters and malformed
// literals through the SourceMgr (file:line:col, the line and a caret) and then yields
// TokenKind::Error. Newlines inside ( [ < end no statement.
#pragma once

#include "frontend/Token.h"

#include "llvm/Support/SourceMgr.h"

namespace nnc::frontend {

class Lexer {
public:
  Lexer(llvm::SourceMgr &sourceMgr, unsigned bufferId);

  Token next();
  // Reports an error at `loc` through the SourceMgr.
  void error(llvm::SMLoc loc, const llvm::Twine &message) const;

private:
  Token make(TokenKind kind, const char *start) const;
  Token lexNumber(const char *start);
  Token lexString(const char *start);
  Token fail(const char *at, const llvm::Twine &message);
  void skipSpaceAndComments();

  llvm::SourceMgr *sourceMgr_; // a pointer: the parser copies the lexer to look ahead
  const char *begin_;
  const char *cur_;
  const char *end_;
  int bracketDepth_ = 0; // ( [ < nesting: newlines inside do not end statements
};

} // namespace nnc::frontend
