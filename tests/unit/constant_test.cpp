// Compile-time evaluation: checked integer arithmetic and attribute coercion.
#include "SourceFixture.h"
#include "frontend/Constant.h"
#include "frontend/Parser.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace nnc::frontend;
using nnc::testing::Source;

namespace {

struct Evaluator {
  mlir::MLIRContext context;
  std::string errors;
  Evaluator() {
    context.getDiagEngine().registerHandler([this](mlir::Diagnostic &d) {
      errors += d.str() + "\n";
      return mlir::success();
    });
  }
  std::optional<Constant> eval(const std::string &expr, const Constant *k = nullptr) {
    Source src("v = " + expr + "\n");
    module = parse(src.mgr, src.id);
    if (!module) return std::nullopt;
    const Expr &e = *std::get<Assign>(module->statements[0]).value;
    return evaluateConstant(
        e, [k](llvm::StringRef n) -> const Constant * { return n == "k" ? k : nullptr; },
        [this](llvm::SMLoc) { return mlir::UnknownLoc::get(&context); });
  }
  std::optional<Module> module;
};

TEST(Constant, IntegerArithmeticWithNames) {
  Evaluator ev;
  Constant k;
  k.intValue = 64;
  auto v = ev.eval("k / 4 * (3 + 1) - 2", &k);
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, Constant::Kind::Int);
  EXPECT_EQ(v->intValue, 62);
}

TEST(Constant, OverflowAndInexactDivisionAreErrors) {
  Evaluator ev;
  EXPECT_FALSE(ev.eval("9223372036854775807 + 1"));
  EXPECT_NE(ev.errors.find("integer overflow"), std::string::npos);
  EXPECT_FALSE(ev.eval("7 / 2"));
  EXPECT_NE(ev.errors.find("7 / 2 is not a whole number"), std::string::npos);
  EXPECT_FALSE(ev.eval("1 / 0"));
}

TEST(Constant, UnknownNamesAreSymbols) {
  Evaluator ev;
  auto v = ev.eval("relu");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, Constant::Kind::Symbol);
  EXPECT_EQ(v->text, "relu");
}

TEST(Constant, CoercionFollowsTheExpectedAttribute) {
  Evaluator ev;
  mlir::Builder b(&ev.context);
  auto loc = mlir::UnknownLoc::get(&ev.context);
  Constant two;
  two.intValue = 2;
  // An integer where an array is expected applies to every spatial axis.
  auto arr = toAttribute(two, b.getDenseI64ArrayAttr({1, 1}), &ev.context, loc, "stride");
  ASSERT_TRUE(mlir::isa<mlir::DenseI64ArrayAttr>(arr));
  EXPECT_EQ(mlir::cast<mlir::DenseI64ArrayAttr>(arr).asArrayRef().vec(), std::vector<int64_t>{2});
  auto f = toAttribute(two, b.getF64FloatAttr(0.5), &ev.context, loc, "p");
  ASSERT_TRUE(mlir::isa<mlir::FloatAttr>(f));
  EXPECT_EQ(mlir::cast<mlir::FloatAttr>(f).getValueAsDouble(), 2.0);
  EXPECT_FALSE(toAttribute(two, b.getBoolAttr(true), &ev.context, loc, "flag"));
  EXPECT_NE(ev.errors.find("attribute 'flag' expects true or false, got an integer"), std::string::npos);
}

} // namespace
