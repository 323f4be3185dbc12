// The native stages of `nnc compile` (linalg … exe): runs the CPU backend on the module
// with its training entry points and writes IR, an object, a library or a binary.
#pragma once

#include "driver/Compile.h"

namespace nnc {

// Returns the process exit status (0, or 1 after reported errors).
int compileNative(mlir::ModuleOp module, const CompileOptions &options);

// Writes `text` to `path` ("-" = standard output) only once it is complete, replacing an
// existing file atomically; errors are reported. Returns 0 or 1.
int writeOutput(llvm::StringRef path, llvm::StringRef text);

} // namespace nnc
