// Lexer: token kinds and spellings, statement ends, and located errors.
#include "SourceFixture.h"
#include "frontend/Lexer.h"

#include <gtest/gtest.h>

#include <vector>

using namespace nnc::frontend;
using nnc::testing::Source;

namespace {

std::vector<Token> lexAll(Source &src) {
  Lexer lexer(src.mgr, src.id);
  std::vector<Token> tokens;
  do tokens.push_back(lexer.next());
  while (!tokens.back().is(TokenKind::Eof) && !tokens.back().is(TokenKind::Error));
  return tokens;
}

std::vector<TokenKind> kinds(const std::vector<Token> &tokens) {
  std::vector<TokenKind> out;
  for (const Token &t : tokens) out.push_back(t.kind);
  return out;
}

TEST(Lexer, DeclarationTokens) {
  Source src("input x: f32[B, 784]");
  auto tokens = lexAll(src);
  using K = TokenKind;
  EXPECT_EQ(kinds(tokens), (std::vector<K>{K::Identifier, K::Identifier, K::Colon, K::Identifier,
                                           K::LBracket, K::Identifier, K::Comma, K::Integer,
                                           K::RBracket, K::Eof}));
  EXPECT_EQ(tokens[7].spelling, "784");
  EXPECT_TRUE(src.diagnostics.empty());
}

TEST(Lexer, NumbersIntegersAndFloats) {
  Source src("1 2.5 1e-3 .5 3. 7E+2");
  auto tokens = lexAll(src);
  using K = TokenKind;
  EXPECT_EQ(kinds(tokens), (std::vector<K>{K::Integer, K::Float, K::Float, K::Float, K::Float,
                                           K::Float, K::Eof}));
  EXPECT_EQ(tokens[2].spelling, "1e-3");
  EXPECT_EQ(tokens[5].spelling, "7E+2");
}

TEST(Lexer, NewlinesEndStatementsOnlyOutsideBrackets) {
  Source src("a = f(x,\n  y)\nb = 1; c = 2");
  auto tokens = lexAll(src);
  int ends = 0;
  for (const Token &t : tokens) ends += t.is(TokenKind::EndOfStatement);
  EXPECT_EQ(ends, 2); // the newline after ')' and the ';'
}

TEST(Lexer, CommentsAreSkipped) {
  Source src("# a comment\nx // another\n");
  auto tokens = lexAll(src);
  using K = TokenKind;
  EXPECT_EQ(kinds(tokens), (std::vector<K>{K::EndOfStatement, K::Identifier, K::EndOfStatement, K::Eof}));
}

TEST(Lexer, StringsWithEscapes) {
  Source src(R"("a \"q\" b")");
  auto tokens = lexAll(src);
  ASSERT_EQ(tokens[0].kind, TokenKind::String);
  EXPECT_EQ(tokens[0].spelling, R"("a \"q\" b")");
}

TEST(Lexer, UnexpectedCharacterIsLocated) {
  Source src("x = 1\ny = $");
  auto tokens = lexAll(src);
  EXPECT_EQ(tokens.back().kind, TokenKind::Error);
  EXPECT_NE(src.diagnostics.find("test.graph:2:5: error: unexpected character '$'"), std::string::npos)
      << src.diagnostics;
}

TEST(Lexer, BinaryBytesAreReportedAsHex) {
  Source src(llvm::StringRef("a\0b", 3));
  auto tokens = lexAll(src);
  EXPECT_EQ(tokens.back().kind, TokenKind::Error);
  EXPECT_NE(src.diagnostics.find("unexpected character byte 0x00"), std::string::npos) << src.diagnostics;
}

TEST(Lexer, MalformedExponentAndUnterminatedString) {
  Source a("x = 1e+");
  lexAll(a);
  EXPECT_NE(a.diagnostics.find("1:6: error: malformed exponent"), std::string::npos) << a.diagnostics;
  Source b("s = \"open\n");
  lexAll(b);
  EXPECT_NE(b.diagnostics.find("1:5: error: unterminated string"), std::string::npos) << b.diagnostics;
}

} // namespace
