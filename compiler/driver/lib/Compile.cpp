// The compile pipeline behind `nnc compile`.
#include "driver/Compile.h"

#include "driver/Codegen.h"

#include "driver/Diagnostics.h"
#include "driver/Summary.h"
#include "emit/ArtifactWriter.h"
#include "emit/DotWriter.h"
#include "frontend/Importer.h"
#include "frontend/Parser.h"
#include "nn/NNDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

namespace nnc {

llvm::ArrayRef<llvm::StringRef> stageNames() {
  static const llvm::StringRef names[] = {"ast",   "nn",   "dot",     "grad", "artifact", "linalg", "fusion-report",
                                          "memory-report", "loops", "llvm", "llvm-ir", "obj", "lib", "exe"};
  return names;
}

std::optional<Stage> parseStage(llvm::StringRef name) {
  if (name == "ast") return Stage::Ast;
  if (name == "nn") return Stage::NN;
  if (name == "dot") return Stage::Dot;
  if (name == "grad") return Stage::Grad;
  if (name == "artifact") return Stage::Artifact;
  if (name == "linalg") return Stage::Linalg;
  if (name == "fusion-report") return Stage::FusionReport;
  if (name == "memory-report") return Stage::MemoryReport;
  if (name == "loops") return Stage::Loops;
  if (name == "llvm") return Stage::LLVM;
  if (name == "llvm-ir") return Stage::LLVMIR;
  if (name == "obj") return Stage::Obj;
  if (name == "lib") return Stage::Lib;
  if (name == "exe") return Stage::Exe;
  return std::nullopt;
}

// Writes the result only once the whole compile succeeded, so a failed compile never
// truncates a file the user already had.
int writeOutput(llvm::StringRef path, llvm::StringRef text) {
  std::string error;
  auto out = mlir::openOutputFile(path, &error);
  if (!out) {
    llvm::errs() << path << ": error: " << error << "\n";
    return 1;
  }
  out->os() << text;
  out->keep();
  return 0;
}

// Files larger than this are refused before parsing.
constexpr uint64_t kMaxSourceBytes = 64u << 20;

bool Pipeline::read(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (std::error_code ec = buffer.getError()) {
    llvm::errs() << path << ": error: cannot read the file: " << ec.message() << "\n";
    return false;
  }
  if ((*buffer)->getBufferSize() > kMaxSourceBytes) {
    llvm::errs() << path << ": error: the file is larger than 64 MiB\n";
    return false;
  }
  bufferId_ = sourceMgr_.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  return true;
}

std::optional<frontend::Module> Pipeline::parse() { return frontend::parse(sourceMgr_, bufferId_); }

mlir::OwningOpRef<mlir::ModuleOp> Pipeline::lower(const frontend::Module &ast, const CompileOptions &options) {
  context_.printOpOnDiagnostic(false); // the source line says more to a .graph author
  context_.loadDialect<mlir::nn::NNDialect, mlir::func::FuncDialect>();
  if (!diagnostics_) diagnostics_ = std::make_unique<SurfaceDiagnostics>(sourceMgr_, context_);
  frontend::ImportOptions importOptions;
  importOptions.batch = options.batch;
  importOptions.freeze = options.freeze;
  auto module = frontend::importModule(ast, sourceMgr_, context_, importOptions);
  if (!module) return nullptr;

  // Stage nn: the importer typed every op; the pass re-checks each against its rule.
  mlir::PassManager pm(&context_);
  pm.addNestedPass<mlir::func::FuncOp>(createInferShapes());
  // Stage grad: the training entry points.
  if (options.emit >= Stage::Grad) {
    BuildTrainStepOptions trainOptions;
    trainOptions.gradWrt = options.gradWrt;
    pm.addPass(createBuildTrainStep(trainOptions));
    pm.addPass(mlir::createCanonicalizerPass()); // folds no-op reshapes, removes dead ops
    pm.addPass(mlir::createCSEPass());           // one copy of repeated constants
  }
  if (mlir::failed(pm.run(*module))) return nullptr;
  return module;
}

Pipeline::Pipeline() : context_(mlir::MLIRContext::Threading::DISABLED) {}
Pipeline::~Pipeline() = default;

int compile(const CompileOptions &options) {
  Pipeline pipeline;
  if (!pipeline.read(options.input)) return 1;
  auto ast = pipeline.parse();
  if (!ast) return 1;
  std::string text;
  llvm::raw_string_ostream os(text);
  if (options.emit == Stage::Ast) {
    frontend::dump(*ast, os);
    return writeOutput(options.output, text);
  }
  auto module = pipeline.lower(*ast, options);
  if (!module) return 1;
  if (options.emit >= Stage::Linalg && !options.summary) return compileNative(*module, options);
  if (options.emit == Stage::Artifact && !options.summary) {
    auto bytes = writeArtifact(*module);
    if (mlir::failed(bytes)) return 1;
    return writeOutput(options.output, *bytes);
  }
  if (options.emit == Stage::Dot && !options.summary) return writeOutput(options.output, writeDot(*module));
  if (options.summary) printSummary(*module, os);
  else module->print(os);
  return writeOutput(options.output, text);
}

} // namespace nnc
