// The pass pipeline of the CPU backend: externalize state, lower nn to linalg, fuse
// elementwise producers, bufferize (copies as linalg.copy so that no runtime library is
// needed), free buffers, lower to loops and then to the LLVM dialect.
#include "lowering/CpuPipeline.h"
#include "lowering/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToFuncs/MathToFuncs.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Transforms/Passes.h"

namespace nnc {

void registerCpuBackendDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::arith::ArithDialect, mlir::bufferization::BufferizationDialect, mlir::linalg::LinalgDialect,
                  mlir::math::MathDialect, mlir::memref::MemRefDialect, mlir::scf::SCFDialect,
                  mlir::tensor::TensorDialect, mlir::affine::AffineDialect, mlir::cf::ControlFlowDialect,
                  mlir::LLVM::LLVMDialect, mlir::func::FuncDialect, mlir::omp::OpenMPDialect>();
  mlir::arith::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::linalg::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::scf::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::tensor::registerBufferizableOpInterfaceExternalModels(registry);
  mlir::bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(registry);
}

void addNNToLinalgStages(mlir::OpPassManager &pm, bool convAsGemm, const std::string &convLibrary) {
  pm.addPass(createExternalizeState());
  pm.addPass(createLowerToLinalg(LowerToLinalgOptions{convAsGemm, convLibrary}));
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
}

void addBufferizationStages(mlir::OpPassManager &pm) {
  mlir::bufferization::OneShotBufferizationOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = true;
  bufferization.setFunctionBoundaryTypeConversion(mlir::bufferization::LayoutMapOption::IdentityLayoutMap);
  // Copies become linalg.copy, lowered to loops like everything else (memref.copy of a
  // strided view would call into MLIR's C runner library).
  bufferization.memCpyFn = [](mlir::OpBuilder &b, mlir::Location loc, mlir::Value from, mlir::Value to) {
    b.create<mlir::linalg::CopyOp>(loc, from, to);
    return mlir::success();
  };
  pm.addPass(mlir::bufferization::createOneShotBufferizePass(bufferization));
  pm.addPass(mlir::createCanonicalizerPass());
  mlir::bufferization::BufferDeallocationPipelineOptions dealloc;
  mlir::bufferization::buildBufferDeallocationPipeline(pm, dealloc);
}

void buildCpuPipeline(mlir::OpPassManager &pm, CpuStage stage) {
  // Convolutions as im2col + the GEMM kernels.
  addNNToLinalgStages(pm, /*convAsGemm=*/true);
  pm.addPass(createFuseElementwise());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(createChooseLoopOrder());
  pm.addPass(createApproximateMath());
  if (stage == CpuStage::Linalg) return;

  pm.addPass(createUpdateStateInPlace());
  addBufferizationStages(pm);
  // Matrix products run in the runtime's blocked AVX-512 kernels (runtime/src/kernels).
  pm.addPass(createGemmToCall(GemmToCallOptions{"nnc_cpu_gemm", /*biasEpilogue=*/true}));
  if (stage == CpuStage::Kernels) return;
  // Intermediates become views of one arena the runtime allocates once per session.
  pm.addPass(createPlanMemory());
  pm.addPass(mlir::createConvertLinalgToParallelLoopsPass());
  // Loops: the outermost parallel loop of each nest with enough work runs on OpenMP
  // threads (libomp; the runtime sets their number), everything else sequentially.
  pm.addPass(createSerializeInnerParallelLoops());
  pm.addPass(mlir::createLowerAffinePass());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
  if (stage == CpuStage::Loops) return;
  addLLVMStages(pm);
}

void addLLVMStages(mlir::OpPassManager &pm) {
  // Each loop nest becomes a function that knows which of its buffers are disjoint
  // (alias scopes below), so that LLVM vectorizes loops over views of the arena.
  pm.addPass(createOutlineKernels());
  pm.addPass(mlir::createConvertSCFToOpenMPPass());
  pm.addPass(mlir::createConvertMathToFuncs());
  pm.addPass(mlir::createConvertMathToLLVMPass());
  pm.addPass(mlir::createConvertMathToLibmPass());
  pm.addPass(mlir::memref::createExpandStridedMetadataPass());
  pm.addPass(mlir::createLowerAffinePass());
  // Before scf-to-cf: it lowers the memref.alloca_scope that scf-to-openmp puts around
  // each parallel body, which must stay a single block.
  pm.addPass(mlir::createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(mlir::createConvertSCFToCFPass());
  pm.addPass(mlir::createArithToLLVMConversionPass());
  pm.addPass(mlir::createConvertIndexToLLVMPass());
  pm.addPass(mlir::createConvertControlFlowToLLVMPass());
  pm.addPass(mlir::createConvertFuncToLLVMPass());
  pm.addPass(mlir::createConvertOpenMPToLLVMPass());
  pm.addPass(mlir::createReconcileUnrealizedCastsPass());
  pm.addPass(createKernelAliasScopes());
}

std::vector<EntrySignature> entrySignatures(mlir::ModuleOp module) {
  std::vector<EntrySignature> entries;
  for (auto f : module.getOps<mlir::func::FuncOp>()) {
    EntrySignature e{f.getName().str(), {}, {}, {}};
    for (auto [i, t] : llvm::enumerate(f.getArgumentTypes())) {
      auto m = llvm::cast<mlir::MemRefType>(t);
      e.shapes.emplace_back(m.getShape().begin(), m.getShape().end());
      e.elementBytes.push_back(std::max<int64_t>(1, m.getElementTypeBitWidth() / 8));
      // Arguments the function writes: state (updated in place) and results.
      e.written.push_back(f.getArgAttr(i, "nn.state") || f.getArgAttr(i, "nn.result"));
    }
    entries.push_back(std::move(e));
  }
  return entries;
}

mlir::FailureOr<std::vector<EntrySignature>> lowerForCpu(mlir::ModuleOp module, CpuStage stage) {
  mlir::MLIRContext *ctx = module.getContext();
  mlir::DialectRegistry registry;
  registerCpuBackendDialects(registry);
  ctx->appendDialectRegistry(registry);
  ctx->loadAllAvailableDialects();
  auto entries = externalizedEntrySignatures(module);
  if (mlir::failed(entries)) return mlir::failure();
  mlir::PassManager pm(ctx);
  buildCpuPipeline(pm, stage == CpuStage::LLVM ? CpuStage::Loops : stage);
  if (mlir::failed(pm.run(module))) return mlir::failure();
  // nn-plan-memory gave planned entries one more argument: the arena.
  for (EntrySignature &e : *entries) {
    auto f = module.lookupSymbol<mlir::func::FuncOp>(e.name);
    auto bytes = f ? f->getAttrOfType<mlir::IntegerAttr>("nn.workspace_bytes") : nullptr;
    if (!bytes) continue;
    e.workspaceBytes = bytes.getInt();
    e.shapes.push_back({e.workspaceBytes});
    e.elementBytes.push_back(1);
    e.written.push_back(true);
  }
  if (stage != CpuStage::LLVM) return entries;
  mlir::PassManager llvm(ctx);
  addLLVMStages(llvm);
  if (mlir::failed(llvm.run(module))) return mlir::failure();
  return entries;
}

mlir::FailureOr<std::vector<EntrySignature>> externalizedEntrySignatures(mlir::ModuleOp module) {
  mlir::PassManager externalize(module.getContext());
  externalize.addPass(createExternalizeState());
  mlir::OwningOpRef<mlir::ModuleOp> copy = module.clone();
  if (mlir::failed(externalize.run(*copy))) return mlir::failure();
  return entrySignatures(*copy);
}

} // namespace nnc
