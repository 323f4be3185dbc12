// The optimizer suite: each optimizer configuration's parameter trajectory over 20 steps
// (two with gradient clipping by the global norm)
// of a small float64 problem (MLP 4 -> 5 -> 3, tanh, cross_entropy, one fixed batch),
// run through `--emit=grad`'s train_step in the reference interpreter, against the
// PyTorch 1.13 values in optimizer_refs.inc (scripts/gen_optimizer_refs.py).
#include "batch_norm_refs.inc"
#include "optimizer_refs.inc"

#include "SourceFixture.h"
#include "frontend/Importer.h"
#include "frontend/Parser.h"
#include "interpreter/Interpreter.h"
#include "nn/NNDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <sstream>

using namespace optimizer_refs;
using nnc::interp::DType;
using nnc::interp::Tensor;

namespace {

// Relative error of a trajectory against PyTorch's, per tensor:
// max_i |a_i - b_i| / max(max_i |b_i|, tiny); tolerance 1e-6. Both sides compute in
// float64 with the same formulas up to association: the observed error is below 1e-13,
// while a formula difference (amsgrad's max left out, NAdam's mu_product_next of
// torch 2.x) shows as 1e-4 or more.
constexpr double kTolerance = 1e-6;
constexpr double kTiny = 1e-300;

double relativeError(llvm::ArrayRef<double> actual, llvm::ArrayRef<double> expected) {
  double diff = 0, scale = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    double d = std::fabs(actual[i] - expected[i]);
    diff = std::isnan(d) ? INFINITY : std::max(diff, d);
    scale = std::max(scale, std::fabs(expected[i]));
  }
  return diff / std::max(scale, kTiny);
}

std::string dims(const std::vector<int64_t> &shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s;
}

// The .graph of the problem with `optimizer` as the optimizer line.
std::string graphText(const Config &config) {
  std::ostringstream os;
  os << "input x: f64[" << dims(kXShape) << "]\n";
  os << "input y: i64[" << kY.size() << "]\n";
  for (const Param &p : kParams) os << "param " << p.name << ": f64[" << dims(p.shape) << "] = zeros\n";
  os << "h = tanh(linear(x, w1, b1))\n"
        "logits = linear(h, w2, b2)\n"
        "loss = cross_entropy(logits, y)\n"
        "train {\n"
        "  minimize loss\n"
        "  optimizer "
     << config.optimizer << "\n";
  if (config.clipGradNorm > 0) os << "  clip_grad_norm " << config.clipGradNorm << "\n";
  os << "}\n";
  return os.str();
}

Tensor makeTensor(DType dtype, std::vector<int64_t> shape, std::vector<double> data) {
  Tensor t;
  t.dtype = dtype;
  t.shape = std::move(shape);
  t.data = std::move(data);
  return t;
}

class CompiledGraph : public ::testing::Test {
protected:
  CompiledGraph() : context(mlir::MLIRContext::Threading::DISABLED) {
    context.loadDialect<mlir::nn::NNDialect, mlir::func::FuncDialect>();
    context.getDiagEngine().registerHandler([this](mlir::Diagnostic &d) {
      errors += d.str() + "\n";
      return mlir::success();
    });
  }

  // parse -> import -> infer shapes -> train step (-> canonicalize, CSE), as `nnc
  // compile --emit=grad` does.
  mlir::OwningOpRef<mlir::ModuleOp> compile(const std::string &text) {
    source = std::make_unique<nnc::testing::Source>(text);
    auto ast = nnc::frontend::parse(source->mgr, source->id);
    if (!ast) return nullptr;
    auto module = nnc::frontend::importModule(*ast, source->mgr, context, {});
    if (!module) return nullptr;
    mlir::PassManager pm(&context);
    pm.addNestedPass<mlir::func::FuncOp>(nnc::createInferShapes());
    pm.addPass(nnc::createBuildTrainStep());
    pm.addPass(mlir::createCanonicalizerPass());
    pm.addPass(mlir::createCSEPass());
    if (mlir::failed(pm.run(*module))) return nullptr;
    return module;
  }

  mlir::MLIRContext context;
  std::unique_ptr<nnc::testing::Source> source;
  std::string errors;
};

class OptimizerTest : public CompiledGraph, public ::testing::WithParamInterface<size_t> {};

TEST_P(OptimizerTest, MatchesPyTorchTrajectory) {
  const Config &config = kConfigs[GetParam()];
  std::string text = graphText(config);
  auto module = compile(text);
  ASSERT_TRUE(module) << text << source->diagnostics << errors;
  auto step = module->lookupSymbol<mlir::func::FuncOp>("train_step");
  ASSERT_TRUE(step) << "no train_step";

  nnc::interp::Interpreter interpreter(*module);
  interpreter.initialize(0); // optimizer state at its initial values
  ASSERT_TRUE(errors.empty()) << errors;
  for (const Param &p : kParams) {
    auto it = interpreter.state().find(p.name);
    ASSERT_NE(it, interpreter.state().end()) << "no state for " << p.name;
    ASSERT_EQ(it->second.shape, p.shape) << p.name;
    it->second = makeTensor(DType::F64, p.shape, p.init);
  }

  // The arguments by nn.name; the step counter is set per step.
  std::vector<Tensor> args;
  int stepIndex = -1;
  for (unsigned i = 0; i < step.getNumArguments(); ++i) {
    auto name = step.getArgAttrOfType<mlir::StringAttr>(i, "nn.name");
    auto role = step.getArgAttrOfType<mlir::StringAttr>(i, "nn.role");
    ASSERT_TRUE(name) << "argument " << i << " has no nn.name";
    llvm::StringRef n = name.getValue(), r = role ? role.getValue() : "";
    if (n == "x") {
      args.push_back(makeTensor(DType::F64, kXShape, kX));
    } else if (n == "y") {
      args.push_back(makeTensor(DType::I64, {int64_t(kY.size())}, std::vector<double>(kY.begin(), kY.end())));
    } else if (r == "hyperparameter") {
      auto it = std::find_if(config.hyper.begin(), config.hyper.end(), [&](const Hyper &h) { return n == h.name; });
      ASSERT_NE(it, config.hyper.end()) << "the reference has no hyperparameter '" << n.str() << "'";
      args.push_back(Tensor::scalar(DType::F64, it->value));
    } else if (r == "step") {
      stepIndex = int(i);
      args.push_back(Tensor::scalar(DType::I64, 1));
    } else if (r == "seed") {
      args.push_back(Tensor::scalar(DType::I64, 0));
    } else {
      FAIL() << "unexpected train_step argument '" << n.str() << "'";
    }
  }
  ASSERT_GE(stepIndex, 0) << "train_step has no step argument";

  size_t checkpoint = 0;
  for (int t = 1; t <= kSteps; ++t) {
    args[stepIndex] = Tensor::scalar(DType::I64, t);
    auto results = interpreter.run("train_step", args);
    ASSERT_TRUE(mlir::succeeded(results)) << "step " << t << ": " << errors;
    ASSERT_FALSE(results->empty());
    double loss = results->front().data.at(0);
    double expectedLoss = config.losses[t - 1];
    EXPECT_LE(relativeError(loss, expectedLoss), kTolerance)
        << "loss of step " << t << ": " << loss << " vs PyTorch " << expectedLoss;

    if (checkpoint < kCheckpoints.size() && kCheckpoints[checkpoint] == t) {
      const std::vector<double> &expected = config.params[checkpoint];
      size_t offset = 0;
      for (const Param &p : kParams) {
        const Tensor &actual = interpreter.state()[p.name];
        llvm::ArrayRef<double> want(expected.data() + offset, p.init.size());
        offset += p.init.size();
        ASSERT_EQ(actual.data.size(), want.size()) << p.name;
        double err = relativeError(actual.data, want);
        std::ostringstream detail;
        for (size_t i = 0; i < want.size(); ++i)
          detail << "  [" << i << "] " << actual.data[i] << " vs " << want[i] << "\n";
        EXPECT_LE(err, kTolerance) << p.name << " after step " << t << " (relative error " << err << ")\n"
                                   << detail.str();
      }
      ++checkpoint;
    }
  }
}

// Batch norm's two modes against PyTorch (batch_norm_refs.inc): 5 train steps with the
// batch statistics, moving the running statistics with momentum 0.2 and the unbiased
// variance, then `forward` (evaluation: the running statistics).
TEST_F(CompiledGraph, BatchNormModesMatchPyTorch) {
  namespace bn = batch_norm_refs;
  auto module = compile(bn::kGraph);
  ASSERT_TRUE(module) << bn::kGraph << source->diagnostics << errors;
  auto step = module->lookupSymbol<mlir::func::FuncOp>("train_step");
  ASSERT_TRUE(step);
  nnc::interp::Interpreter interpreter(*module);
  interpreter.initialize(0);
  for (const auto &t : bn::kInit) interpreter.state()[t.name] = makeTensor(DType::F64, t.shape, t.values);
  Tensor x = makeTensor(DType::F64, bn::kXShape, bn::kX), y = makeTensor(DType::I64, {int64_t(bn::kY.size())}, bn::kY);
  std::vector<Tensor> args;
  int stepIndex = -1;
  for (unsigned i = 0; i < step.getNumArguments(); ++i) {
    llvm::StringRef n = step.getArgAttrOfType<mlir::StringAttr>(i, "nn.name").getValue();
    if (n == "x") args.push_back(x);
    else if (n == "y") args.push_back(y);
    else if (n == "lr") args.push_back(Tensor::scalar(DType::F64, 0.1));
    else if (n == "momentum") args.push_back(Tensor::scalar(DType::F64, 0.9));
    else if (n == "step") stepIndex = int(i), args.push_back(Tensor::scalar(DType::I64, 1));
    else args.push_back(Tensor::scalar(n == "seed" ? DType::I64 : DType::F64, 0)); // dampening, weight_decay, seed
  }
  ASSERT_GE(stepIndex, 0);
  for (int t = 1; t <= bn::kSteps; ++t) {
    args[stepIndex] = Tensor::scalar(DType::I64, t);
    auto results = interpreter.run("train_step", args);
    ASSERT_TRUE(mlir::succeeded(results)) << errors;
    EXPECT_LE(relativeError(results->front().data.at(0), bn::kLosses[t - 1]), kTolerance) << "step " << t;
  }
  for (const auto &t : bn::kFinal)
    EXPECT_LE(relativeError(interpreter.state()[t.name].data, t.values), kTolerance) << t.name << " after training";
  auto eval = interpreter.run("forward", {x, y});
  ASSERT_TRUE(mlir::succeeded(eval)) << errors;
  // forward returns (logits, loss): the loss is the 0-d result.
  const Tensor *loss = nullptr;
  for (const Tensor &r : *eval)
    if (r.shape.empty()) loss = &r;
  ASSERT_NE(loss, nullptr);
  EXPECT_LE(relativeError(loss->data.at(0), bn::kEvalLoss), kTolerance) << "eval-mode loss";
}

INSTANTIATE_TEST_SUITE_P(Torch113, OptimizerTest, ::testing::Range<size_t>(0, kConfigs.size()),
                         [](const ::testing::TestParamInfo<size_t> &info) {
                           return std::string(kConfigs[info.param].name);
                         });

} // namespace
