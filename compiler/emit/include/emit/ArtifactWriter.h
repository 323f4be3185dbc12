// Writes the compiled-model artifact (schemas/artifact.fbs) of a stage-grad module: its
// state tensors with roles and initializers, its entry points with named arguments and
// results, the optimizer with its hyperparameter defaults, loss and metrics.
#pragma once

#include "mlir/IR/BuiltinOps.h"

#include <cstdint>
#include <string>

namespace nnc {

// The artifact's bytes (a size-prefixed FlatBuffer, identifier "NNCA"), or failure with
// an error at the offending op. With a symbol prefix, each entry point names its compiled
// function `<prefix>_<entry>` (the backend's object code); `device` is where that code
// runs ("cpu" or "cuda"); `arenaBytes`, when non-zero, the arena its entry points take
// as their last argument (Model.memory_plan; nn-plan-memory).
mlir::FailureOr<std::string> writeArtifact(mlir::ModuleOp module, const std::string &symbolPrefix = "",
                                           const std::string &device = "cpu", uint64_t arenaBytes = 0);

} // namespace nnc
