// Building blocks for lowering nn ops to linalg/tensor/arith on tensors: empty and filled
// tensors, numpy-style broadcast maps, linalg.generic construction, reshapes, scalar
// arithmetic that works for float and integer element types, and the lowering table
// (one function per op name, registered per op family like the interpreter's kernels).
#pragma once

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/StringMap.h"

#include <functional>

namespace nnc::lowering {

using mlir::Location;
using mlir::LogicalResult;
using mlir::Operation;
using mlir::RankedTensorType;
using mlir::Type;
using mlir::Value;
using mlir::ValueRange;
using Shape = llvm::SmallVector<int64_t, 6>;
using Iter = mlir::utils::IteratorType;

// Replaces `op` (an nn op with static tensor types) by equivalent tensor-level IR; the
// rewriter's insertion point is at `op`. Returns the replacement values.
using LowerFn = std::function<mlir::FailureOr<llvm::SmallVector<Value>>(Operation *op, mlir::OpBuilder &b)>;
using LoweringTable = llvm::StringMap<LowerFn>; // by op name, "nn.relu"

const LoweringTable &loweringTable();
void registerElementwiseLowerings(LoweringTable &table);
void registerLinearAlgebraLowerings(LoweringTable &table);
void registerReductionLowerings(LoweringTable &table);
void registerShapeLowerings(LoweringTable &table);
void registerConvPoolLowerings(LoweringTable &table);
void registerNormalizationLowerings(LoweringTable &table);
void registerLossLowerings(LoweringTable &table);
void registerGradientLowerings(LoweringTable &table);

// Choices of nn-lower-to-linalg that lowerings read (set by the pass while it runs).
struct LoweringOptions {
  bool convAsGemm = false; // ungrouped convolutions as im2col + matrix products
  std::string convLibrary;  // non-empty: convolutions as calls of <convLibrary>_forward_f32, ...
};
LoweringOptions &currentLoweringOptions();

// --- Types and constants ---
RankedTensorType tensorType(Value v);
RankedTensorType resultType(Operation *op, unsigned i = 0);
Value scalarConstant(mlir::OpBuilder &b, Location loc, Type element, double value);
Value indexConstant(mlir::OpBuilder &b, Location loc, int64_t value);
Value emptyTensor(mlir::OpBuilder &b, Location loc, llvm::ArrayRef<int64_t> shape, Type element);
Value filledTensor(mlir::OpBuilder &b, Location loc, llvm::ArrayRef<int64_t> shape, Type element, double value);

// --- Maps ---
mlir::AffineMap identityMap(mlir::MLIRContext *ctx, unsigned rank);
// The map from a result index space of `resultShape` to an operand of `operandShape`
// broadcast to it numpy-style (right-aligned; size-1 axes read index 0).
mlir::AffineMap broadcastMap(mlir::MLIRContext *ctx, llvm::ArrayRef<int64_t> operandShape,
                             llvm::ArrayRef<int64_t> resultShape);
// Projection of `rank` loops onto the listed loop dimensions.
mlir::AffineMap dimsMap(mlir::MLIRContext *ctx, unsigned rank, llvm::ArrayRef<unsigned> dims);

// --- linalg.generic ---
using BodyFn = std::function<llvm::SmallVector<Value>(mlir::OpBuilder &b, Location loc, ValueRange args)>;
// A generic op; args of the body are the input elements then the init (output) elements.
llvm::SmallVector<Value> generic(mlir::OpBuilder &b, Location loc, ValueRange inputs, ValueRange inits,
                                 llvm::ArrayRef<mlir::AffineMap> maps, llvm::ArrayRef<Iter> iterators,
                                 const BodyFn &body);
// An all-parallel map over `resultType`, each input broadcast to it; body gets the input
// elements (no output element).
Value elementwise(mlir::OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                  const std::function<Value(mlir::OpBuilder &, Location, ValueRange)> &body);
// An all-parallel generic over `resultType` with explicit input maps.
Value parallelMap(mlir::OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                  llvm::ArrayRef<mlir::AffineMap> inputMaps,
                  const std::function<Value(mlir::OpBuilder &, Location, ValueRange)> &body);
// The loop dims 0..rank-1 without `skip`, as a projection map (a value reduced over `skip`).
mlir::AffineMap dropDimMap(mlir::MLIRContext *ctx, unsigned rank, unsigned skip);
// Reduces `input` over the loop dims flagged in `reduced` into a tensor of the kept dims
// (in order) starting from `init`, combining with `combine(acc, element)`.
Value reduce(mlir::OpBuilder &b, Location loc, Value input, llvm::ArrayRef<bool> reduced, double init,
             const std::function<Value(mlir::OpBuilder &, Location, Value acc, Value x)> &combine);

// The first index of the maximum of `x` along `axis` as i64 (NaN counts as the maximum).
Value argmaxAlong(mlir::OpBuilder &b, Location loc, Value x, unsigned axis);
// Σ of every element as a rank-0 tensor.
Value sumAll(mlir::OpBuilder &b, Location loc, Value x);

// --- Shapes ---
// The same elements viewed with another static shape of equal size.
Value reshape(mlir::OpBuilder &b, Location loc, Value input, llvm::ArrayRef<int64_t> shape);
// Zero-pad (or pad with `value`) the trailing `low.size()` axes.
Value padSpatial(mlir::OpBuilder &b, Location loc, Value input, llvm::ArrayRef<int64_t> low,
                 llvm::ArrayRef<int64_t> high, double value);

// --- Scalars (float or integer element types) ---
bool isFloat(Type t);
Value add(mlir::OpBuilder &b, Location loc, Value x, Value y);
Value sub(mlir::OpBuilder &b, Location loc, Value x, Value y);
Value mul(mlir::OpBuilder &b, Location loc, Value x, Value y);
Value div(mlir::OpBuilder &b, Location loc, Value x, Value y);
Value maximum(mlir::OpBuilder &b, Location loc, Value x, Value y); // NaN propagates
Value minimum(mlir::OpBuilder &b, Location loc, Value x, Value y);
Value convert(mlir::OpBuilder &b, Location loc, Value v, Type to); // nn.cast semantics
Value isNaN(mlir::OpBuilder &b, Location loc, Value v);           // false for integers
// The loop index `dim` of the enclosing linalg.generic as a value of type `to`.
Value loopIndex(mlir::OpBuilder &b, Location loc, unsigned dim, Type to);

} // namespace nnc::lowering
