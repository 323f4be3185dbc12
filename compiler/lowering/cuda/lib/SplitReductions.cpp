// nn-split-reductions: reductions with few outputs and long sums become a parallel
// partial reduction and a short final one (see CudaPasses.td).
#include "lowering/CudaPasses.h"
#include "lowering/LoweringSupport.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace nnc {

#define GEN_PASS_DEF_SPLITREDUCTIONS
#include "lowering/CudaPasses.h.inc"

namespace {

using mlir::AffineExpr;
using mlir::AffineMap;
using mlir::linalg::GenericOp;

// The op combining the accumulator with the body's value, when the body is
// `yield combiner(acc, f(inputs))` with a known neutral element and no loop indices.
mlir::Operation *combinerOf(GenericOp op) {
  if (op.getNumDpsInits() != 1 || op->getNumResults() != 1) return nullptr;
  mlir::Block &body = op.getRegion().front();
  if (!body.getOps<mlir::linalg::IndexOp>().empty()) return nullptr;
  mlir::BlockArgument acc = body.getArguments().back();
  if (!acc.hasOneUse()) return nullptr;
  mlir::Operation *combiner = llvm::cast<mlir::linalg::YieldOp>(body.getTerminator()).getValues()[0].getDefiningOp();
  if (!combiner || combiner != *acc.getUsers().begin() || combiner->getNumOperands() != 2) return nullptr;
  return mlir::arith::getNeutralElement(combiner) ? combiner : nullptr;
}

// A matrix product (a contraction with row and column loops), which nn-gemm-to-call
// gives cuBLAS. A sum of products over batch and image, Σ dy·x̂ per channel, is not one.
bool isProduct(GenericOp op) {
  auto linalgOp = llvm::cast<mlir::linalg::LinalgOp>(op.getOperation());
  if (!mlir::linalg::isaContractionOpInterface(linalgOp)) return false;
  auto dims = mlir::linalg::inferContractionDims(linalgOp);
  return mlir::succeeded(dims) && !dims->m.empty() && !dims->n.empty();
}

// Where `map` uses loop `dim`: the one result that is exactly that dim, or -1 when it is
// unused; -2 when it appears in a compound expression or twice.
int pureResultOf(AffineMap map, unsigned dim) {
  int found = -1;
  for (auto [i, r] : llvm::enumerate(map.getResults())) {
    if (!r.isFunctionOfDim(dim)) continue;
    if (found != -1 || !llvm::isa<mlir::AffineDimExpr>(r)) return -2;
    found = int(i);
  }
  return found;
}

// Neighbouring reduction loops that every operand indexes as neighbouring axes (H and W
// of an image) merged into one loop, repeatedly: a long axis splits into more chunks,
// each still a contiguous run.
GenericOp mergeReductionLoops(mlir::IRRewriter &rewriter, GenericOp op) {
  // (collapseOpIterationDims handles projected permutations only.)
  if (!llvm::all_of(op.getIndexingMapsArray(), [](AffineMap m) { return m.isProjectedPermutation(); })) return op;
  for (bool merged = true; merged;) {
    merged = false;
    auto iterators = op.getIteratorTypesArray();
    auto maps = op.getIndexingMapsArray();
    for (unsigned d = 0; d + 1 < iterators.size(); ++d) {
      if (iterators[d] != mlir::utils::IteratorType::reduction || iterators[d + 1] != mlir::utils::IteratorType::reduction)
        continue;
      mlir::ReassociationIndices pair{int64_t(d), int64_t(d + 1)};
      if (!mlir::linalg::areDimSequencesPreserved(maps, {pair})) continue;
      rewriter.setInsertionPoint(op);
      auto collapsed = mlir::linalg::collapseOpIterationDims(llvm::cast<mlir::linalg::LinalgOp>(op.getOperation()),
                                                             {pair}, rewriter);
      if (mlir::failed(collapsed)) continue;
      rewriter.replaceOp(op, collapsed->results);
      op = llvm::cast<GenericOp>(collapsed->collapsedOp.getOperation());
      merged = true;
      break;
    }
  }
  return op;
}

struct Split {
  unsigned dim = 0;
  int64_t chunks = 1;
};

struct SplitReductionsPass : impl::SplitReductionsBase<SplitReductionsPass> {
  using SplitReductionsBase::SplitReductionsBase;

  // The reduction loop and chunk count that give the most threads up to `threads`,
  // each still summing at least `minSerial` elements; an input's contiguous axis only
  // in runs of at least `minRun` elements (a thread then reads whole cache lines).
  // `first`: the op as written, split only when its sums have `minReduction` elements;
  // partial sums are split again while they have more than `maxSerial`.
  std::optional<Split> chooseSplit(GenericOp op, bool first) {
    llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    auto iterators = op.getIteratorTypesArray();
    int64_t outputs = 1, reduced = 1;
    for (auto [range, it] : llvm::zip(ranges, iterators))
      (it == mlir::utils::IteratorType::parallel ? outputs : reduced) *= range;
    if (outputs >= threads || reduced < (first ? minReduction.getValue() : maxSerial.getValue() + 1))
      return std::nullopt;
    // The final sum reads its chunks one after another: keep it short.
    int64_t limit = std::min({threads / outputs, reduced / minSerial, maxChunks.getValue()});
    std::optional<Split> best;
    for (unsigned d = 0; d < ranges.size(); ++d) {
      if (iterators[d] != mlir::utils::IteratorType::reduction || ranges[d] < 2) continue;
      bool contiguous = false, compound = false;
      for (mlir::OpOperand *in : op.getDpsInputOperands()) {
        AffineMap map = op.getMatchingIndexingMap(in);
        int at = pureResultOf(map, d);
        compound |= at == -2;
        contiguous |= at >= 0 && at == int(map.getNumResults()) - 1;
      }
      if (compound) continue;
      int64_t chunks = 1;
      for (int64_t k = std::min({limit, ranges[d], contiguous ? ranges[d] / minRun : ranges[d]}); k >= 2; --k)
        if (ranges[d] % k == 0) {
          chunks = k;
          break;
        }
      if (chunks >= 2 && (!best || chunks > best->chunks)) best = Split{d, chunks};
    }
    return best;
  }

  // Returns the partial sums' generic.
  GenericOp split(mlir::IRRewriter &rewriter, GenericOp op, mlir::Operation *combiner, Split s) {
    mlir::MLIRContext *ctx = op.getContext();
    mlir::Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    unsigned loops = op.getNumLoops(), chunkDim = loops;
    int64_t extent = op.getStaticLoopRanges()[s.dim], inner = extent / s.chunks;
    // Partial sums: loop `dim` becomes (chunk, dim) with the chunk a new parallel loop;
    // inputs that index it get that axis split in two.
    llvm::SmallVector<mlir::Value> inputs;
    llvm::SmallVector<AffineMap> maps;
    for (mlir::OpOperand *in : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(in);
      llvm::SmallVector<AffineExpr> results;
      mlir::Value value = in->get();
      int at = pureResultOf(map, s.dim);
      // Chunk c takes the c-th run of E/C elements: a thread reads one run.
      for (auto [i, r] : llvm::enumerate(map.getResults())) {
        if (int(i) == at) results.push_back(mlir::getAffineDimExpr(chunkDim, ctx));
        results.push_back(r);
      }
      if (at >= 0) {
        auto type = llvm::cast<mlir::RankedTensorType>(value.getType());
        llvm::SmallVector<int64_t> shape(type.getShape());
        shape[at] = inner;
        shape.insert(shape.begin() + at, s.chunks);
        value = lowering::reshape(rewriter, loc, value, shape);
      }
      inputs.push_back(value);
      maps.push_back(AffineMap::get(loops + 1, 0, results, ctx));
    }
    mlir::Value init = op.getDpsInitOperand(0)->get();
    auto initType = llvm::cast<mlir::RankedTensorType>(init.getType());
    llvm::SmallVector<int64_t> partialShape(initType.getShape());
    partialShape.push_back(s.chunks);
    auto neutral = *mlir::arith::getNeutralElement(combiner);
    mlir::Value start = rewriter.create<mlir::arith::ConstantOp>(loc, neutral);
    mlir::Value empty = rewriter.create<mlir::tensor::EmptyOp>(loc, partialShape, initType.getElementType());
    mlir::Value partialInit = rewriter.create<mlir::linalg::FillOp>(loc, start, empty).getResult(0);
    llvm::SmallVector<AffineExpr> outResults(op.getMatchingIndexingMap(op.getDpsInitOperand(0)).getResults());
    outResults.push_back(mlir::getAffineDimExpr(chunkDim, ctx));
    maps.push_back(AffineMap::get(loops + 1, 0, outResults, ctx));
    auto iterators = op.getIteratorTypesArray();
    iterators.push_back(mlir::utils::IteratorType::parallel);
    auto partial = rewriter.create<GenericOp>(loc, partialInit.getType(), inputs, mlir::ValueRange{partialInit}, maps,
                                              iterators);
    rewriter.cloneRegionBefore(op.getRegion(), partial.getRegion(), partial.getRegion().end());

    // The final reduction over the chunks, into the original accumulator.
    unsigned rank = initType.getRank();
    AffineMap all = AffineMap::getMultiDimIdentityMap(rank + 1, ctx);
    AffineMap lead = AffineMap::get(rank + 1, 0, all.getResults().drop_back(), ctx);
    llvm::SmallVector<mlir::utils::IteratorType> finalIterators(rank, mlir::utils::IteratorType::parallel);
    finalIterators.push_back(mlir::utils::IteratorType::reduction);
    mlir::Value acc = op.getRegion().front().getArguments().back();
    auto final = rewriter.create<GenericOp>(
        loc, initType, mlir::ValueRange{partial.getResult(0)}, mlir::ValueRange{init},
        llvm::ArrayRef<AffineMap>{all, lead}, finalIterators,
        [&](mlir::OpBuilder &b, mlir::Location l, mlir::ValueRange args) {
          mlir::IRMapping mapping;
          for (mlir::Value operand : combiner->getOperands()) mapping.map(operand, operand == acc ? args[1] : args[0]);
          mlir::Operation *combined = b.clone(*combiner, mapping);
          b.create<mlir::linalg::YieldOp>(l, combined->getResult(0));
        });
    rewriter.replaceOp(op, final.getResults());
    return partial;
  }

  void runOnOperation() override {
    mlir::IRRewriter rewriter(&getContext());
    llvm::SmallVector<GenericOp> ops;
    getOperation().walk([&](GenericOp op) { ops.push_back(op); });
    for (GenericOp op : ops) {
      if (!op.hasPureTensorSemantics() || llvm::any_of(op.getStaticLoopRanges(), mlir::ShapedType::isDynamic)) continue;
      mlir::Operation *combiner = combinerOf(op);
      if (!combiner || isProduct(op) || !chooseSplit(op, /*first=*/true)) continue;
      op = mergeReductionLoops(rewriter, op);
      for (bool first = true; auto s = chooseSplit(op, first); first = false) {
        mlir::Operation *c = combinerOf(op);
        if (!c) break;
        op = split(rewriter, op, c, *s);
      }
    }
  }
};

} // namespace
} // namespace nnc
