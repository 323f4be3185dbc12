// Splitting a model's LLVM module for parallel optimization and code generation
// (PartitionModule.h).
#include "PartitionModule.h"

#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <algorithm>

namespace nnc {

namespace {

// A kernel that nn-outline-kernels made: `<entry>_kernel<N>`.
bool isKernel(const llvm::Function &f) {
  llvm::StringRef name = f.getName();
  size_t at = name.rfind("_kernel");
  if (at == llvm::StringRef::npos) return false;
  llvm::StringRef number = name.drop_front(at + 7);
  return !number.empty() && llvm::all_of(number, llvm::isDigit);
}

// Calls `visit` for every function that `c` (an instruction operand or a global's
// initializer) refers to, looking through constant expressions and aggregates.
template <class Visit> void functionsIn(const llvm::Value *v, llvm::SmallPtrSetImpl<const llvm::Value *> &seen,
                                       Visit visit) {
  if (!seen.insert(v).second) return;
  if (auto *f = llvm::dyn_cast<llvm::Function>(v)) return visit(f);
  if (llvm::isa<llvm::GlobalValue>(v)) return;
  if (auto *c = llvm::dyn_cast<llvm::Constant>(v))
    for (const llvm::Value *op : c->operands()) functionsIn(op, seen, visit);
}

// What optimizing and compiling `f` costs, roughly: its instructions, those in loops
// weighted by their depth (vectorization and unrolling multiply them).
size_t compileCost(llvm::Function &f) {
  llvm::DominatorTree dominators(f);
  llvm::LoopInfo loops(dominators);
  size_t cost = 1;
  for (llvm::BasicBlock &block : f) cost += block.size() * (1 + 4 * loops.getLoopDepth(&block));
  return cost;
}

} // namespace

llvm::SmallVector<std::string> partitionModule(llvm::Module &m, unsigned parts, const std::string &symbolPrefix) {
  // Clusters: a function stays with the local functions it refers to, except kernels.
  llvm::EquivalenceClasses<const llvm::Function *> clusters;
  llvm::DenseMap<const llvm::Function *, llvm::SmallVector<const llvm::Function *>> callees;
  for (llvm::Function &f : m) {
    if (f.isDeclaration()) continue;
    clusters.insert(&f);
    llvm::SmallPtrSet<const llvm::Value *, 32> seen;
    for (const llvm::Instruction &inst : llvm::instructions(&f))
      for (const llvm::Value *op : inst.operands())
        functionsIn(op, seen, [&](const llvm::Function *g) {
          if (g->isDeclaration() || g == &f) return;
          callees[&f].push_back(g);
          if (g->hasLocalLinkage() && !isKernel(*g)) clusters.unionSets(&f, g);
        });
  }
  // Largest cluster first onto the least loaded part.
  struct Cluster {
    const llvm::Function *leader;
    size_t size = 0;
  };
  llvm::SmallVector<Cluster> sized;
  llvm::DenseMap<const llvm::Function *, size_t> indexOfLeader;
  for (llvm::Function &f : m) {
    if (f.isDeclaration()) continue;
    const llvm::Function *leader = clusters.getLeaderValue(&f);
    auto [it, added] = indexOfLeader.try_emplace(leader, sized.size());
    if (added) sized.push_back({leader, 0});
    sized[it->second].size += compileCost(f);
  }
  parts = std::max(1u, std::min<unsigned>(parts, unsigned(sized.size())));
  llvm::stable_sort(sized, [](const Cluster &a, const Cluster &b) { return a.size > b.size; });
  llvm::SmallVector<size_t> load(parts, 0);
  llvm::DenseMap<const llvm::Function *, unsigned> partOfLeader;
  for (const Cluster &c : sized) {
    unsigned part = unsigned(std::min_element(load.begin(), load.end()) - load.begin());
    load[part] += c.size;
    partOfLeader[c.leader] = part;
  }
  auto partOf = [&](const llvm::Function *f) { return partOfLeader.lookup(clusters.getLeaderValue(f)); };

  // Local functions referred to from another part (or from a global's initializer)
  // become hidden globals with a model-unique name.
  llvm::DenseSet<const llvm::Function *> shared;
  for (auto &[caller, list] : callees)
    for (const llvm::Function *g : list)
      if (g->hasLocalLinkage() && partOf(g) != partOf(caller)) shared.insert(g);
  for (llvm::GlobalVariable &gv : m.globals()) {
    if (!gv.hasInitializer()) continue;
    llvm::SmallPtrSet<const llvm::Value *, 32> seen;
    functionsIn(gv.getInitializer(), seen, [&](const llvm::Function *g) {
      if (g->hasLocalLinkage()) shared.insert(g);
    });
  }
  for (llvm::Function &f : m) {
    if (!shared.contains(&f)) continue;
    f.setName(symbolPrefix + "." + f.getName());
    f.setLinkage(llvm::GlobalValue::ExternalLinkage);
    f.setVisibility(llvm::GlobalValue::HiddenVisibility);
  }

  llvm::SmallVector<std::string> bitcode;
  for (unsigned part = 0; part < parts; ++part) {
    llvm::ValueToValueMapTy map;
    std::unique_ptr<llvm::Module> piece = llvm::CloneModule(m, map, [&](const llvm::GlobalValue *gv) {
      if (auto *f = llvm::dyn_cast<llvm::Function>(gv)) return partOf(f) == part;
      if (llvm::isa<llvm::GlobalVariable>(gv) && gv->hasLocalLinkage()) return true;
      return part == 0;
    });
    std::string bytes;
    llvm::raw_string_ostream os(bytes);
    llvm::WriteBitcodeToFile(*piece, os);
    os.flush();
    bitcode.push_back(std::move(bytes));
  }
  return bitcode;
}

} // namespace nnc
