// nnc-opt: mlir-opt for the nn dialect and nnc's passes, used by the lit tests. Only
// the dialects and passes nnc uses are registered, which keeps builds fast.
#include "lowering/CpuPipeline.h"
#include "lowering/CudaPasses.h"
#include "lowering/CudaPipeline.h"
#include "lowering/Passes.h"
#include "nn/NNDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::nn::NNDialect, mlir::func::FuncDialect>();
  nnc::registerCudaBackendDialects(registry);
  nnc::registerNNCPasses();
  nnc::registerNNCLoweringPasses();
  nnc::registerNNCLoweringCudaPasses();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "nnc optimizer driver\n", registry));
}
