// LLVM dialect → LLVM IR → optimized object code for the host (or --cpu), with the
// calling-convention wrappers, the embedded artifact and the model descriptor of
// runtime/include/nnc/compiled_model.h.
#include "lowering/CpuPipeline.h"
#include "PartitionModule.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <thread>

namespace nnc {

namespace {

constexpr uint32_t kAbiVersion = 1; // NNC_COMPILED_MODEL_ABI

mlir::FailureOr<std::unique_ptr<llvm::TargetMachine>> targetMachine(const std::string &cpuName, mlir::Location loc) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::string triple = llvm::sys::getDefaultTargetTriple(), error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) return mlir::emitError(loc) << "no LLVM target for " << triple << ": " << error, mlir::failure();
  std::string cpu = cpuName, features;
  if (cpuName == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    llvm::SubtargetFeatures f;
    for (auto &[name, enabled] : llvm::sys::getHostCPUFeatures()) f.AddFeature(name, enabled);
    features = f.getString();
  }
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, options, llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Default));
  if (!tm) return mlir::emitError(loc) << "cannot create a target machine for cpu '" << cpu << "'", mlir::failure();
  return tm;
}

// `void <prefix>_<entry>(void *const *args)`: loads each buffer pointer and calls the
// lowered function with static memref descriptors (allocated, aligned, 0, sizes, strides).
llvm::Function *wrapEntry(llvm::Module &m, llvm::Function *impl, const EntrySignature &sig, const std::string &symbol) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx), *i64 = llvm::Type::getInt64Ty(ctx);
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false);
  auto *wrapper = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, symbol, m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  std::vector<llvm::Value *> args;
  for (size_t i = 0; i < sig.shapes.size(); ++i) {
    llvm::Value *slot = b.CreateConstInBoundsGEP1_64(ptr, wrapper->getArg(0), i);
    llvm::Value *buffer = b.CreateLoad(ptr, slot);
    args.push_back(buffer);
    args.push_back(buffer);
    args.push_back(llvm::ConstantInt::get(i64, 0));
    const std::vector<int64_t> &shape = sig.shapes[i];
    std::vector<int64_t> strides(shape.size(), 1);
    for (size_t d = shape.size(); d-- > 1;) strides[d - 1] = strides[d] * shape[d];
    for (int64_t s : shape) args.push_back(llvm::ConstantInt::get(i64, s));
    for (int64_t s : strides) args.push_back(llvm::ConstantInt::get(i64, s));
  }
  b.CreateCall(impl, args);
  b.CreateRetVoid();
  return wrapper;
}

// CUDA: `void <symbol>(void *const *args)` = nnc_cuda_call(device, args, count, bytes,
// written), where `device` is the descriptor-building wrapper above and the tables give
// each buffer's size and whether the entry writes it (runtime/src/cuda/CudaCall.h).
llvm::Function *wrapCudaEntry(llvm::Module &m, llvm::Function *device, const EntrySignature &sig,
                              const std::string &symbol) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx), *i64 = llvm::Type::getInt64Ty(ctx);
  std::vector<uint64_t> bytes;
  std::vector<uint8_t> written;
  for (size_t i = 0; i < sig.shapes.size(); ++i) {
    uint64_t n = uint64_t(sig.elementBytes[i]);
    for (int64_t d : sig.shapes[i]) n *= uint64_t(d);
    bytes.push_back(n);
    written.push_back(sig.written[i] ? 1 : 0);
  }
  auto table = [&](llvm::Constant *init, const std::string &name) {
    return new llvm::GlobalVariable(m, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init, name);
  };
  llvm::Constant *bytesTable = table(llvm::ConstantDataArray::get(ctx, bytes), symbol + ".bytes");
  llvm::Constant *writtenTable = table(llvm::ConstantDataArray::get(ctx, written), symbol + ".written");
  auto *callType = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr, ptr, i64, ptr, ptr}, false);
  llvm::FunctionCallee call = m.getOrInsertFunction("nnc_cuda_call", callType);
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false);
  auto *wrapper = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, symbol, m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  b.CreateCall(call, {device, wrapper->getArg(0), llvm::ConstantInt::get(i64, bytes.size()), bytesTable, writtenTable});
  b.CreateRetVoid();
  return wrapper;
}

// LLVM's optimization pipeline at `optLevel`, then object code.
llvm::Expected<std::string> optimizeAndEmit(llvm::Module &m, llvm::TargetMachine &tm, int optLevel) {
  if (llvm::Error e = mlir::makeOptimizingTransformer(optLevel, 0, &tm)(&m))
    return llvm::createStringError("LLVM optimization failed: " + llvm::toString(std::move(e)));
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream objectStream(object);
  llvm::legacy::PassManager codegen;
  if (tm.addPassesToEmitFile(codegen, objectStream, nullptr, llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  codegen.run(m);
  return std::string(object.begin(), object.end());
}

llvm::Constant *cString(llvm::Module &m, const std::string &text, const std::string &name) {
  llvm::Constant *data = llvm::ConstantDataArray::getString(m.getContext(), text, true);
  auto *g = new llvm::GlobalVariable(m, data->getType(), true, llvm::GlobalValue::PrivateLinkage, data, name);
  g->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  return g;
}

} // namespace

mlir::FailureOr<std::vector<std::string>> emitObject(mlir::ModuleOp module, const std::vector<EntrySignature> &entries,
                                        const std::string &artifact, const ObjectOptions &options, bool textIR) {
  mlir::Location loc = module.getLoc();
  mlir::registerBuiltinDialectTranslation(*module.getContext());
  mlir::registerLLVMDialectTranslation(*module.getContext());
  mlir::registerOpenMPDialectTranslation(*module.getContext());
  // (The CUDA pipeline registers the GPU and NVVM translations it needs.)
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> m = mlir::translateModuleToLLVMIR(module, ctx, options.symbolPrefix);
  if (!m) return mlir::emitError(loc) << "cannot translate the module to LLVM IR", mlir::failure();
  auto tm = targetMachine(options.cpu, loc);
  if (mlir::failed(tm)) return mlir::failure();
  m->setTargetTriple((*tm)->getTargetTriple().str());
  m->setDataLayout((*tm)->createDataLayout());

  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx), *i64 = llvm::Type::getInt64Ty(ctx), *i32 = llvm::Type::getInt32Ty(ctx);
  auto *entryType = llvm::StructType::get(ctx, {ptr, ptr});
  std::vector<llvm::Constant *> table;
  for (const EntrySignature &sig : entries) {
    llvm::Function *impl = m->getFunction(sig.name);
    if (!impl) return mlir::emitError(loc) << "entry point " << sig.name << " was not compiled", mlir::failure();
    // The lowered function is private to the object; only the wrapper is exported.
    impl->setName(options.symbolPrefix + "_impl_" + sig.name);
    impl->setLinkage(llvm::GlobalValue::InternalLinkage);
    std::string symbol = options.symbolPrefix + "_" + sig.name;
    llvm::Function *wrapper = wrapEntry(*m, impl, sig, options.cuda ? options.symbolPrefix + "_device_" + sig.name : symbol);
    if (options.cuda) {
      wrapper->setLinkage(llvm::GlobalValue::InternalLinkage);
      wrapper = wrapCudaEntry(*m, wrapper, sig, symbol);
    }
    table.push_back(llvm::ConstantStruct::get(entryType, {cString(*m, sig.name, ".name." + sig.name), wrapper}));
  }
  // Other helper functions (from math-to-funcs) stay private too.
  for (llvm::Function &f : *m)
    if (!f.isDeclaration() && !f.getName().starts_with(options.symbolPrefix)) f.setLinkage(llvm::GlobalValue::InternalLinkage);

  auto *bytesType = llvm::ArrayType::get(llvm::Type::getInt8Ty(ctx), artifact.size());
  auto *bytes = new llvm::GlobalVariable(*m, bytesType, true, llvm::GlobalValue::PrivateLinkage,
                                         llvm::ConstantDataArray::getRaw(artifact, artifact.size(), llvm::Type::getInt8Ty(ctx)),
                                         options.symbolPrefix + "_artifact");
  bytes->setAlignment(llvm::Align(64));
  auto *tableType = llvm::ArrayType::get(entryType, table.size());
  auto *tableVar = new llvm::GlobalVariable(*m, tableType, true, llvm::GlobalValue::PrivateLinkage,
                                            llvm::ConstantArray::get(tableType, table), options.symbolPrefix + "_entries");
  auto *descType = llvm::StructType::get(ctx, {i32, ptr, i64, ptr, i64});
  llvm::Constant *desc = llvm::ConstantStruct::get(
      descType, {llvm::ConstantInt::get(i32, kAbiVersion), bytes, llvm::ConstantInt::get(i64, artifact.size()), tableVar,
                 llvm::ConstantInt::get(i64, table.size())});
  std::string modelName = "nnc_model_" + options.symbolPrefix.substr(4);
  auto *descVar = new llvm::GlobalVariable(*m, descType, true, llvm::GlobalValue::ExternalLinkage, desc, modelName);
  if (options.mainModel)
    llvm::GlobalAlias::create(descType, 0, llvm::GlobalValue::ExternalLinkage, "nnc_main_model", descVar, m.get());

  if (textIR) {
    if (llvm::Error e = mlir::makeOptimizingTransformer(options.optLevel, 0, tm->get())(m.get()))
      return mlir::emitError(loc) << "LLVM optimization failed: " << llvm::toString(std::move(e)), mlir::failure();
    std::string out;
    llvm::raw_string_ostream os(out);
    m->print(os, nullptr);
    return std::vector<std::string>{out};
  }
  if (options.partitions <= 1) {
    auto object = optimizeAndEmit(*m, **tm, options.optLevel);
    if (!object) return mlir::emitError(loc) << llvm::toString(object.takeError()), mlir::failure();
    return std::vector<std::string>{std::move(*object)};
  }
  // Parts of the module on as many threads, each in its own LLVMContext.
  llvm::SmallVector<std::string> bitcode = partitionModule(*m, options.partitions, options.symbolPrefix);
  std::vector<std::unique_ptr<llvm::TargetMachine>> machines;
  for (size_t i = 0; i < bitcode.size(); ++i) {
    auto partTm = targetMachine(options.cpu, loc);
    if (mlir::failed(partTm)) return mlir::failure();
    machines.push_back(std::move(*partTm));
  }
  std::vector<std::string> objects(bitcode.size()), errors(bitcode.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < bitcode.size(); ++i)
    threads.emplace_back([&, i] {
      llvm::LLVMContext partCtx;
      auto part = llvm::parseBitcodeFile(llvm::MemoryBufferRef(bitcode[i], "part"), partCtx);
      llvm::Expected<std::string> object =
          part ? optimizeAndEmit(**part, *machines[i], options.optLevel) : llvm::Expected<std::string>(part.takeError());
      if (object) objects[i] = std::move(*object);
      else errors[i] = llvm::toString(object.takeError());
    });
  for (std::thread &t : threads) t.join();
  for (const std::string &e : errors)
    if (!e.empty()) return mlir::emitError(loc) << e, mlir::failure();
  return objects;
}

} // namespace nnc
