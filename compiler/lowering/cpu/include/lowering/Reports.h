// What `nnc compile --emit=fusion-report` and `--emit=memory-report` print: the kernels of
// each entry point and where its memory goes, read from a module lowered to
// CpuStage::Kernels (bufferized, matrix products as kernel calls, before memory planning).
#pragma once

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace nnc {

// One line per kernel of every entry point, in execution order: a matrix product
// (kernel call: batch×m×n×k and orientation) or a loop nest (its iteration space, the
// ops its body fuses), with the .graph location it comes from.
std::string fusionReport(mlir::ModuleOp module);

// Per entry point: the state by kind (parameters, optimizer state, buffers; `nnModule`
// is the nn IR with its nn.param ops), inputs and results, the intermediates with and
// without the arena, the largest planned buffers, the GEMM packing buffers, the peak.
std::string memoryReport(mlir::ModuleOp module, mlir::ModuleOp nnModule);

} // namespace nnc
