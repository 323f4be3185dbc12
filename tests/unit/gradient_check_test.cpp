// Finite-difference checks of the gradient rules (the Differentiable interface), run in
// the reference interpreter in float64.
//
// Each case is a small function @f(args...) -> y written as MLIR text. The harness turns
// it into the objective  s = sum(y * R)  for a fixed random R (an nn.constant of y's
// type, every entry of magnitude >= 0.25, so every output element matters), clones it
// into @grad, which returns s and nnc::buildGradients(s, float args), and compares every
// gradient element with the central difference
//     fd = (s(x + h·e) - s(x - h·e)) / 2h,   h = 1e-6,
// under the criterion
//     max |g - fd| / max(1, max |fd|) <= 1e-6          (per argument).
// In float64 the truncation error of the central difference (h²/6·s''' ~ 1e-13) and its
// rounding error (~1e-16·|s|/h ~ 1e-9) are far below that bound. Inputs are drawn from a
// generator seeded by the case name, in ranges that keep away from kinks: relu, abs and
// hinge inputs away from their corners, max-pool windows and max reductions without
// ties, sqrt/log/rsqrt/pow bases positive, divisors away from 0.
//
// Two documented exceptions: nn.step's gradient is the straight-through convention (dy
// passes unchanged), so its case is compared with the finite differences of a surrogate
// function in which step is the identity; and the f64 -> f32 -> f64 cast case uses inputs
// on a 2^-10 grid and h = 2^-20, so that x ± h is exact in f32 and the f32 rounding in the
// middle does not pollute the finite difference.
//
// The whole-model checks compile models/{mlp,lenet5,cnn_bn_dropout}.graph in float64 with
// batch 2, take @forward's loss (batch norm in its training form, dropout with a fixed
// mask: fixed seed and step), build its gradients with respect to every trainable
// parameter load, and compare 30 randomly chosen parameter entries per model with central
// differences under the same criterion.
#include "op_cases.h"

#include "autodiff/Gradient.h"
#include "frontend/Importer.h"
#include "frontend/Parser.h"
#include "interpreter/Interpreter.h"
#include "nn/NNBuilder.h"
#include "nn/NNDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {
using namespace nnc_test;

using nnc::interp::DType;
using nnc::interp::Tensor;

constexpr double kTolerance = 1e-6; // max|g - fd| / max(1, max|fd|)

//===----------------------------------------------------------------------===//
// Harness
//===----------------------------------------------------------------------===//

std::string describe(const std::vector<int64_t> &shape, int64_t linear) {
  std::string s = "[";
  std::vector<int64_t> index(shape.size());
  for (int64_t a = int64_t(shape.size()) - 1; a >= 0; --a) {
    index[a] = linear % shape[a];
    linear /= shape[a];
  }
  for (size_t a = 0; a < index.size(); ++a) s += (a ? ", " : "") + std::to_string(index[a]);
  return s + "]";
}

// The outcome of comparing one gradient with finite differences.
struct Comparison {
  double error = 0, maxDiff = 0, maxFd = 0;
  int64_t worst = -1;
  double worstGrad = 0, worstFd = 0;
};

void record(Comparison &c, int64_t index, double grad, double fd) {
  double diff = std::abs(grad - fd);
  if (!(diff <= c.maxDiff)) { // NaN counts as worst too
    c.maxDiff = diff;
    c.worst = index, c.worstGrad = grad, c.worstFd = fd;
  }
  c.maxFd = std::max(c.maxFd, std::abs(fd));
}

void finish(Comparison &c) { c.error = c.maxDiff / std::max(1.0, c.maxFd); }

std::set<std::string> differentiableOpsIn(mlir::func::FuncOp f) {
  std::set<std::string> names;
  f.walk([&](mlir::Operation *op) {
    if (llvm::isa<mlir::nn::Differentiable>(op)) names.insert(op->getName().getStringRef().str());
  });
  return names;
}

// What checking one case found: a setup problem (parse, gradient building, verification,
// interpretation), or one comparison per checked argument.
struct CaseResult {
  std::string problem;
  std::vector<std::string> notes; // non-fatal findings (a gradient where none belongs, ...)
  std::vector<std::pair<unsigned, Comparison>> comparisons; // by argument number
  std::vector<std::string> argTypes;
  std::vector<std::vector<int64_t>> argShapes;
};

CaseResult checkCase(const Case &c) {
  CaseResult result;
  Context ctx;
  auto fail = [&](const std::string &what) {
    result.problem = what + (ctx.log.empty() ? "" : ":\n" + ctx.log);
    return result;
  };
  auto module = mlir::parseSourceString<mlir::ModuleOp>(c.text, mlir::ParserConfig(&ctx.context));
  if (!module) return fail("the case does not parse");
  auto f = module->lookupSymbol<mlir::func::FuncOp>("f");
  if (!f || f.getNumResults() != 1) return fail("the case needs @f with one result");
  auto yType = llvm::dyn_cast<mlir::RankedTensorType>(f.getResultTypes()[0]);
  if (!yType || !yType.getElementType().isF64()) return fail("@f must return a float64 tensor");
  Random rng(c.name);

  // The objective's weights R: |R| in [0.25, 1], random signs.
  std::vector<double> weights(size_t(yType.getNumElements()));
  for (double &w : weights) w = rng.uniform(0.25, 1.0) * (rng.next() & 1 ? 1 : -1);
  appendObjective(f, weights);

  // @grad: the objective and its gradients with respect to every float argument.
  std::vector<unsigned> returned; // argument number of each returned gradient
  std::string problem = addGradFunction(*module, f, c, returned, result.notes);
  if (!problem.empty()) return fail(problem);
  if (mlir::failed(mlir::verify(*module))) return fail("the gradient IR does not verify");

  // The function the finite differences are taken of.
  mlir::OwningOpRef<mlir::ModuleOp> fdModule;
  if (!c.surrogate.empty()) {
    fdModule = mlir::parseSourceString<mlir::ModuleOp>(c.surrogate, mlir::ParserConfig(&ctx.context));
    if (!fdModule) return fail("the surrogate does not parse");
    appendObjective(fdModule->lookupSymbol<mlir::func::FuncOp>("f"), weights);
  }

  // Inputs.
  std::vector<double> pool = distinctPool(c, f, rng);
  std::vector<Tensor> args;
  for (auto [i, arg] : llvm::enumerate(f.getArguments())) {
    bool isFloat = llvm::isa<mlir::FloatType>(tensorType(arg).getElementType());
    if (!isFloat && i >= c.inputs.size()) return fail("integer argument " + std::to_string(i) + " needs an input spec");
    args.push_back(makeInput(arg.getType(), i < c.inputs.size() ? c.inputs[i] : U(-1, 1), rng, pool));
    result.argTypes.push_back(args.back().typeString());
    result.argShapes.push_back(args.back().shape);
  }

  nnc::interp::Interpreter interp(*module);
  auto analytic = interp.run("grad", args);
  if (mlir::failed(analytic)) return fail("the interpreter failed on @grad");
  nnc::interp::Interpreter fdInterp(fdModule ? *fdModule : *module);
  bool runFailed = false;
  auto objective = [&](const std::vector<Tensor> &x) {
    auto r = fdInterp.run("f", x);
    runFailed |= mlir::failed(r);
    return mlir::succeeded(r) ? (*r)[0].data[0] : NAN;
  };
  if (!fdModule) { // @grad's objective is @f's
    double s = objective(args), sg = (*analytic)[0].data[0];
    if (!(std::abs(s - sg) <= 1e-12 * std::max(1.0, std::abs(s))))
      result.notes.push_back("@grad's objective " + std::to_string(sg) + " differs from @f's " + std::to_string(s));
  }

  for (auto [k, arg] : llvm::enumerate(returned)) {
    const Tensor &grad = (*analytic)[k + 1];
    if (grad.shape != args[arg].shape) return fail("the gradient of argument " + std::to_string(arg) + " has the wrong shape");
    Comparison cmp;
    for (int64_t j = 0; j < args[arg].numel(); ++j) {
      double original = args[arg].data[j];
      args[arg].data[j] = original + c.h;
      double plus = objective(args);
      args[arg].data[j] = original - c.h;
      double minus = objective(args);
      args[arg].data[j] = original;
      record(cmp, j, grad.data[j], (plus - minus) / (2 * c.h));
    }
    finish(cmp);
    result.comparisons.emplace_back(arg, cmp);
  }
  if (runFailed) return fail("the interpreter failed on @f");
  return result;
}

class GradientCheck : public ::testing::TestWithParam<Case> {};

TEST_P(GradientCheck, MatchesCentralDifferences) {
  const Case &c = GetParam();
  CaseResult r = checkCase(c);
  ASSERT_TRUE(r.problem.empty()) << r.problem;
  for (const std::string &note : r.notes) ADD_FAILURE() << note;
  for (auto &[arg, cmp] : r.comparisons) {
    EXPECT_LE(cmp.error, kTolerance)
        << "argument " << arg << " (" << r.argTypes[arg] << "): relative error " << cmp.error
        << ", max|g - fd| = " << cmp.maxDiff  << ", max|fd| = " << cmp.maxFd << "; worst at "
        << describe(r.argShapes[arg], cmp.worst) << ": gradient " << cmp.worstGrad << ", finite difference " << cmp.worstFd;
  }
}

// The harness itself: a gradient that disagrees with the function must be caught. Without
// its surrogate, step's straight-through gradient (R) meets finite differences of 0.
TEST(GradientCheckHarness, CatchesAWrongGradient) {
  Case c = cases()[0];
  for (const Case &candidate : cases())
    if (candidate.name == "step_straight_through") c = candidate;
  ASSERT_EQ(c.name, "step_straight_through");
  c.surrogate.clear();
  CaseResult r = checkCase(c);
  ASSERT_TRUE(r.problem.empty()) << r.problem;
  ASSERT_EQ(r.comparisons.size(), 1u);
  EXPECT_GE(r.comparisons[0].second.error, 0.25); // every |R| >= 0.25
}

INSTANTIATE_TEST_SUITE_P(Ops, GradientCheck, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case> &info) { return info.param.name; });

// Every op that declares the Differentiable interface appears in some case.
TEST(GradientCheckCoverage, EveryDifferentiableOpHasACase) {
  Context ctx;
  std::set<std::string> all, covered;
  for (mlir::RegisteredOperationName name : ctx.context.getRegisteredOperations())
    if (name.hasInterface<mlir::nn::Differentiable>()) all.insert(name.getStringRef().str());
  for (const Case &c : cases()) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(c.text, mlir::ParserConfig(&ctx.context));
    ASSERT_TRUE(module) << c.name << " does not parse:\n" << ctx.log;
    for (const std::string &op : differentiableOpsIn(module->lookupSymbol<mlir::func::FuncOp>("f")))
      covered.insert(op);
  }
  std::vector<std::string> missing;
  std::set_difference(all.begin(), all.end(), covered.begin(), covered.end(), std::back_inserter(missing));
  std::cout << "gradient check coverage: " << (all.size() - missing.size()) << " / " << all.size()
            << " differentiable ops in " << cases().size() << " cases\n";
  std::string list;
  for (const std::string &m : missing) list += " " + m;
  EXPECT_TRUE(missing.empty()) << "differentiable ops without a gradient check:" << list;
}

//===----------------------------------------------------------------------===//
// Whole models
//===----------------------------------------------------------------------===//

struct ModelCheck {
  std::string file;
};

void PrintTo(const ModelCheck &m, std::ostream *os) { *os << m.file; }

class ModelGradientCheck : public ::testing::TestWithParam<ModelCheck> {};

TEST_P(ModelGradientCheck, ParameterGradientsMatchCentralDifferences) {
  const std::string path = std::string(NNC_MODELS_DIR) + "/" + GetParam().file + ".graph";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::stringstream buffer;
  buffer << in.rdbuf();
  // The models are f32; the check runs them in float64.
  std::string text = buffer.str();
  for (size_t at = 0; (at = text.find("f32[", at)) != std::string::npos; at += 4) text.replace(at, 4, "f64[");

  Context ctx;
  llvm::SourceMgr sourceMgr;
  unsigned id = sourceMgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, path), llvm::SMLoc());
  auto ast = nnc::frontend::parse(sourceMgr, id);
  ASSERT_TRUE(ast) << "parse failed";
  nnc::frontend::ImportOptions options;
  options.batch = 2;
  auto module = nnc::frontend::importModule(*ast, sourceMgr, ctx.context, options);
  ASSERT_TRUE(module) << "import failed:\n" << ctx.log;
  // The compile pipeline up to the train step (as `nnc compile --emit=grad` runs it).
  mlir::PassManager pm(&ctx.context);
  pm.addNestedPass<mlir::func::FuncOp>(nnc::createInferShapes());
  pm.addPass(nnc::createBuildTrainStep());
  ASSERT_TRUE(mlir::succeeded(pm.run(*module))) << "compile failed:\n" << ctx.log;
  ASSERT_TRUE(module->lookupSymbol<mlir::func::FuncOp>("train_step"));

  // @loss: @forward's loss in training form (batch statistics; dropout masks from a fixed
  // seed and step), without the running-statistics updates.
  auto forward = module->lookupSymbol<mlir::func::FuncOp>("forward");
  ASSERT_TRUE(forward);
  auto train = *module->getOps<mlir::nn::TrainOp>().begin();
  mlir::func::FuncOp loss = forward.clone();
  loss.setName("loss");
  module->push_back(loss);
  size_t trainingForms = 0;
  {
    mlir::OpBuilder b(&loss.front(), loss.front().begin());
    auto i64 = mlir::RankedTensorType::get({}, b.getI64Type());
    mlir::Value seed = b.create<mlir::nn::ConstantOp>(loss.getLoc(), i64, mlir::DenseElementsAttr::get(i64, int64_t(1234)));
    mlir::Value step = b.create<mlir::nn::ConstantOp>(loss.getLoc(), i64, mlir::DenseElementsAttr::get(i64, int64_t(5)));
    llvm::SmallVector<mlir::nn::TrainingForm> forms;
    loss.walk([&](mlir::nn::TrainingForm op) { forms.push_back(op); });
    int64_t stream = 0;
    trainingForms = forms.size();
    for (mlir::nn::TrainingForm op : forms) {
      b.setInsertionPoint(op);
      auto replacement = op.buildTrainingForm(b, seed, step, stream++);
      ASSERT_TRUE(mlir::succeeded(replacement)) << ctx.log;
      op->getResult(0).replaceAllUsesWith(*replacement);
      op->erase();
    }
    loss.walk([&](mlir::nn::StoreOp store) { store.erase(); });
    auto ret = llvm::cast<mlir::func::ReturnOp>(loss.front().getTerminator());
    mlir::Value value;
    for (unsigned i = 0; i < ret.getNumOperands(); ++i) {
      auto name = loss.getResultAttrOfType<mlir::StringAttr>(i, "nn.name");
      if (name && name.getValue() == train.getLoss()) value = ret.getOperand(i);
    }
    ASSERT_TRUE(value);
    b.setInsertionPoint(ret);
    b.create<mlir::func::ReturnOp>(ret.getLoc(), value);
    ret.erase();
    loss.setType(mlir::FunctionType::get(&ctx.context, loss.getArgumentTypes(), {value.getType()}));
    loss.setAllResultAttrs(llvm::ArrayRef<mlir::DictionaryAttr>{});
    nnc::eraseDeadOps(loss.front());
  }

  // @loss_grad: the loss and its gradient with respect to every trainable parameter load.
  llvm::StringSet<> trainable;
  std::vector<std::string> params; // in declaration order
  for (mlir::nn::ParamOp p : module->getOps<mlir::nn::ParamOp>())
    if (p.getTrainable()) trainable.insert(p.getSymName()), params.push_back(p.getSymName().str());
  mlir::func::FuncOp g = loss.clone();
  g.setName("loss_grad");
  module->push_back(g);
  llvm::SmallVector<mlir::Value> wrt;
  std::vector<std::string> wrtNames;
  g.walk([&](mlir::nn::LoadOp load) {
    if (trainable.contains(load.getName())) {
      wrt.push_back(load.getResult());
      wrtNames.push_back(load.getName().str());
    }
  });
  auto ret = llvm::cast<mlir::func::ReturnOp>(g.front().getTerminator());
  mlir::OpBuilder builder(ret);
  auto grads = nnc::buildGradients(builder, ret.getOperand(0), wrt);
  ASSERT_TRUE(mlir::succeeded(grads)) << "buildGradients failed:\n" << ctx.log;
  llvm::SmallVector<mlir::Value> results{ret.getOperand(0)};
  mlir::nn::NNBuilder nb(builder, ret.getLoc());
  for (auto [v, grad] : llvm::zip(wrt, *grads)) results.push_back(grad ? grad : nb.zerosLike(v));
  builder.create<mlir::func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  refreshSignature(g);
  nnc::eraseDeadOps(g.front());
  ASSERT_TRUE(mlir::succeeded(mlir::verify(*module))) << "gradient IR does not verify:\n" << ctx.log;

  // Inputs: images in [0, 1), labels in [0, 10); parameters from their initializers.
  Random rng(GetParam().file);
  std::vector<Tensor> args;
  for (mlir::BlockArgument arg : loss.getArguments()) {
    bool isFloat = llvm::isa<mlir::FloatType>(tensorType(arg).getElementType());
    std::vector<double> unused;
    args.push_back(makeInput(arg.getType(), isFloat ? U(0, 1) : Ints(0, 10), rng, unused));
  }
  nnc::interp::Interpreter interp(*module);
  interp.initialize(42);
  auto analytic = interp.run("loss_grad", args);
  ASSERT_TRUE(mlir::succeeded(analytic)) << "interpreter failed on @loss_grad:\n" << ctx.log;
  // A parameter loaded more than once gets the sum of its loads' gradients.
  llvm::StringMap<std::vector<double>> gradient;
  for (auto [k, name] : llvm::enumerate(wrtNames)) {
    const Tensor &t = (*analytic)[k + 1];
    std::vector<double> &sum = gradient[name];
    if (sum.empty()) sum.assign(t.data.size(), 0.0);
    for (size_t i = 0; i < t.data.size(); ++i) sum[i] += t.data[i];
  }
  auto objective = [&]() {
    auto r = interp.run("loss", args);
    EXPECT_TRUE(mlir::succeeded(r)) << "interpreter failed on @loss:\n" << ctx.log;
    return mlir::succeeded(r) ? (*r)[0].data[0] : NAN;
  };
  double s = objective();
  EXPECT_NEAR((*analytic)[0].data[0], s, 1e-12 * std::max(1.0, std::abs(s)));

  // 30 entries: one of every parameter first (round robin), the rest uniformly at random
  // over all entries.
  constexpr int kSamples = 30;
  std::vector<std::pair<std::string, int64_t>> samples;
  int64_t total = 0;
  for (const std::string &p : params) total += int64_t(interp.state()[p].data.size());
  for (int k = 0; k < kSamples; ++k) {
    if (size_t(k) < params.size()) {
      const std::string &p = params[k];
      samples.emplace_back(p, rng.integer(0, int64_t(interp.state()[p].data.size())));
      continue;
    }
    int64_t at = rng.integer(0, total);
    for (const std::string &p : params) {
      int64_t n = int64_t(interp.state()[p].data.size());
      if (at < n) {
        samples.emplace_back(p, at);
        break;
      }
      at -= n;
    }
  }
  Comparison cmp;
  std::string worst;
  for (auto [k, sample] : llvm::enumerate(samples)) {
    auto &[name, index] = sample;
    ASSERT_TRUE(gradient.count(name)) << "no gradient for @" << name;
    double &entry = interp.state()[name].data[size_t(index)];
    double original = entry;
    entry = original + kStep;
    double plus = objective();
    entry = original - kStep;
    double minus = objective();
    entry = original;
    int64_t before = cmp.worst;
    record(cmp, int64_t(k), gradient[name][size_t(index)], (plus - minus) / (2 * kStep));
    if (cmp.worst != before) worst = "@" + name + describe(interp.state()[name].shape, index);
  }
  finish(cmp);
  EXPECT_LE(cmp.error, kTolerance) << "max|g - fd| = " << cmp.maxDiff << ", max|fd| = " << cmp.maxFd
                                   << "; worst at " << worst << ": gradient " << cmp.worstGrad
                                   << ", finite difference " << cmp.worstFd;
  std::cout << GetParam().file << ": " << samples.size() << " parameter entries of " << params.size()
            << " parameters (" << trainingForms << " ops in training form), relative error " << cmp.error
            << "\n";
}

INSTANTIATE_TEST_SUITE_P(Models, ModelGradientCheck,
                         ::testing::Values(ModelCheck{"mlp"}, ModelCheck{"lenet5"}, ModelCheck{"cnn_bn_dropout"}),
                         [](const ::testing::TestParamInfo<ModelCheck> &info) { return info.param.file; });

} // namespace
