// A short report of a compiled module: inputs, results, parameter and buffer counts,
// op count and optimizer (`nnc summary model.graph`). Parameter counts equal PyTorch's
// sum(p.numel() for p in model.parameters()) for the same network.
#pragma once

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace nnc {

void printSummary(mlir::ModuleOp module, llvm::raw_ostream &os);

} // namespace nnc
