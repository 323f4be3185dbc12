// The CPU backend: nn IR (with @train_step etc.) → LLVM dialect → object code.
#pragma once

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace nnc {

// Dialects and interface models the CPU pipeline creates; load before running it.
void registerCpuBackendDialects(mlir::DialectRegistry &registry);

// Kernels: bufferized, products as kernel calls, before memory planning and loops (what
// the fusion and memory reports read).
enum class CpuStage { Linalg, Kernels, Loops, LLVM };

// The stages every backend shares: nn → externalized state → linalg on tensors; and
// one-shot bufferization with ownership-based deallocation. Each backend adds its own
// fusion and loop order between them and its loops after. `convAsGemm`: ungrouped
// convolutions as im2col + matrix products (nn-lower-to-linalg's conv-as-gemm);
// `convLibrary`: all convolutions as calls of that prefix's functions (conv-library).
void addNNToLinalgStages(mlir::OpPassManager &pm, bool convAsGemm, const std::string &convLibrary = "");
void addBufferizationStages(mlir::OpPassManager &pm);

// Adds the passes from externalized nn IR up to `stage`: linalg on tensors, then
// bufferized loops, then the LLVM dialect.
void buildCpuPipeline(mlir::OpPassManager &pm, CpuStage stage);
// Bufferized loops (and OpenMP) → the LLVM dialect: the last stages of the pipeline.
void addLLVMStages(mlir::OpPassManager &pm);

struct EntrySignature {
  std::string name;                          // train_step, forward, ...
  std::vector<std::vector<int64_t>> shapes;  // of every memref argument, in order
  std::vector<int64_t> elementBytes;         // per argument (i1: 1)
  std::vector<bool> written;                 // per argument: state or a result
  // Bytes of the arena (nn-plan-memory), the last argument when non-zero (counted in
  // shapes as an i8 buffer).
  int64_t workspaceBytes = 0;
};
// The entry points' memref signatures, read after nn-externalize-state.
std::vector<EntrySignature> entrySignatures(mlir::ModuleOp module);
// The same for nn IR: externalizes a copy of `module` and reads its signatures.
mlir::FailureOr<std::vector<EntrySignature>> externalizedEntrySignatures(mlir::ModuleOp module);

// Runs the CPU pipeline on `module` in place up to `stage` (registering the dialects it
// needs) and returns the entry points' signatures; errors are reported.
mlir::FailureOr<std::vector<EntrySignature>> lowerForCpu(mlir::ModuleOp module, CpuStage stage);

struct ObjectOptions {
  std::string symbolPrefix;  // nnc_<model>
  // CUDA: the exported wrapper hands the entry to nnc_cuda_call (runtime/src/cuda),
  // which stages host buffers in device memory around the call.
  bool cuda = false;
  std::string cpu = "native"; // -mcpu; "native" = this host with its features
  bool mainModel = false;     // also define nnc_main_model (training binary)
  int optLevel = 2;
  // Threads that optimize and emit parts of the module (PartitionModule.h); the result
  // is one object per part. 1: one object, the whole module optimized together.
  unsigned partitions = 1;
};

// Translates an LLVM-dialect module to LLVM IR, adds the entry wrappers
// (`<prefix>_<entry>(void **args)`), the artifact bytes and the model descriptor
// (runtime/include/nnc/compiled_model.h), optimizes and returns object code: one
// object per part (`partitions`). With `textIR`, returns the optimized LLVM IR instead.
mlir::FailureOr<std::vector<std::string>> emitObject(mlir::ModuleOp module, const std::vector<EntrySignature> &entries,
                                        const std::string &artifact, const ObjectOptions &options, bool textIR);

} // namespace nnc
