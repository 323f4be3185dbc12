// Helpers for writing shape rules: typed operand access, surface-syntax type printing
// (f32[64, 10]), broadcasting, axis normalization and size limits. Every failing helper
// has already emitted a located error.
#pragma once

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <string>

namespace mlir::nn {

using Shape = llvm::SmallVector<int64_t, 6>;

// Tensors may hold at most this many elements: element counts and byte sizes of any
// tensor then fit in int64 with room to spare.
constexpr int64_t kMaxElements = int64_t(1) << 48;

// `f32[64, 1, 28, 28]`, the way a .graph file writes a type.
std::string formatType(Type type);
// `[64, 10]`.
std::string formatShape(llvm::ArrayRef<int64_t> shape);
// The op's name as a .graph file calls it (`conv2d`, not `nn.conv2d`).
llvm::StringRef surfaceName(Operation *op);
// An error at the op's location, starting "<surface name>: ".
InFlightDiagnostic ruleError(Operation *op);

// The ranked type of operand `index`; an error if it is unranked or not a tensor.
FailureOr<RankedTensorType> rankedOperand(Operation *op, unsigned index, llvm::StringRef role);
FailureOr<RankedTensorType> requireRank(Operation *op, RankedTensorType type,
                                        llvm::StringRef role, int64_t rank);
LogicalResult requireFloat(Operation *op, RankedTensorType type, llvm::StringRef role);
LogicalResult requireInteger(Operation *op, RankedTensorType type, llvm::StringRef role);
LogicalResult requireSameElementType(Operation *op, RankedTensorType a, llvm::StringRef roleA,
                                     RankedTensorType b, llvm::StringRef roleB);

// `axis` in [-rank, rank) made non-negative; an error otherwise.
FailureOr<int64_t> normalizeAxis(Operation *op, int64_t axis, int64_t rank,
                                 llvm::StringRef attrName = "axis");

// NumPy broadcast of two shapes; an error naming both types when they do not fit.
FailureOr<Shape> broadcastShapes(Operation *op, RankedTensorType a, RankedTensorType b);

// Builds the result type, checking every dimension is positive and the element count
// stays below kMaxElements.
FailureOr<RankedTensorType> makeTensorType(Operation *op, llvm::ArrayRef<int64_t> shape,
                                           Type elementType);

// A spatial attribute (stride, padding, ...) expanded to `rank` entries: one entry
// applies to every axis; an empty one takes `fallback`.
FailureOr<Shape> expandSpatial(Operation *op, llvm::StringRef name, int64_t rank,
                               std::optional<llvm::ArrayRef<int64_t>> fallback = std::nullopt);

// Attribute accessors by name, falling back to the op's ODS default (the dialect keeps
// attributes in the dictionary, and hand-written IR may leave defaults out).
Attribute attrOrDefault(Operation *op, llvm::StringRef name);
int64_t intAttr(Operation *op, llvm::StringRef name);
double floatAttr(Operation *op, llvm::StringRef name);
bool boolAttr(Operation *op, llvm::StringRef name);
llvm::StringRef stringAttr(Operation *op, llvm::StringRef name);
llvm::ArrayRef<int64_t> arrayAttr(Operation *op, llvm::StringRef name);

// The .graph name of an element type ("f32"), the inverse of parseDType.
std::string dtypeName(Type element);
// The element type named by a .graph dtype (f32 f64 i32 i64 i1), or null.
Type parseDType(MLIRContext *ctx, llvm::StringRef name);

} // namespace mlir::nn
