// Parser: the syntax tree of each construct, precedence, and located syntax errors.
#include "SourceFixture.h"
#include "frontend/Parser.h"

#include <gtest/gtest.h>

using namespace nnc::frontend;
using nnc::testing::Source;

namespace {

std::optional<Module> parseText(Source &src) { return parse(src.mgr, src.id); }

std::string printed(const Module &m) {
  std::string text;
  llvm::raw_string_ostream os(text);
  dump(m, os);
  return text;
}

TEST(Parser, DeclarationsAndAssignments) {
  Source src("batch B = 64\ninput x: f32[B, 784]\nparam w: f32[10, 784] = xavier_uniform(gain=tanh)\n"
             "y = linear(x, w)\noutput y\n");
  auto m = parseText(src);
  ASSERT_TRUE(m) << src.diagnostics;
  ASSERT_EQ(m->statements.size(), 5u);
  const auto &param = std::get<TensorDecl>(m->statements[2]);
  EXPECT_EQ(param.role, TensorDecl::Role::Param);
  EXPECT_EQ(param.dtype.text, "f32");
  ASSERT_EQ(param.dims.size(), 2u);
  EXPECT_EQ(param.dims[0]->intValue, 10);
  EXPECT_EQ(param.init->kind, Expr::Kind::Call);
  EXPECT_EQ(param.init->attributes[0].name.text, "gain");
  const auto &assign = std::get<Assign>(m->statements[3]);
  EXPECT_EQ(assign.value->text, "linear");
  EXPECT_EQ(assign.value->operands.size(), 2u);
}

TEST(Parser, PrecedenceAndNegativeLiterals) {
  Source src("y = a + b * c - -2\n");
  auto m = parseText(src);
  ASSERT_TRUE(m) << src.diagnostics;
  EXPECT_NE(printed(*m).find("y = ((a + (b * c)) - -2)"), std::string::npos) << printed(*m);
}

TEST(Parser, CallsWithOperandsAttributesAndLists) {
  Source src("y = conv2d(x, w, b, stride=[1, 2], padding=2)\n");
  auto m = parseText(src);
  ASSERT_TRUE(m) << src.diagnostics;
  const Expr &call = *std::get<Assign>(m->statements[0]).value;
  EXPECT_EQ(call.operands.size(), 3u);
  ASSERT_EQ(call.attributes.size(), 2u);
  EXPECT_EQ(call.attributes[0].value->kind, Expr::Kind::List);
  EXPECT_EQ(call.attributes[0].value->operands.size(), 2u);
}

TEST(Parser, BlocksRepeatAndMultipleResults) {
  Source src("block res<c, s=1>(x, m) {\n  param w: f32[c, c] = zeros\n  return x, m\n}\n"
             "a, b = res<4, s=2>(x, m)\nh = repeat 3 res<4>(x, m)\n");
  auto m = parseText(src);
  ASSERT_TRUE(m) << src.diagnostics;
  ASSERT_EQ(m->blocks.size(), 1u);
  EXPECT_EQ(m->blocks[0].params.size(), 2u);
  EXPECT_EQ(m->blocks[0].inputs.size(), 2u);
  EXPECT_EQ(m->blocks[0].results.size(), 2u);
  const auto &pair = std::get<Assign>(m->statements[0]);
  EXPECT_EQ(pair.names.size(), 2u);
  EXPECT_TRUE(pair.value->hasBlockArgs);
  EXPECT_EQ(pair.value->blockArgs[1].name.text, "s");
  const auto &rep = std::get<Assign>(m->statements[1]);
  EXPECT_EQ(rep.value->kind, Expr::Kind::Repeat);
  EXPECT_EQ(rep.value->operands[0]->intValue, 3);
}

TEST(Parser, TrainSection) {
  Source src("train {\n minimize loss\n optimizer adam(lr=1e-3)\n metric accuracy(z, y)\n"
             " metric top = accuracy(z, y)\n freeze a.b.0.w, c\n}\n");
  auto m = parseText(src);
  ASSERT_TRUE(m) << src.diagnostics;
  ASSERT_TRUE(m->train);
  EXPECT_EQ(m->train->minimize->text, "loss");
  EXPECT_EQ(m->train->optimizer->text, "adam");
  ASSERT_EQ(m->train->metrics.size(), 2u);
  EXPECT_EQ(m->train->metrics[0].name.text, "accuracy");
  EXPECT_EQ(m->train->metrics[1].name.text, "top");
  ASSERT_EQ(m->train->frozen.size(), 2u);
  EXPECT_EQ(m->train->frozen[0].text, "a.b.0.w");
}

struct SyntaxErrorCase {
  const char *source;
  const char *expected; // "line:col: error: message" prefix
};

class SyntaxErrors : public ::testing::TestWithParam<SyntaxErrorCase> {};

TEST_P(SyntaxErrors, AreLocated) {
  Source src(GetParam().source);
  EXPECT_FALSE(parseText(src));
  EXPECT_NE(src.diagnostics.find(std::string("test.graph:") + GetParam().expected), std::string::npos)
      << src.diagnostics;
}

INSTANTIATE_TEST_SUITE_P(
    Parser, SyntaxErrors,
    ::testing::Values(
        SyntaxErrorCase{"y = relu(x\n", "2:1: error: expected ')' to close the call"},
        SyntaxErrorCase{"input x f32[1]\n", "1:9: error: expected ':' before the type"},
        SyntaxErrorCase{"y = 99999999999999999999\n", "1:5: error: integer 99999999999999999999 is too large"},
        SyntaxErrorCase{"param w: f32[2]\n", "1:16: error: expected '=' and an initializer"},
        SyntaxErrorCase{"let = 3\n", "1:5: error: expected a name"},
        SyntaxErrorCase{"x = f(a=1, b)\n", "1:12: error: positional operands must come before named"},
        SyntaxErrorCase{"block b(x) {\n y = x\n}\n", "3:1: error: block 'b' must end with 'return'"},
        SyntaxErrorCase{"y = relu(x) z\n", "1:13: error: expected end of statement"},
        SyntaxErrorCase{"input: f32[1]\n", "1:6: error: expected a tensor name"},
        SyntaxErrorCase{"train { minimize }\n", "1:18: error: expected the value to minimize"}));

TEST(Parser, DeepNestingIsAnErrorNotACrash) {
  std::string text = "y = ";
  for (int i = 0; i < 100000; ++i) text += "relu(";
  Source src(text);
  EXPECT_FALSE(parseText(src));
  EXPECT_NE(src.diagnostics.find("nested too deeply"), std::string::npos);
}

} // namespace
