// Turns a parsed .graph file into an nn-dialect module: resolves names in graph order,
// evaluates compile-time integers, instantiates blocks, builds every op through its
// registered definition (ODS defaults filled in) and infers its types with the op's shape
// rule as it goes. Errors are emitted as MLIR diagnostics at the source location.
//
// The module holds one nn.param per parameter or buffer, a function @forward whose
// arguments are the inputs and whose results are the outputs, the loss and the metrics
// (each named by an `nn.name` attribute), and an nn.train op for the train section.
#pragma once

#include "frontend/AST.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <optional>
#include <string>
#include <vector>

namespace nnc::frontend {

struct ImportOptions {
  std::optional<int64_t> batch; // overrides the file's `batch B = N`
  int64_t maxOps = 1'000'000;   // larger graphs are reported, not built
  std::vector<std::string> freeze; // more parameters or instances to freeze (nnc compile --freeze)
};

mlir::OwningOpRef<mlir::ModuleOp> importModule(const Module &module, llvm::SourceMgr &sourceMgr,
                                               mlir::MLIRContext &context,
                                               const ImportOptions &options);

} // namespace nnc::frontend
