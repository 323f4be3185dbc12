// The pass pipeline of the CUDA backend. The stages up to bufferized scf.parallel loops
// are the CPU backend's; then every loop nest becomes a kernel (nn-map-loops-to-gpu,
// MLIR's loop-to-GPU mapping and outlining), kernels go through NVVM to an sm_90 fatbin
// (SASS and PTX, by ptxas and fatbinary of the CUDA toolkit), and the host code calls
// mgpu* launch functions and the generic allocation functions that runtime/src/cuda
// defines (stream-ordered device memory).
#include "lowering/CudaPipeline.h"
#include "lowering/CudaPasses.h"
#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/GPUCommon/GPUCommonPass.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToFuncs/MathToFuncs.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/SCFToGPU/SCFToGPUPass.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"

#include <cstdlib>

namespace nnc {

void registerCudaBackendDialects(mlir::DialectRegistry &registry) {
  registerCpuBackendDialects(registry);
  registry.insert<mlir::gpu::GPUDialect, mlir::NVVM::NVVMDialect>();
  mlir::NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  // gpu-module-to-binary translates kernels to LLVM IR inside the pipeline.
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  mlir::registerGPUDialectTranslation(registry);
  mlir::gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
  mlir::registerNVVMDialectTranslation(registry);
}

std::string cudaToolkitPath(const CudaOptions &options) {
  if (!options.toolkitPath.empty()) return options.toolkitPath;
  for (const char *var : {"CUDA_HOME", "CUDA_PATH"})
    if (const char *value = std::getenv(var); value && *value) return value;
  return "/usr/local/cuda";
}

void buildCudaPipeline(mlir::OpPassManager &pm, CudaStage stage, const CudaOptions &options) {
  // Convolutions: cuDNN calls (nnc_cuda_conv_*), im2col + cuBLAS, or loop kernels.
  addNNToLinalgStages(pm, options.conv == "gemm", options.conv == "cudnn" ? "nnc_cuda_conv" : "");
  pm.addPass(createFuseElementwise(FuseElementwiseOptions{/*recomputeElementwise=*/true}));
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(createSplitReductions());
  pm.addPass(createCollapseParallelDims());
  pm.addPass(createParallelDimsOutermost());
  if (stage == CudaStage::Linalg) return;
  // New parameters and optimizer state written into their buffers, not copied there.
  pm.addPass(createUpdateStateInPlace());
  pm.addPass(createUnshareFills());
  addBufferizationStages(pm);
  if (options.cublas) pm.addPass(createGemmToCall(GemmToCallOptions{"nnc_cuda_gemm"}));
  pm.addPass(mlir::createConvertLinalgToParallelLoopsPass());
  // A fill and the reduction that accumulates into it (same parallel bounds, same
  // elements) become one loop nest: one kernel instead of two.
  pm.addPass(mlir::createParallelLoopFusionPass());
  // Helpers for math ops NVVM has no lowering for (integer powers) become functions that
  // outlining copies into each kernel's module.
  pm.addPass(mlir::createConvertMathToFuncs());
  pm.addPass(mlir::createCanonicalizerPass());
  // (No canonicalization between tiling and mapping: it would merge the block and
  // thread loops back into one.)
  pm.addPass(createMapLoopsToGpu(MapLoopsToGpuOptions{options.blockSize}));
  pm.addNestedPass<mlir::func::FuncOp>(mlir::createGpuMapParallelLoopsPass());
  pm.addNestedPass<mlir::func::FuncOp>(mlir::createParallelLoopToGpuPass());
  pm.addPass(mlir::createGpuKernelOutliningPass());
  pm.addPass(mlir::createLowerAffinePass());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
  if (stage == CudaStage::Kernels) return;
  addCudaLLVMStages(pm, options);
}

void addCudaLLVMStages(mlir::OpPassManager &pm, const CudaOptions &options) {
  // Kernels: NVVM, then (below) a fatbin per gpu.module.
  pm.addPass(mlir::createConvertSCFToCFPass());
  mlir::GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = 3;
  pm.addPass(mlir::createGpuNVVMAttachTarget(target));
  pm.addPass(mlir::memref::createExpandStridedMetadataPass());
  pm.addPass(mlir::createLowerAffinePass());
  mlir::ConvertGpuOpsToNVVMOpsOptions nvvm;
  nvvm.indexBitwidth = unsigned(options.indexBitwidth == 32 ? 32 : 64);
  pm.addNestedPass<mlir::gpu::GPUModuleOp>(mlir::createConvertGpuOpsToNVVMOps(nvvm));
  pm.addNestedPass<mlir::gpu::GPUModuleOp>(mlir::createCanonicalizerPass());
  pm.addNestedPass<mlir::gpu::GPUModuleOp>(mlir::createReconcileUnrealizedCastsPass());
  // Host: scratch memory through _mlir_memref_to_llvm_alloc/free (device memory, see
  // runtime/src/cuda), launches through mgpu*.
  mlir::FinalizeMemRefToLLVMConversionPassOptions memref;
  memref.useGenericFunctions = true;
  pm.addPass(mlir::createFinalizeMemRefToLLVMConversionPass(memref));
  pm.addPass(mlir::createArithToLLVMConversionPass());
  pm.addPass(mlir::createConvertIndexToLLVMPass());
  pm.addPass(mlir::createConvertControlFlowToLLVMPass());
  pm.addPass(mlir::createConvertFuncToLLVMPass());
  pm.addPass(mlir::createGpuToLLVMConversionPass());
  mlir::GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "fatbin";
  binary.toolkitPath = cudaToolkitPath(options); // also where libdevice (__nv_expf, ...) is linked from
  pm.addPass(mlir::createGpuModuleToBinaryPass(binary));
  pm.addPass(mlir::createReconcileUnrealizedCastsPass());
}

mlir::FailureOr<std::vector<EntrySignature>> lowerForCuda(mlir::ModuleOp module, CudaStage stage,
                                                          const CudaOptions &options) {
  mlir::MLIRContext *ctx = module.getContext();
  mlir::DialectRegistry registry;
  registerCudaBackendDialects(registry);
  ctx->appendDialectRegistry(registry);
  ctx->loadAllAvailableDialects();
  std::string toolkit = cudaToolkitPath(options);
  if (stage == CudaStage::LLVM && !llvm::sys::fs::can_execute(toolkit + "/bin/ptxas"))
    return mlir::emitError(module.getLoc()) << "--target=cuda needs the CUDA toolkit's ptxas, not found in " << toolkit
                                            << "/bin (set CUDA_HOME to the toolkit)",
           mlir::failure();
  auto entries = externalizedEntrySignatures(module);
  if (mlir::failed(entries)) return mlir::failure();
  if (stage != CudaStage::LLVM) {
    mlir::PassManager pm(ctx);
    buildCudaPipeline(pm, stage, options);
    if (mlir::failed(pm.run(module))) return mlir::failure();
    return entries;
  }
  // The kernels first; then the index width: 32 bits when every buffer a kernel sees has
  // fewer than 2^31 elements (automatic), or as asked.
  mlir::PassManager kernels(ctx);
  buildCudaPipeline(kernels, CudaStage::Kernels, options);
  if (mlir::failed(kernels.run(module))) return mlir::failure();
  bool fits = kernelsFitIn32BitIndices(module);
  if (options.indexBitwidth == 32 && !fits)
    return mlir::emitError(module.getLoc()) << "--cuda-index-bits=32: a kernel uses a buffer of 2^31 elements or "
                                               "more (use 64, or 0 to choose automatically)",
           mlir::failure();
  CudaOptions resolved = options;
  if (resolved.indexBitwidth == 0) resolved.indexBitwidth = fits ? 32 : 64;
  mlir::PassManager llvmStages(ctx);
  addCudaLLVMStages(llvmStages, resolved);
  if (mlir::failed(llvmStages.run(module))) return mlir::failure();
  return entries;
}

bool kernelsFitIn32BitIndices(mlir::ModuleOp module) {
  constexpr int64_t kLimit = (int64_t(1) << 31) - 1;
  bool fits = true;
  module.walk([&](mlir::gpu::GPUFuncOp kernel) {
    auto tooLarge = [&](mlir::Type t) {
      auto memref = llvm::dyn_cast<mlir::MemRefType>(t);
      return memref && (!memref.hasStaticShape() || memref.getNumElements() > kLimit);
    };
    if (llvm::any_of(kernel.getArgumentTypes(), tooLarge)) fits = false;
    kernel.walk([&](mlir::Operation *op) {
      if (llvm::any_of(op->getResultTypes(), tooLarge)) fits = false;
    });
  });
  return fits;
}

} // namespace nnc
