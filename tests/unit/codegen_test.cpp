// The CPU backend against the reference interpreter.
//
// Ops: every case of op_cases.h (the gradient checks' cases, float64) is compiled twice
// over — @predict = the case's function, @input_gradient = the objective s = sum(y · R)
// with its gradients, which exercises the adjoint ops (conv/pool backward, slice_grad,
// embedding_backward, ...) — to an object, linked into a shared library, loaded and run
// on the interpreter's inputs. Every result element must satisfy
//     |compiled - interpreted| <= 1e-9 · max(1, max |interpreted|)
// (float64; the difference is summation order and libm).
//
// Models: models/{logistic,mlp,lenet5,cnn_bn_dropout,transformer}.graph with batch 4,
// turned to float64 (every f32 of the source made f64): the same initial state (the
// interpreter's, from seed 7) and the same synthetic batches, 3 train steps. Each step's
// loss and metrics and every final state tensor must agree within 1e-9 relative (to
// max(1, max |value|)); dropout masks come from Philox in both. Float64 because in
// float32 the two legitimately drift apart: summation order decides near-ties of max
// pooling (which input gets the gradient), and Adam's first steps move a parameter by
// ±lr whatever its gradient's size, so a gradient element of ~1e-9 whose sign flips with
// rounding moves it by 2·lr.
#include "op_cases.h"

#include "driver/Compile.h"
#include "emit/ArtifactWriter.h"
#include "lowering/CpuPipeline.h"
#include "nn/Optimizers.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <cstring>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

namespace {
using namespace nnc_test;
using nnc::interp::DType;

// A shared library built from generated object code.
class Library {
public:
  ~Library() {
    if (handle_) dlclose(handle_);
  }
  // Empty on success, else what failed.
  // Links the objects (the parts of one module) into a shared library and opens it.
  std::string load(const std::vector<std::string> &objects) {
    std::vector<llvm::SmallString<128>> paths(objects.size());
    llvm::SmallString<128> so;
    for (size_t i = 0; i < objects.size(); ++i) {
      int fd;
      if (llvm::sys::fs::createTemporaryFile("nnc-codegen", "o", fd, paths[i])) return "no temporary file";
      llvm::raw_fd_ostream os(fd, true);
      os << objects[i];
    }
    llvm::sys::fs::createTemporaryFile("nnc-codegen", "so", so);
    std::vector<llvm::StringRef> args{NNC_CXX, "-shared", "-o", so};
    for (auto &path : paths) args.push_back(path);
    args.insert(args.end(), {"-lm", NNC_OMP});
    std::string error;
    int rc = llvm::sys::ExecuteAndWait(NNC_CXX, args, std::nullopt, {}, 0, 0, &error);
    for (auto &path : paths) llvm::sys::fs::remove(path);
    if (rc != 0) return "linking the shared library failed: " + error;
    handle_ = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
    llvm::sys::fs::remove(so);
    return handle_ ? "" : std::string("dlopen: ") + dlerror();
  }
  using Entry = void (*)(void *const *);
  Entry entry(const std::string &symbol) { return reinterpret_cast<Entry>(dlsym(handle_, symbol.c_str())); }
  // Entry points with a memory plan take an arena as their last argument.
  void setArenas(const std::vector<nnc::EntrySignature> &entries) {
    for (const nnc::EntrySignature &e : entries)
      if (e.workspaceBytes)
        arenas_[e.name].reset(static_cast<std::byte *>(std::aligned_alloc(64, (e.workspaceBytes + 63) / 64 * 64)));
  }
  void addArena(const std::string &entry, std::vector<void *> &pointers) {
    if (auto it = arenas_.find(entry); it != arenas_.end()) pointers.push_back(it->second.get());
  }

private:
  struct Free {
    void operator()(std::byte *p) const { std::free(p); }
  };
  std::map<std::string, std::unique_ptr<std::byte, Free>> arenas_;
  void *handle_ = nullptr;
};

// A tensor in the compiled calling convention's layout (64-byte aligned, its dtype).
struct Buffer {
  DType dtype;
  std::vector<int64_t> shape;
  std::shared_ptr<void> data;
  size_t count = 1;

  Buffer(DType d, llvm::ArrayRef<int64_t> s) : dtype(d), shape(s.begin(), s.end()) {
    for (int64_t n : shape) count *= size_t(n);
    size_t bytes = std::max<size_t>(64, (count * width() + 63) / 64 * 64);
    data = std::shared_ptr<void>(std::aligned_alloc(64, bytes), std::free);
    std::memset(data.get(), 0, bytes);
  }
  size_t width() const { return dtype == DType::F64 || dtype == DType::I64 ? 8 : dtype == DType::I1 ? 1 : 4; }
  static Buffer from(const Tensor &t) {
    Buffer b(t.dtype, t.shape);
    for (size_t i = 0; i < b.count; ++i) b.set(i, t.data[i]);
    return b;
  }
  void set(size_t i, double v) {
    switch (dtype) {
    case DType::F32: static_cast<float *>(data.get())[i] = float(v); break;
    case DType::F64: static_cast<double *>(data.get())[i] = v; break;
    case DType::I1: static_cast<uint8_t *>(data.get())[i] = v != 0; break;
    case DType::I32: static_cast<int32_t *>(data.get())[i] = int32_t(v); break;
    case DType::I64: static_cast<int64_t *>(data.get())[i] = int64_t(v); break;
    }
  }
  double get(size_t i) const {
    switch (dtype) {
    case DType::F32: return static_cast<const float *>(data.get())[i];
    case DType::F64: return static_cast<const double *>(data.get())[i];
    case DType::I1: return static_cast<const uint8_t *>(data.get())[i];
    case DType::I32: return static_cast<const int32_t *>(data.get())[i];
    case DType::I64: return double(static_cast<const int64_t *>(data.get())[i]);
    }
    return 0;
  }
};

Buffer bufferFor(mlir::Type type) {
  auto t = llvm::cast<mlir::RankedTensorType>(type);
  return Buffer(nnc::interp::dtypeOf(t.getElementType()), t.getShape());
}

// Compiles `module` (nn IR with entry points) to object code in a loaded library.
std::string compileAndLoad(mlir::ModuleOp module, const std::string &prefix, const std::string &artifact, Library &lib) {
  auto entries = nnc::lowerForCpu(module, nnc::CpuStage::LLVM);
  if (mlir::failed(entries)) return "the CPU pipeline failed";
  nnc::ObjectOptions options;
  options.symbolPrefix = prefix;
  // Two parts compiled on two threads and linked, as training binaries are built: every
  // case here also checks the split (kernels called across parts).
  options.partitions = 2;
  auto object = nnc::emitObject(module, *entries, artifact, options, false);
  if (mlir::failed(object)) return "object emission failed";
  lib.setArenas(*entries);
  return lib.load(*object);
}

// max |a - b| / max(1, max |b|) over the elements; NaN where one side is NaN.
double relativeError(const Buffer &a, const Tensor &b) {
  double diff = 0, scale = 1;
  for (size_t i = 0; i < a.count; ++i) {
    double d = std::abs(a.get(i) - b.data[i]);
    if (!(d <= diff)) diff = d;
    scale = std::max(scale, std::abs(b.data[i]));
  }
  return diff / scale;
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

class CodegenOp : public ::testing::TestWithParam<Case> {};

TEST_P(CodegenOp, MatchesInterpreter) {
  const Case &c = GetParam();
  Context ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::vector<Tensor> args;
  ASSERT_EQ(buildBackendCase(c, ctx, module, args), "");

  // The interpreter's results first (the module is lowered in place afterwards).
  nnc::interp::Interpreter interp(*module);
  std::vector<std::pair<std::string, std::vector<Tensor>>> expected;
  std::vector<std::vector<mlir::Type>> resultTypes;
  for (const char *name : {"predict", "input_gradient"}) {
    auto r = interp.run(name, args);
    ASSERT_TRUE(mlir::succeeded(r)) << name << ": " << ctx.log;
    expected.emplace_back(name, *r);
    auto fn = module->lookupSymbol<mlir::func::FuncOp>(name);
    resultTypes.emplace_back(fn.getResultTypes().begin(), fn.getResultTypes().end());
  }
  Library lib;
  ASSERT_EQ(compileAndLoad(*module, "nnc_case", "", lib), "") << ctx.log;
  for (auto [k, entry] : llvm::enumerate(expected)) {
    auto fn = lib.entry("nnc_case_" + entry.first);
    ASSERT_NE(fn, nullptr) << entry.first;
    std::vector<Buffer> buffers;
    for (const Tensor &a : args) buffers.push_back(Buffer::from(a));
    for (mlir::Type t : resultTypes[k]) buffers.push_back(bufferFor(t));
    std::vector<void *> pointers;
    for (Buffer &b : buffers) pointers.push_back(b.data.get());
    lib.addArena(entry.first, pointers);
    fn(pointers.data());
    for (size_t r = 0; r < entry.second.size(); ++r) {
      const Buffer &got = buffers[args.size() + r];
      EXPECT_LE(relativeError(got, entry.second[r]), 1e-9) << entry.first << " result " << r;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, CodegenOp, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case> &info) { return info.param.name; });

//===----------------------------------------------------------------------===//
// Models
//===----------------------------------------------------------------------===//

constexpr double kModelTolerance = 1e-9;

class CodegenModel : public ::testing::TestWithParam<std::string> {};

TEST_P(CodegenModel, TrainStepsMatchInterpreter) {
  nnc::Pipeline pipeline;
  nnc::CompileOptions options;
  // The model in float64: a temporary copy with every f32 made f64.
  std::ifstream in(std::string(NNC_MODELS_DIR) + "/" + GetParam() + ".graph");
  std::stringstream text;
  text << in.rdbuf();
  std::string source = std::regex_replace(text.str(), std::regex("\\bf32\\b"), "f64");
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile(GetParam(), "graph", path));
  std::ofstream(path.str().str()) << source;
  options.input = path.str().str();
  options.batch = 4;
  options.emit = nnc::Stage::Grad;
  ASSERT_TRUE(pipeline.read(options.input));
  auto ast = pipeline.parse();
  ASSERT_TRUE(ast);
  auto module = pipeline.lower(*ast, options);
  llvm::sys::fs::remove(path);
  ASSERT_TRUE(module);
  auto step = module->lookupSymbol<mlir::func::FuncOp>("train_step");
  auto train = *module->getOps<mlir::nn::TrainOp>().begin();
  std::vector<std::string> stateNames;
  for (auto p : module->getOps<mlir::nn::ParamOp>()) stateNames.push_back(p.getSymName().str());

  nnc::interp::Interpreter interp(*module);
  interp.initialize(7);
  std::vector<Buffer> state;
  for (const std::string &name : stateNames) state.push_back(Buffer::from(interp.state()[name]));

  // Arguments per step: synthetic inputs (integers in [0, 10)), hyperparameters, step, seed.
  std::mt19937_64 rng(11);
  auto argumentsFor = [&](int64_t stepNumber) {
    std::vector<Tensor> args;
    for (unsigned i = 0; i < step.getNumArguments(); ++i) {
      auto type = llvm::cast<mlir::RankedTensorType>(step.getArgumentTypes()[i]);
      auto role = step.getArgAttrOfType<mlir::StringAttr>(i, "nn.role");
      auto name = step.getArgAttrOfType<mlir::StringAttr>(i, "nn.name");
      llvm::StringRef r = role ? role.getValue() : "";
      Tensor t = Tensor::zeros(nnc::interp::dtypeOf(type.getElementType()), type.getShape());
      // max_grad_norm (the Transformer clips) so small that the clipping always binds.
      if (r == "hyperparameter")
        t.data[0] = name.getValue() == "max_grad_norm" ? 1e-3 : train.hyperparameterDefault(name.getValue());
      else if (r == "step") t.data[0] = double(stepNumber);
      else if (r == "seed") t.data[0] = 1234;
      else
        for (double &v : t.data) v = nnc::interp::isFloat(t.dtype) ? double(rng() >> 11) * 0x1.0p-53 * 2 - 1 : double(rng() % 10);
      t.roundToDType();
      args.push_back(std::move(t));
    }
    return args;
  };
  std::vector<std::vector<Tensor>> stepArgs;
  for (int64_t s = 1; s <= 3; ++s) stepArgs.push_back(argumentsFor(s));
  std::vector<std::vector<Tensor>> expected;
  for (auto &args : stepArgs) {
    auto r = interp.run("train_step", args);
    ASSERT_TRUE(mlir::succeeded(r));
    expected.push_back(*r);
  }
  std::vector<mlir::Type> resultTypes(step.getResultTypes().begin(), step.getResultTypes().end());

  auto artifact = nnc::writeArtifact(*module, "nnc_model");
  ASSERT_TRUE(mlir::succeeded(artifact));
  Library lib;
  ASSERT_EQ(compileAndLoad(*module, "nnc_model", *artifact, lib), "");
  auto fn = lib.entry("nnc_model_train_step");
  ASSERT_NE(fn, nullptr);
  for (size_t s = 0; s < stepArgs.size(); ++s) {
    std::vector<Buffer> buffers = state;
    for (const Tensor &a : stepArgs[s]) buffers.push_back(Buffer::from(a));
    for (mlir::Type t : resultTypes) buffers.push_back(bufferFor(t));
    std::vector<void *> pointers;
    for (Buffer &b : buffers) pointers.push_back(b.data.get());
    lib.addArena("train_step", pointers);
    fn(pointers.data());
    for (size_t r = 0; r < resultTypes.size(); ++r) {
      double got = buffers[state.size() + stepArgs[s].size() + r].get(0), want = expected[s][r].data[0];
      EXPECT_NEAR(got, want, kModelTolerance * std::max(1.0, std::abs(want))) << "step " << s + 1 << " result " << r;
    }
  }
  for (size_t i = 0; i < stateNames.size(); ++i)
    EXPECT_LE(relativeError(state[i], interp.state()[stateNames[i]]), kModelTolerance) << stateNames[i];
}

INSTANTIATE_TEST_SUITE_P(Models, CodegenModel,
                         ::testing::Values("logistic", "mlp", "lenet5", "cnn_bn_dropout", "transformer"));

} // namespace
