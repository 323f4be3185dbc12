// The CUDA backend: nn IR (with @train_step etc.) → GPU kernels in sm_90 fatbins plus
// host code in the LLVM dialect that allocates scratch memory and launches them.
#pragma once

#include "lowering/CpuPipeline.h"

namespace nnc {

struct CudaOptions {
  std::string chip = "sm_90";   // SASS for this architecture; the fatbin also holds PTX
  std::string features = "+ptx80";
  int64_t blockSize = 256;
  bool cublas = true;           // matrix products through cuBLAS (else loop kernels)
  // Convolutions: "cudnn" (calls of runtime/src/cuda/Conv.cpp), "gemm" (im2col +
  // products through cuBLAS) or "loops" (one generated kernel each).
  std::string conv = "cudnn";
  // Width of index arithmetic inside kernels: 32 is cheaper (each thread computes its
  // element's position) but limits every buffer to 2^31 - 1 elements; 0 (automatic):
  // 32 when every buffer a kernel sees fits, else 64.
  int64_t indexBitwidth = 0;
  // ptxas, fatbinary and libdevice come from here; empty: $CUDA_HOME, $CUDA_PATH, else
  // /usr/local/cuda.
  std::string toolkitPath;
};

// The CUDA toolkit folder `options` resolves to.
std::string cudaToolkitPath(const CudaOptions &options);

// Dialects, interface models and translations the CUDA pipeline needs.
void registerCudaBackendDialects(mlir::DialectRegistry &registry);

enum class CudaStage { Linalg, Kernels, LLVM };

// From externalized nn IR to `stage`: linalg on tensors fused and ordered for the GPU
// (Linalg), outlined gpu.func kernels with gpu.launch_func (Kernels), or the LLVM
// dialect with gpu.binary fatbins (LLVM).
// (With an automatic index width the LLVM stages use 64 bits; lowerForCuda resolves it.)
void buildCudaPipeline(mlir::OpPassManager &pm, CudaStage stage, const CudaOptions &options);
// The stages from outlined kernels to the LLVM dialect with fatbins.
void addCudaLLVMStages(mlir::OpPassManager &pm, const CudaOptions &options);
// Whether every memref a gpu.func takes or makes has fewer than 2^31 elements.
bool kernelsFitIn32BitIndices(mlir::ModuleOp module);

// Runs the CUDA pipeline on `module` in place; returns the entry signatures. Fails with
// an error when the toolkit has no ptxas (stage LLVM).
mlir::FailureOr<std::vector<EntrySignature>> lowerForCuda(mlir::ModuleOp module, CudaStage stage,
                                                          const CudaOptions &options);

} // namespace nnc
