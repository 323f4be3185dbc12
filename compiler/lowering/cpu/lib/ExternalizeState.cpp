// nn-externalize-state: entry points take the compiled calling convention (state
// buffers, argument buffers, result buffers; no results), see Passes.td.
#include "lowering/Passes.h"

#include "nn/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"

namespace nnc {

#define GEN_PASS_DEF_EXTERNALIZESTATE
#include "lowering/Passes.h.inc"

namespace {

bool isEntryPoint(llvm::StringRef name) {
  return name == "train_step" || name == "forward" || name == "predict" || name == "input_gradient";
}

mlir::MemRefType bufferType(mlir::Type tensor) {
  auto t = llvm::cast<mlir::RankedTensorType>(tensor);
  return mlir::MemRefType::get(t.getShape(), t.getElementType());
}

struct ExternalizeStatePass : impl::ExternalizeStateBase<ExternalizeStatePass> {
  mlir::LogicalResult externalize(mlir::func::FuncOp f, llvm::ArrayRef<mlir::nn::ParamOp> params) {
    mlir::MLIRContext *ctx = &getContext();
    mlir::Block &body = f.getBody().front();
    auto ret = llvm::cast<mlir::func::ReturnOp>(body.getTerminator());
    unsigned numArgs = f.getNumArguments();

    // New signature: state..., arguments..., results..., all memrefs.
    llvm::SmallVector<mlir::Type> types;
    llvm::SmallVector<mlir::DictionaryAttr> argAttrs;
    for (mlir::nn::ParamOp p : params) {
      types.push_back(bufferType(p.getType()));
      argAttrs.push_back(mlir::DictionaryAttr::get(ctx, {mlir::NamedAttribute(
          mlir::StringAttr::get(ctx, "nn.state"), mlir::StringAttr::get(ctx, p.getSymName()))}));
    }
    for (unsigned i = 0; i < numArgs; ++i) {
      types.push_back(bufferType(f.getArgumentTypes()[i]));
      argAttrs.push_back(f.getArgAttrDict(i) ? f.getArgAttrDict(i) : mlir::DictionaryAttr::get(ctx));
    }
    for (unsigned i = 0; i < f.getNumResults(); ++i) {
      types.push_back(bufferType(f.getResultTypes()[i]));
      // Results are marked: backends that stage buffers copy these back.
      mlir::NamedAttrList attrs(f.getResultAttrDict(i));
      attrs.set("nn.result", mlir::UnitAttr::get(ctx));
      argAttrs.push_back(attrs.getDictionary(ctx));
    }
    mlir::OpBuilder b(ctx);
    mlir::Location loc = f.getLoc();
    unsigned stateCount = params.size();
    // A new entry block with the new arguments takes the old block's ops; the old
    // arguments become reads of their buffers.
    auto *entry = new mlir::Block();
    for (mlir::Type t : types) entry->addArgument(t, loc);
    entry->getOperations().splice(entry->end(), body.getOperations());
    f.getBody().push_back(entry);
    b.setInsertionPointToStart(entry);
    for (unsigned i = 0; i < numArgs; ++i) {
      auto read = b.create<mlir::bufferization::ToTensorOp>(loc, body.getArgument(i).getType(),
                                                            entry->getArgument(stateCount + i), /*restrict=*/true);
      body.getArgument(i).replaceAllUsesWith(read.getResult());
    }
    body.erase();
    // One read per state tensor the function loads.
    llvm::StringMap<unsigned> stateIndex;
    for (unsigned i = 0; i < stateCount; ++i) stateIndex[mlir::nn::ParamOp(params[i]).getSymName()] = i;
    llvm::DenseMap<unsigned, mlir::Value> reads;
    llvm::SmallVector<mlir::Operation *> dead;
    mlir::WalkResult walk = f.walk([&](mlir::Operation *op) {
      if (auto load = llvm::dyn_cast<mlir::nn::LoadOp>(op)) {
        auto it = stateIndex.find(load.getName());
        if (it == stateIndex.end()) return load.emitError() << "load of unknown state @" << load.getName(), mlir::WalkResult::interrupt();
        mlir::Value &read = reads[it->second];
        if (!read) {
          mlir::OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(entry);
          read = b.create<mlir::bufferization::ToTensorOp>(loc, load.getType(), entry->getArgument(it->second), true);
        }
        load.replaceAllUsesWith(read);
        dead.push_back(load);
      }
      return mlir::WalkResult::advance();
    });
    if (walk.wasInterrupted()) return mlir::failure();
    for (mlir::Operation *op : dead) op->erase();
    // Writes go last: before the return, stores in program order, then the results.
    b.setInsertionPoint(ret);
    llvm::SmallVector<mlir::nn::StoreOp> stores;
    f.walk([&](mlir::nn::StoreOp s) { stores.push_back(s); });
    for (mlir::nn::StoreOp s : stores) {
      auto it = stateIndex.find(s.getName());
      if (it == stateIndex.end()) return s.emitError() << "store to unknown state @" << s.getName();
      auto m = b.create<mlir::bufferization::MaterializeInDestinationOp>(s.getLoc(), s.getValue(), entry->getArgument(it->second));
      m.setRestrict(true);
      m.setWritable(true);
      s.erase();
    }
    for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
      auto m = b.create<mlir::bufferization::MaterializeInDestinationOp>(loc, v, entry->getArgument(stateCount + numArgs + i));
      m.setRestrict(true);
      m.setWritable(true);
    }
    b.create<mlir::func::ReturnOp>(loc);
    ret.erase();
    f.setType(mlir::FunctionType::get(ctx, types, {}));
    f.setAllArgAttrs(argAttrs);
    f.setAllResultAttrs(llvm::ArrayRef<mlir::DictionaryAttr>{});
    return mlir::success();
  }

  void runOnOperation() override {
    mlir::ModuleOp module = getOperation();
    llvm::SmallVector<mlir::nn::ParamOp> params(module.getOps<mlir::nn::ParamOp>());
    llvm::SmallVector<mlir::Operation *> drop;
    for (mlir::Operation &op : module.getOps()) {
      auto f = llvm::dyn_cast<mlir::func::FuncOp>(op);
      if (f && isEntryPoint(f.getName()) && !f.isExternal()) {
        if (mlir::failed(externalize(f, params))) return signalPassFailure();
      } else {
        drop.push_back(&op);
      }
    }
    for (mlir::Operation *op : drop) op->erase();
  }
};

} // namespace
} // namespace nnc
