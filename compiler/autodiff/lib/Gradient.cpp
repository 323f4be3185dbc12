// Reverse-mode differentiation: activity analysis, then one backward sweep.
#include "autodiff/Gradient.h"

#include "nn/NNBuilder.h"
#include "nn/NNDialect.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace nnc {

mlir::FailureOr<llvm::SmallVector<mlir::Value>> buildGradients(mlir::OpBuilder &builder,
                                                               mlir::Value objective,
                                                               llvm::ArrayRef<mlir::Value> wrt) {
  mlir::Block *block = objective.getParentBlock();
  // Varied: depends on some wrt value. Useful: the objective depends on it.
  llvm::DenseSet<mlir::Value> varied(wrt.begin(), wrt.end()), useful{objective};
  for (mlir::Operation &op : *block)
    if (llvm::any_of(op.getOperands(), [&](mlir::Value v) { return varied.contains(v); }))
      varied.insert(op.result_begin(), op.result_end());
  llvm::SmallVector<mlir::Operation *> active;
  for (mlir::Operation &op : llvm::reverse(*block)) {
    if (llvm::none_of(op.getResults(), [&](mlir::Value v) { return useful.contains(v); })) continue;
    useful.insert(op.operand_begin(), op.operand_end());
    // Active: on a path from a wrt value (through an operand) to the objective.
    if (llvm::any_of(op.getOperands(), [&](mlir::Value v) { return varied.contains(v); }))
      active.push_back(&op); // already in reverse order
  }

  llvm::DenseMap<mlir::Value, mlir::Value> grads;
  mlir::nn::NNBuilder seed(builder, objective.getLoc());
  grads[objective] = seed.scalar(1.0, objective);
  for (mlir::Operation *op : active) {
    llvm::SmallVector<mlir::Value> resultGrads;
    for (mlir::Value r : op->getResults()) resultGrads.push_back(grads.lookup(r));
    if (llvm::all_of(resultGrads, [](mlir::Value g) { return !g; })) continue;
    auto rule = llvm::dyn_cast<mlir::nn::Differentiable>(op);
    if (!rule)
      return op->emitError() << op->getName().stripDialect()
                             << " has no gradient rule, but the loss depends on a parameter through it";
    llvm::SmallVector<mlir::Value> operandGrads;
    if (mlir::failed(rule.buildGradients(builder, resultGrads, operandGrads))) return mlir::failure();
    if (operandGrads.size() != op->getNumOperands())
      return op->emitError() << "internal error: the gradient rule of " << op->getName()
                             << " gave " << operandGrads.size() << " gradients";
    mlir::nn::NNBuilder acc(builder, op->getLoc());
    for (auto [operand, grad] : llvm::zip(op->getOperands(), operandGrads)) {
      if (!grad || !varied.contains(operand)) continue;
      mlir::Value &slot = grads[operand];
      slot = slot ? acc.add(slot, grad) : grad; // fan-out: gradients add up
    }
    if (acc.failed()) return mlir::failure();
  }
  llvm::SmallVector<mlir::Value> result;
  for (mlir::Value v : wrt) result.push_back(grads.lookup(v));
  return result;
}

void eraseDeadOps(mlir::Block &block) {
  for (mlir::Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
    if (mlir::isOpTriviallyDead(&op)) op.erase();
}

} // namespace nnc
