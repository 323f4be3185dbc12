// The reference interpreter of the nn dialect: naive loops in float64 (float32 results
// rounded after each op), obviously correct rather than fast. It is the oracle that the
// gradients (finite differences) and every backend are tested against, and it runs a
// graph before any code generation exists.
//
// State (parameters, buffers, optimizer state) lives in a map by symbol name. A run
// reads it through nn.load; nn.store writes take effect when the run ends, so every
// load in one run sees the state from before the run.
#pragma once

#include "interpreter/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <vector>

namespace nnc::interp {

// A kernel computes an op's results from its operands; on bad data (an index out of
// range) it emits an error at the op and fails.
using Kernel = std::function<mlir::LogicalResult(mlir::Operation *op, llvm::ArrayRef<const Tensor *> operands,
                                                 std::vector<Tensor> &results)>;
using KernelTable = llvm::StringMap<Kernel>; // by op name, "nn.relu"

// Registration by family (lib/kernels/*.cpp).
void registerElementwiseKernels(KernelTable &table);
void registerLinearAlgebraKernels(KernelTable &table);
void registerReductionKernels(KernelTable &table);
void registerShapeKernels(KernelTable &table);
void registerConvPoolKernels(KernelTable &table);
void registerNormalizationKernels(KernelTable &table);
void registerLossKernels(KernelTable &table);
void registerGradientKernels(KernelTable &table); // the adjoint ops, one_hot, dropout_mask
const KernelTable &kernels();

class Interpreter {
public:
  explicit Interpreter(mlir::ModuleOp module);

  llvm::StringMap<Tensor> &state() { return state_; }
  // Sets every nn.param to fresh values of its initializer, reproducible from `seed`.
  void initialize(uint64_t seed);
  // Runs func `function` on `args` (one per argument, matching its type) and returns
  // its results; nn.store writes land in state() when the run succeeds.
  mlir::FailureOr<std::vector<Tensor>> run(llvm::StringRef function, llvm::ArrayRef<Tensor> args);

private:
  mlir::ModuleOp module_;
  llvm::StringMap<Tensor> state_;
};

} // namespace nnc::interp
