// `nnc summary`: counts and shapes of a typed nn module.
#include "driver/Summary.h"

#include "nn/NNDialect.h"
#include "nn/RuleSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace nnc {

void printSummary(mlir::ModuleOp module, llvm::raw_ostream &os) {
  if (auto source = module->getAttrOfType<mlir::StringAttr>("nn.source"))
    os << "model: " << source.getValue() << "\n";
  if (auto batch = module->getAttrOfType<mlir::IntegerAttr>("nn.batch"))
    os << "batch: " << batch.getInt() << "\n";
  auto forward = module.lookupSymbol<mlir::func::FuncOp>("forward");
  os << "inputs:\n";
  for (unsigned i = 0; i < forward.getNumArguments(); ++i)
    os << "  " << forward.getArgAttrOfType<mlir::StringAttr>(i, "nn.name").getValue() << ": "
       << mlir::nn::formatType(forward.getArgument(i).getType()) << "\n";
  os << "results:\n";
  for (unsigned i = 0; i < forward.getNumResults(); ++i)
    os << "  " << forward.getResultAttrOfType<mlir::StringAttr>(i, "nn.name").getValue() << ": "
       << mlir::nn::formatType(forward.getResultTypes()[i]) << " ("
       << forward.getResultAttrOfType<mlir::StringAttr>(i, "nn.role").getValue() << ")\n";

  int64_t params = 0, paramTensors = 0, buffers = 0, bufferTensors = 0;
  for (auto param : module.getOps<mlir::nn::ParamOp>()) {
    int64_t n = mlir::cast<mlir::RankedTensorType>(param.getType()).getNumElements();
    if (param.getTrainable()) params += n, ++paramTensors;
    else buffers += n, ++bufferTensors;
  }
  int64_t ops = 0;
  forward.walk([&](mlir::Operation *op) {
    if (!mlir::isa<mlir::nn::LoadOp, mlir::func::ReturnOp, mlir::func::FuncOp>(op)) ++ops;
  });
  os << "parameters: " << params << " in " << paramTensors << " tensors\n";
  os << "buffers: " << buffers << " in " << bufferTensors << " tensors\n";
  os << "ops: " << ops << "\n";
  for (auto train : module.getOps<mlir::nn::TrainOp>()) {
    os << "optimizer: " << train.getOptimizer() << "\n";
    os << "frozen: " << train.getFrozen().size() << " tensors\n";
  }
}

} // namespace nnc
