// The .graph lexer: identifiers, numbers, strings, punctuation, statement ends.
#include "frontend/Lexer.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cctype>

namespace nnc::frontend {

llvm::StringRef describe(TokenKind kind) {
  switch (kind) {
  case TokenKind::Eof: return "end of file";
  case TokenKind::Error: return "an invalid token";
  case TokenKind::EndOfStatement: return "end of statement";
  case TokenKind::Identifier: return "an identifier";
  case TokenKind::Integer: return "an integer";
  case TokenKind::Float: return "a number";
  case TokenKind::String: return "a string";
  case TokenKind::LParen: return "'('";
  case TokenKind::RParen: return "')'";
  case TokenKind::LBracket: return "'['";
  case TokenKind::RBracket: return "']'";
  case TokenKind::LAngle: return "'<'";
  case TokenKind::RAngle: return "'>'";
  case TokenKind::LBrace: return "'{'";
  case TokenKind::RBrace: return "'}'";
  case TokenKind::Comma: return "','";
  case TokenKind::Colon: return "':'";
  case TokenKind::Equal: return "'='";
  case TokenKind::Plus: return "'+'";
  case TokenKind::Minus: return "'-'";
  case TokenKind::Star: return "'*'";
  case TokenKind::Slash: return "'/'";
  case TokenKind::Dot: return "'.'";
  }
  return "a token";
}

Lexer::Lexer(llvm::SourceMgr &sourceMgr, unsigned bufferId) : sourceMgr_(&sourceMgr) {
  const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(bufferId);
  begin_ = cur_ = buffer->getBufferStart();
  end_ = buffer->getBufferEnd();
  if (llvm::StringRef(cur_, end_ - cur_).starts_with("\xEF\xBB\xBF")) cur_ += 3; // UTF-8 BOM
}

void Lexer::error(llvm::SMLoc loc, const llvm::Twine &message) const {
  sourceMgr_->PrintMessage(loc, llvm::SourceMgr::DK_Error, message);
}

Token Lexer::make(TokenKind kind, const char *start) const {
  return Token{kind, llvm::StringRef(start, cur_ - start)};
}

Token Lexer::fail(const char *at, const llvm::Twine &message) {
  error(llvm::SMLoc::getFromPointer(at), message);
  cur_ = end_; // stop: one located error per problem, never a cascade
  return Token{TokenKind::Error, llvm::StringRef(at, 0)};
}

void Lexer::skipSpaceAndComments() {
  while (cur_ < end_) {
    char c = *cur_;
    if (c == ' ' || c == '\t' || c == '\r' || (c == '\n' && bracketDepth_ > 0)) {
      ++cur_;
    } else if (c == '#' || (c == '/' && cur_ + 1 < end_ && cur_[1] == '/')) {
      while (cur_ < end_ && *cur_ != '\n') ++cur_;
    } else {
      return;
    }
  }
}

Token Lexer::next() {
  skipSpaceAndComments();
  const char *start = cur_;
  if (cur_ >= end_) return Token{TokenKind::Eof, llvm::StringRef(end_, 0)};
  char c = *cur_++;
  if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
    while (cur_ < end_ && (std::isalnum(static_cast<unsigned char>(*cur_)) || *cur_ == '_')) ++cur_;
    return make(TokenKind::Identifier, start);
  }
  // `.5` is a number, but `a.0.w` (a block instance's parameter) is a dotted name.
  bool afterName = start > begin_ && (std::isalnum(static_cast<unsigned char>(start[-1])) || start[-1] == '_');
  if (std::isdigit(static_cast<unsigned char>(c)) ||
      (c == '.' && !afterName && cur_ < end_ && std::isdigit(static_cast<unsigned char>(*cur_))))
    return lexNumber(start);
  switch (c) {
  case '\n': case ';': return make(TokenKind::EndOfStatement, start);
  case '"': return lexString(start);
  case '(': ++bracketDepth_; return make(TokenKind::LParen, start);
  case '[': ++bracketDepth_; return make(TokenKind::LBracket, start);
  case '<': ++bracketDepth_; return make(TokenKind::LAngle, start);
  case ')': bracketDepth_ = std::max(0, bracketDepth_ - 1); return make(TokenKind::RParen, start);
  case ']': bracketDepth_ = std::max(0, bracketDepth_ - 1); return make(TokenKind::RBracket, start);
  case '>': bracketDepth_ = std::max(0, bracketDepth_ - 1); return make(TokenKind::RAngle, start);
  case '{': return make(TokenKind::LBrace, start);
  case '}': return make(TokenKind::RBrace, start);
  case ',': return make(TokenKind::Comma, start);
  case ':': return make(TokenKind::Colon, start);
  case '=': return make(TokenKind::Equal, start);
  case '+': return make(TokenKind::Plus, start);
  case '-': return make(TokenKind::Minus, start);
  case '*': return make(TokenKind::Star, start);
  case '/': return make(TokenKind::Slash, start);
  case '.': return make(TokenKind::Dot, start);
  default: break;
  }
  std::string shown;
  llvm::raw_string_ostream os(shown);
  if (std::isprint(static_cast<unsigned char>(c))) os << "'" << c << "'";
  else os << "byte 0x" << llvm::format_hex_no_prefix(static_cast<unsigned char>(c), 2);
  return fail(start, "unexpected character " + os.str());
}

Token Lexer::lexNumber(const char *start) {
  bool isFloat = *start == '.';
  auto digits = [&] {
    while (cur_ < end_ && std::isdigit(static_cast<unsigned char>(*cur_))) ++cur_;
  };
  digits();
  if (!isFloat && cur_ < end_ && *cur_ == '.' && cur_ + 1 < end_ &&
      std::isdigit(static_cast<unsigned char>(cur_[1]))) {
    isFloat = true;
    ++cur_;
    digits();
  } else if (!isFloat && cur_ < end_ && *cur_ == '.' &&
             !(cur_ + 1 < end_ && std::isalpha(static_cast<unsigned char>(cur_[1])))) {
    isFloat = true; // "1." is a float; "a.b" field syntax never starts with a digit
    ++cur_;
  }
  if (cur_ < end_ && (*cur_ == 'e' || *cur_ == 'E')) {
    const char *mark = cur_++;
    if (cur_ < end_ && (*cur_ == '+' || *cur_ == '-')) ++cur_;
    if (cur_ >= end_ || !std::isdigit(static_cast<unsigned char>(*cur_)))
      return fail(mark, "malformed exponent in number");
    digits();
    isFloat = true;
  }
  if (cur_ < end_ && (std::isalpha(static_cast<unsigned char>(*cur_)) || *cur_ == '_'))
    return fail(cur_, "unexpected character '" + llvm::Twine(*cur_) + "' after number");
  return make(isFloat ? TokenKind::Float : TokenKind::Integer, start);
}

Token Lexer::lexString(const char *start) {
  while (cur_ < end_ && *cur_ != '"') {
    if (*cur_ == '\n') return fail(start, "unterminated string");
    if (*cur_ == '\\') {
      if (cur_ + 1 >= end_ || (cur_[1] != '"' && cur_[1] != '\\'))
        return fail(cur_, "unknown escape in string (only \\\" and \\\\)");
      ++cur_;
    }
    ++cur_;
  }
  if (cur_ >= end_) return fail(start, "unterminated string");
  ++cur_;
  return make(TokenKind::String, start);
}

} // namespace nnc::frontend
