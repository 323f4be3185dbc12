// libFuzzer target: any bytes through the lexer, parser and importer must give either a
// module or reported errors, never a crash, hang or sanitizer report.
#include "frontend/Importer.h"
#include "frontend/Parser.h"
#include "nn/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/MemoryBuffer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::MLIRContext *context = [] {
    auto *ctx = new mlir::MLIRContext(mlir::MLIRContext::Threading::DISABLED);
    ctx->loadDialect<mlir::nn::NNDialect, mlir::func::FuncDialect>();
    ctx->getDiagEngine().registerHandler([](mlir::Diagnostic &) { return mlir::success(); });
    return ctx;
  }();
  llvm::SourceMgr sourceMgr;
  sourceMgr.setDiagHandler([](const llvm::SMDiagnostic &, void *) {});
  unsigned id = sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.graph"),
      llvm::SMLoc());
  auto ast = nnc::frontend::parse(sourceMgr, id);
  if (!ast) return 0;
  nnc::frontend::ImportOptions options;
  options.maxOps = 10000; // keep each input fast
  auto module = nnc::frontend::importModule(*ast, sourceMgr, *context, options);
  return 0;
}
