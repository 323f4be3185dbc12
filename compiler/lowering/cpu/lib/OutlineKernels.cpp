// nn-outline-kernels: each loop nest of an entry point becomes a private function whose
// memref arguments are grouped by the memory they may share (see Passes.td).
#include "lowering/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/EquivalenceClasses.h"

#include <optional>

namespace nnc {

#define GEN_PASS_DEF_OUTLINEKERNELS
#include "lowering/Passes.h.inc"

namespace {

// The memory a buffer lies in: an object of its own (an entry argument other than the
// arena, an allocation, a global) or a byte range of the arena.
struct Root {
  mlir::Value object;                  // the entry argument or the allocation's result
  std::string global;                  // or the name of a memref.get_global
  std::optional<int64_t> begin, end;   // the arena's bytes [begin, end); none: all of it
  bool overlaps(const Root &o) const {
    if (object != o.object || global != o.global) return false;
    if (!begin || !o.begin) return true;
    return *begin < *o.end && *o.begin < *end;
  }
};

std::optional<int64_t> staticBytes(mlir::MemRefType t) {
  if (!t.hasStaticShape() || !t.getLayout().isIdentity()) return std::nullopt;
  return t.getNumElements() * std::max<int64_t>(1, t.getElementTypeBitWidth() / 8);
}

// Follows views back to the memory they show; none when the buffer's origin is unknown.
std::optional<Root> rootOf(mlir::Value v) {
  while (true) {
    if (auto arg = llvm::dyn_cast<mlir::BlockArgument>(v)) {
      if (!llvm::isa<mlir::func::FuncOp>(arg.getOwner()->getParentOp()) || !arg.getOwner()->isEntryBlock())
        return std::nullopt;
      return Root{v, {}, {}, {}};
    }
    mlir::Operation *def = v.getDefiningOp();
    if (auto view = llvm::dyn_cast<mlir::memref::ViewOp>(def)) {
      std::optional<Root> arena = rootOf(view.getSource());
      if (!arena) return std::nullopt;
      auto offset = mlir::getConstantIntValue(view.getByteShift());
      auto bytes = staticBytes(view.getType());
      if (offset && bytes && !arena->begin) arena->begin = *offset, arena->end = *offset + *bytes;
      return arena;
    }
    if (auto viewLike = llvm::dyn_cast<mlir::ViewLikeOpInterface>(def)) {
      v = viewLike.getViewSource();
      continue;
    }
    if (llvm::isa<mlir::memref::AllocOp, mlir::memref::AllocaOp>(def)) return Root{v, {}, {}, {}};
    if (auto global = llvm::dyn_cast<mlir::memref::GetGlobalOp>(def)) return Root{{}, global.getName().str(), {}, {}};
    return std::nullopt;
  }
}

// One group number per argument after the LLVM calling convention expands memrefs into
// (allocated pointer, aligned pointer, offset, sizes..., strides...): both pointers of
// a memref get its group, everything else -1. Arguments of one group may share memory;
// arguments of different groups never do; -1: unknown.
llvm::SmallVector<int64_t> expandedAliasGroups(llvm::ArrayRef<mlir::Value> args) {
  llvm::SmallVector<std::optional<Root>> roots;
  llvm::EquivalenceClasses<unsigned> classes;
  for (auto [i, a] : llvm::enumerate(args)) {
    roots.push_back(llvm::isa<mlir::MemRefType>(a.getType()) ? rootOf(a) : std::nullopt);
    if (!roots.back()) continue;
    classes.insert(unsigned(i));
    for (unsigned j = 0; j < i; ++j)
      if (roots[j] && roots[j]->overlaps(*roots[i])) classes.unionSets(j, unsigned(i));
  }
  llvm::DenseMap<unsigned, int64_t> groupOfLeader;
  llvm::SmallVector<int64_t> expanded;
  for (auto [i, a] : llvm::enumerate(args)) {
    auto memref = llvm::dyn_cast<mlir::MemRefType>(a.getType());
    if (!memref) {
      expanded.push_back(-1);
      continue;
    }
    int64_t group = -1;
    if (roots[i]) {
      unsigned leader = classes.getLeaderValue(unsigned(i));
      group = groupOfLeader.try_emplace(leader, int64_t(groupOfLeader.size())).first->second;
    }
    expanded.append({group, group});
    expanded.append(1 + 2 * memref.getRank(), -1);
  }
  return expanded;
}

bool isKernel(mlir::Operation &op) {
  return llvm::isa<mlir::scf::ParallelOp, mlir::scf::ForOp>(op) && op.getNumResults() == 0;
}

// Moves `loop` into a new private function placed after `previous` (the entry or its
// last kernel) and calls it there; returns the function.
mlir::func::FuncOp outline(mlir::Operation *loop, mlir::func::FuncOp entry, unsigned index, mlir::Operation *previous) {
  llvm::SetVector<mlir::Value> captured;
  mlir::getUsedValuesDefinedAbove(loop->getRegions(), captured);
  captured.insert(loop->operand_begin(), loop->operand_end());
  // Constants are cloned into the kernel (loop bounds stay known to LLVM); the rest
  // become arguments.
  llvm::SmallVector<mlir::Value> args, constants;
  for (mlir::Value v : captured) {
    if (mlir::matchPattern(v, mlir::m_Constant())) constants.push_back(v);
    else args.push_back(v);
  }
  mlir::OpBuilder b(entry);
  b.setInsertionPointAfter(previous);
  auto type = b.getFunctionType(mlir::ValueRange(args).getTypes(), {});
  auto kernel = b.create<mlir::func::FuncOp>(loop->getLoc(), (entry.getName() + "_kernel" + llvm::Twine(index)).str(),
                                             type);
  kernel.setPrivate();
  kernel->setAttr("nn.alias_groups", b.getDenseI64ArrayAttr(expandedAliasGroups(args)));
  mlir::Block *body = kernel.addEntryBlock();
  b.setInsertionPointToStart(body);
  mlir::IRMapping map;
  map.map(args, body->getArguments());
  for (mlir::Value c : constants) map.map(c, b.clone(*c.getDefiningOp())->getResult(0));
  b.clone(*loop, map);
  b.create<mlir::func::ReturnOp>(loop->getLoc());
  b.setInsertionPoint(loop);
  b.create<mlir::func::CallOp>(loop->getLoc(), kernel, args);
  loop->erase();
  return kernel;
}

struct OutlineKernelsPass : impl::OutlineKernelsBase<OutlineKernelsPass> {
  void runOnOperation() override {
    mlir::ModuleOp module = getOperation();
    for (auto entry : llvm::to_vector(module.getOps<mlir::func::FuncOp>())) {
      if (entry.isExternal() || entry.isPrivate()) continue;
      unsigned index = 0;
      mlir::Operation *previous = entry;
      for (mlir::Operation &op : llvm::make_early_inc_range(entry.getBody().front()))
        if (isKernel(op)) previous = outline(&op, entry, index++, previous);
    }
  }
};

} // namespace
} // namespace nnc
