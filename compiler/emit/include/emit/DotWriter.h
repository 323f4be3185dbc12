// `nnc compile --emit=dot`: a model's functions as a Graphviz graph, for pictures of the
// network (render with `dot -Tsvg`).
#pragma once

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace nnc {

// One cluster per function: inputs and results as ellipses, parameters as shaded boxes,
// every op as a box labelled with its name and result type, and an edge per use.
std::string writeDot(mlir::ModuleOp module);

} // namespace nnc
