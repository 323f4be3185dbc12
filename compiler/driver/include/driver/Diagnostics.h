// Prints every diagnostic as `file:line:col: error: message`, the source line and a
// caret (through MLIR's SourceMgrDiagnosticHandler), with op names in the surface
// syntax: "'nn.relu' op expected 1 operands" reads "relu: expected 1 operands".
#pragma once

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>

namespace nnc {

class SurfaceDiagnostics {
public:
  SurfaceDiagnostics(llvm::SourceMgr &sourceMgr, mlir::MLIRContext &context);
  ~SurfaceDiagnostics();

  unsigned errorCount() const { return errors_; }

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  unsigned errors_ = 0;
};

} // namespace nnc
