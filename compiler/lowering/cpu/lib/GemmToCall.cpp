// nn-gemm-to-call: matrix products as calls of the runtime's GEMM kernels (see
// Passes.td).
#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace nnc {

#define GEN_PASS_DEF_GEMMTOCALL
#include "lowering/Passes.h.inc"

namespace {

// The body C += A · B, in either operand order.
bool isMultiplyAdd(mlir::linalg::GenericOp op) {
  mlir::Block &body = op.getRegion().front();
  if (body.getOperations().size() != 3) return false;
  auto yield = llvm::cast<mlir::linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<mlir::arith::AddFOp>();
  if (!add) return false;
  mlir::Value acc = body.getArgument(2), a = body.getArgument(0), b = body.getArgument(1);
  mlir::Value product = add.getLhs() == acc ? add.getRhs() : add.getRhs() == acc ? add.getLhs() : mlir::Value();
  auto mul = product ? product.getDefiningOp<mlir::arith::MulFOp>() : nullptr;
  return mul && ((mul.getLhs() == a && mul.getRhs() == b) || (mul.getLhs() == b && mul.getRhs() == a));
}

// Where `map` (a projection) puts `dims`, in order: the positions of its results.
bool resultsAre(mlir::AffineMap map, llvm::ArrayRef<unsigned> dims) {
  if (map.getNumResults() != dims.size()) return false;
  for (auto [r, d] : llvm::zip(map.getResults(), dims))
    if (!r.isFunctionOfDim(d) || !llvm::isa<mlir::AffineDimExpr>(r)) return false;
  return true;
}

bool isZero(mlir::Value v) {
  mlir::FloatAttr f;
  return mlir::matchPattern(v, mlir::m_Constant(&f)) && f.getValue().isZero();
}

struct Gemm {
  int64_t batch = 1, m = 0, n = 0, k = 0;
  bool transA = false, transB = false;
};

std::optional<Gemm> matchGemm(mlir::linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || !op.hasPureBufferSemantics()) return std::nullopt;
  for (mlir::Value v : op->getOperands()) {
    auto t = llvm::dyn_cast<mlir::MemRefType>(v.getType());
    if (!t || !t.hasStaticShape() || !t.getLayout().isIdentity() || !(t.getElementType().isF32() || t.getElementType().isF64()) ||
        t.getElementType() != llvm::cast<mlir::MemRefType>(op->getOperand(2).getType()).getElementType())
      return std::nullopt;
  }
  if (!isMultiplyAdd(op)) return std::nullopt;
  auto dims = mlir::linalg::inferContractionDims(llvm::cast<mlir::linalg::LinalgOp>(op.getOperation()));
  if (mlir::failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1 || dims->batch.size() > 1)
    return std::nullopt;
  if (op.getNumLoops() != 3 + dims->batch.size()) return std::nullopt;
  auto maps = op.getIndexingMapsArray();
  llvm::SmallVector<unsigned> b(dims->batch.begin(), dims->batch.end());
  unsigned m = dims->m[0], n = dims->n[0], k = dims->k[0];
  auto with = [&](std::initializer_list<unsigned> rest) {
    llvm::SmallVector<unsigned> all = b;
    all.append(rest.begin(), rest.end());
    return all;
  };
  Gemm g;
  if (!resultsAre(maps[2], with({m, n}))) return std::nullopt;
  if (resultsAre(maps[0], with({m, k}))) g.transA = false;
  else if (resultsAre(maps[0], with({k, m}))) g.transA = true;
  else return std::nullopt;
  if (resultsAre(maps[1], with({k, n}))) g.transB = false;
  else if (resultsAre(maps[1], with({n, k}))) g.transB = true;
  else return std::nullopt;
  llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (!b.empty()) g.batch = ranges[b[0]];
  g.m = ranges[m], g.n = ranges[n], g.k = ranges[k];
  return g;
}

// The broadcast of a bias vector into all of C (rank 2) that is the last write to C
// before the product `gemm`: a linalg.generic with the vector as its only input, C as
// its output, copying vector[i] along rows or vector[j] along columns. Ops in between
// must touch no memory (views, constants), so nothing reads C before the product.
struct BiasBroadcast {
  mlir::linalg::GenericOp op;
  mlir::Value vector;
  bool perColumn = false;
};
std::optional<BiasBroadcast> biasBroadcastBefore(mlir::linalg::GenericOp gemm) {
  mlir::Value c = gemm->getOperand(2);
  if (llvm::cast<mlir::MemRefType>(c.getType()).getRank() != 2) return std::nullopt;
  for (mlir::Operation *prev = gemm->getPrevNode(); prev; prev = prev->getPrevNode()) {
    auto broadcast = llvm::dyn_cast<mlir::linalg::GenericOp>(prev);
    if (!broadcast) {
      if (mlir::isMemoryEffectFree(prev) && !llvm::is_contained(prev->getOperands(), c)) continue;
      return std::nullopt;
    }
    if (broadcast.getNumDpsInputs() != 1 || broadcast.getNumDpsInits() != 1 || broadcast.getDpsInits()[0] != c ||
        broadcast.getNumReductionLoops() != 0 || !broadcast.hasPureBufferSemantics())
      return std::nullopt;
    mlir::Value vector = broadcast.getDpsInputs()[0];
    auto vectorType = llvm::dyn_cast<mlir::MemRefType>(vector.getType());
    if (!vectorType || vectorType.getRank() != 1 || !vectorType.getLayout().isIdentity() ||
        vectorType.getElementType() != llvm::cast<mlir::MemRefType>(c.getType()).getElementType())
      return std::nullopt;
    mlir::Block &body = broadcast.getRegion().front();
    auto yield = llvm::cast<mlir::linalg::YieldOp>(body.getTerminator());
    if (body.getOperations().size() != 1 || yield.getValues()[0] != body.getArgument(0)) return std::nullopt;
    auto maps = broadcast.getIndexingMapsArray();
    if (!maps[1].isIdentity() || maps[0].getNumResults() != 1) return std::nullopt;
    if (resultsAre(maps[0], {0})) return BiasBroadcast{broadcast, vector, false};
    if (resultsAre(maps[0], {1})) return BiasBroadcast{broadcast, vector, true};
    return std::nullopt;
  }
  return std::nullopt;
}

struct GemmToCallPass : impl::GemmToCallBase<GemmToCallPass> {
  using GemmToCallBase::GemmToCallBase;

  void runOnOperation() override {
    mlir::ModuleOp module = getOperation();
    mlir::MLIRContext *ctx = &getContext();
    mlir::IRRewriter rewriter(ctx);
    llvm::SmallVector<std::pair<mlir::linalg::GenericOp, Gemm>> gemms;
    module.walk([&](mlir::linalg::GenericOp op) {
      if (auto g = matchGemm(op)) gemms.emplace_back(op, *g);
    });
    mlir::Type i64 = rewriter.getI64Type();
    for (auto [op, g] : gemms) {
      bool f64 = llvm::cast<mlir::MemRefType>(op->getOperand(2).getType()).getElementType().isF64();
      // C zero-filled just before: the kernel overwrites C instead (no fill pass).
      bool accumulate = true;
      if (auto fill = llvm::dyn_cast_or_null<mlir::linalg::FillOp>(op->getPrevNode());
          fill && fill.getOutputs().front() == op->getOperand(2) && isZero(fill.getInputs().front())) {
        rewriter.eraseOp(fill);
        accumulate = false;
      }
      // C a broadcast bias (a linear layer, a convolution): the kernel adds the bias to
      // each tile as it stores it (no broadcast pass, C written once).
      std::optional<BiasBroadcast> bias = biasEpilogue && accumulate ? biasBroadcastBefore(op) : std::nullopt;
      if (bias) rewriter.eraseOp(bias->op);
      std::string name = prefix + (bias ? "_bias" : "") + (f64 ? "_f64" : "_f32");
      auto type = rewriter.getFunctionType(llvm::SmallVector<mlir::Type>(bias ? 11 : 10, i64), {});
      if (!module.lookupSymbol(name)) {
        rewriter.setInsertionPointToStart(module.getBody());
        rewriter.create<mlir::func::FuncOp>(module.getLoc(), name, type).setPrivate();
      }
      rewriter.setInsertionPoint(op);
      mlir::Location loc = op.getLoc();
      llvm::SmallVector<mlir::Value> args;
      int64_t mode = bias ? int64_t(bias->perColumn) : int64_t(accumulate);
      for (int64_t v : {g.batch, g.m, g.n, g.k, int64_t(g.transA), int64_t(g.transB), mode})
        args.push_back(rewriter.create<mlir::arith::ConstantIntOp>(loc, v, 64));
      llvm::SmallVector<mlir::Value> buffers(op->getOperands());
      if (bias) buffers.push_back(bias->vector);
      for (mlir::Value buffer : buffers) {
        mlir::Value address = rewriter.create<mlir::memref::ExtractAlignedPointerAsIndexOp>(loc, buffer);
        args.push_back(rewriter.create<mlir::arith::IndexCastOp>(loc, i64, address));
      }
      rewriter.create<mlir::func::CallOp>(loc, name, mlir::TypeRange{}, args);
      rewriter.eraseOp(op);
    }
  }
};

} // namespace
} // namespace nnc
