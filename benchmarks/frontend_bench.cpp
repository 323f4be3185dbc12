// How long parsing and importing (with shape inference) take for the zoo's models.
#include "frontend/Importer.h"
#include "frontend/Parser.h"
#include "nn/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"

#include <benchmark/benchmark.h>

static void importModel(benchmark::State &state, const char *name) {
  std::string path = std::string(NNC_MODELS_DIR) + "/" + name + ".graph";
  auto file = llvm::MemoryBuffer::getFile(path);
  if (!file) {
    state.SkipWithError(("cannot read " + path).c_str());
    return;
  }
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<mlir::nn::NNDialect, mlir::func::FuncDialect>();
  for (auto _ : state) {
    llvm::SourceMgr sourceMgr;
    unsigned id = sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy((*file)->getBuffer(), path), llvm::SMLoc());
    auto ast = nnc::frontend::parse(sourceMgr, id);
    auto module = nnc::frontend::importModule(*ast, sourceMgr, context, {});
    benchmark::DoNotOptimize(module.get());
  }
}

BENCHMARK_CAPTURE(importModel, mlp, "mlp")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(importModel, resnet18, "resnet18")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(importModel, transformer, "transformer")->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
