// nn-infer-shapes: static result types for every nn op, from its shape rule.
#include "passes/Passes.h"

#include "nn/NNDialect.h"
#include "nn/RuleSupport.h"

namespace nnc {

#define GEN_PASS_DEF_INFERSHAPES
#include "passes/Passes.h.inc"

namespace {

struct InferShapesPass : impl::InferShapesBase<InferShapesPass> {
  void runOnOperation() override {
    mlir::func::FuncOp func = getOperation();
    auto walk = func.walk([&](mlir::nn::ShapeInference op) {
      llvm::SmallVector<mlir::Type> types;
      if (mlir::failed(op.inferResultTypes(types))) return mlir::WalkResult::interrupt();
      for (auto [result, type] : llvm::zip(op->getResults(), types)) {
        auto declared = mlir::dyn_cast<mlir::RankedTensorType>(result.getType());
        if (declared && declared.hasStaticShape() && declared != type) {
          op->emitError() << mlir::nn::surfaceName(op) << ": result type "
                          << mlir::nn::formatType(declared) << " does not match the inferred "
                          << mlir::nn::formatType(type);
          return mlir::WalkResult::interrupt();
        }
        result.setType(type);
      }
      return mlir::WalkResult::advance();
    });
    if (walk.wasInterrupted()) return signalPassFailure();
    // The returned values may have new types: the signature follows them.
    if (func.isExternal()) return;
    auto ret = llvm::cast<mlir::func::ReturnOp>(func.getBody().back().getTerminator());
    func.setType(mlir::FunctionType::get(&getContext(), func.getArgumentTypes(),
                                         ret.getOperandTypes()));
  }
};

} // namespace
} // namespace nnc
