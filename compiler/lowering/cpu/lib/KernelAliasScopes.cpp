// nn-kernel-alias-scopes: LLVM alias scopes for the memory accesses of outlined kernels
// (see Passes.td).
#include "lowering/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMInterfaces.h"

namespace nnc {

#define GEN_PASS_DEF_KERNELALIASSCOPES
#include "lowering/Passes.h.inc"

namespace {

// The value inserted at `position` of the aggregate `v` (a memref descriptor built
// from the kernel's arguments), or null.
mlir::Value insertedAt(mlir::Value v, llvm::ArrayRef<int64_t> position) {
  while (auto insert = v.getDefiningOp<mlir::LLVM::InsertValueOp>()) {
    if (insert.getPosition() == position) return insert.getValue();
    v = insert.getContainer();
  }
  return {};
}

// The pointer's alias group: that of the kernel argument it is computed from by
// address arithmetic (through the memref descriptor's aligned pointer), or -1.
int64_t groupOf(mlir::Value pointer, mlir::Block &entry, llvm::ArrayRef<int64_t> groups) {
  while (pointer) {
    if (auto gep = pointer.getDefiningOp<mlir::LLVM::GEPOp>()) pointer = gep.getBase();
    else if (auto extract = pointer.getDefiningOp<mlir::LLVM::ExtractValueOp>())
      pointer = insertedAt(extract.getContainer(), extract.getPosition());
    else break;
  }
  auto arg = llvm::dyn_cast<mlir::BlockArgument>(pointer);
  if (!arg || arg.getOwner() != &entry || arg.getArgNumber() >= groups.size()) return -1;
  return groups[arg.getArgNumber()];
}

void addScopes(mlir::LLVM::LLVMFuncOp kernel, llvm::ArrayRef<int64_t> groups) {
  int64_t count = 0;
  for (int64_t g : groups) count = std::max(count, g + 1);
  if (count < 2 || kernel.getBody().empty()) return; // nothing to tell apart
  mlir::MLIRContext *ctx = kernel.getContext();
  auto domain = mlir::LLVM::AliasScopeDomainAttr::get(ctx, mlir::StringAttr::get(ctx, kernel.getName()));
  llvm::SmallVector<mlir::Attribute> scopes;
  for (int64_t g = 0; g < count; ++g)
    scopes.push_back(mlir::LLVM::AliasScopeAttr::get(domain, mlir::StringAttr::get(ctx, "buffer " + llvm::Twine(g))));
  mlir::Block &entry = kernel.getBody().front();
  kernel.walk([&](mlir::Operation *op) {
    mlir::Value pointer;
    if (auto load = llvm::dyn_cast<mlir::LLVM::LoadOp>(op)) pointer = load.getAddr();
    else if (auto store = llvm::dyn_cast<mlir::LLVM::StoreOp>(op)) pointer = store.getAddr();
    else return;
    int64_t g = groupOf(pointer, entry, groups);
    if (g < 0) return;
    llvm::SmallVector<mlir::Attribute> others;
    for (int64_t o = 0; o < count; ++o)
      if (o != g) others.push_back(scopes[o]);
    auto access = llvm::cast<mlir::LLVM::AliasAnalysisOpInterface>(op);
    access.setAliasScopes(mlir::ArrayAttr::get(ctx, {scopes[g]}));
    access.setNoAliasScopes(mlir::ArrayAttr::get(ctx, others));
  });
}

struct KernelAliasScopesPass : impl::KernelAliasScopesBase<KernelAliasScopesPass> {
  void runOnOperation() override {
    getOperation().walk([](mlir::LLVM::LLVMFuncOp f) {
      if (auto groups = f->getAttrOfType<mlir::DenseI64ArrayAttr>("nn.alias_groups")) {
        addScopes(f, groups.asArrayRef());
        f->removeAttr("nn.alias_groups");
      }
    });
  }
};

} // namespace
} // namespace nnc
