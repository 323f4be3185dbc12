// `nnc compile`: reads a .graph file and runs the pipeline's stages in order, stopping
// after the one asked for and printing its result. Stages, in pipeline order:
//   1 ast   the syntax tree
//   2 nn    the typed nn IR (shapes static)
//     dot   the same as a Graphviz graph (`| dot -Tsvg > model.svg`)
//   3 grad  plus @train_step (forward, backward, optimizer update), @predict and, with
//           --grad-wrt, @input_gradient
//   4 artifact  the compiled-model description for the runtime (schemas/artifact.fbs),
//           binary; write it with -o
//   5 linalg  the entry points lowered to linalg/tensor (compiled calling convention)
//   6 loops   bufferized, as loops over memrefs (--target=cuda: outlined GPU kernels
//             and their launches)
//   7 llvm    the LLVM dialect
//   8 llvm-ir the optimized LLVM IR with the entry wrappers and model descriptor
//   9 obj     an object file (host CPU, or --cpu)
//  10 lib     an object file and a C header for embedding (<out>.o, <out>.h)
//  11 exe     the training binary: object + runtime + training driver, linked
// `-o FILE` without --emit means exe.
#pragma once

#include "frontend/AST.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <memory>
#include <string>
#include <vector>

namespace nnc {

enum class Stage { Ast, NN, Dot, Grad, Artifact, Linalg, FusionReport, MemoryReport, Loops, LLVM, LLVMIR, Obj, Lib, Exe };

// Stage names as `--emit` spells them, in pipeline order.
llvm::ArrayRef<llvm::StringRef> stageNames();
std::optional<Stage> parseStage(llvm::StringRef name);

struct CompileOptions {
  std::string input;           // a .graph file, or "-" for standard input
  std::string output = "-";    // where the emitted stage goes
  std::optional<int64_t> batch;
  std::vector<std::string> freeze; // parameters or block instances to freeze, as the train section's `freeze`
  Stage emit = Stage::NN;
  bool summary = false;        // print printSummary() of the typed module instead of IR
  std::vector<std::string> gradWrt; // inputs for @input_gradient (stage grad)
  std::string cpu = "native";  // target CPU of obj/lib/exe (LLVM's -mcpu names)
  std::string target = "cpu";  // cpu, or cuda (kernels for `cudaArch`, host code for `cpu`)
  std::string cudaArch = "sm_90";
  std::string cudaGemm = "cublas"; // matrix products: cublas, or loops (generated kernels)
  std::string cudaConv = "cudnn";  // convolutions: cudnn (library calls), gemm (im2col + cuBLAS) or loops
  int64_t cudaIndexBits = 0;       // index arithmetic width inside CUDA kernels (0: automatic)
  unsigned jobs = 0;               // threads for LLVM on a CPU executable (0: one per core)
};

// Returns the process exit status: 0 on success, 1 after reported errors.
int compile(const CompileOptions &options);

class SurfaceDiagnostics;

// The stages behind `nnc compile`, for the driver's commands: reads a .graph file,
// parses it, and lowers it to the typed module up to `options.emit` (at least nn).
// Errors are reported (file:line:col) and give nullopt / null.
class Pipeline {
public:
  Pipeline();
  ~Pipeline();
  bool read(const std::string &path);
  std::optional<frontend::Module> parse();
  mlir::OwningOpRef<mlir::ModuleOp> lower(const frontend::Module &ast, const CompileOptions &options);

private:
  llvm::SourceMgr sourceMgr_;
  unsigned bufferId_ = 0;
  mlir::MLIRContext context_;
  std::unique_ptr<SurfaceDiagnostics> diagnostics_;
};

} // namespace nnc
