// nnc_cuda_fixture OUTDIR: every op case of tests/unit/op_cases.h (float64), as in the
// CPU codegen test — @predict (the case's function) and @input_gradient (the gradients
// of s = sum(y · R), which exercises the adjoint ops) — compiled with the CUDA backend
// into one shared library OUTDIR/ops.so, with the interpreter's inputs and results in
// OUTDIR/cases.bin. nnc_cuda_check runs them on a GPU (no compiler needed there).
#include "CaseFile.h"
#include "../unit/op_cases.h"

#include "lowering/CudaPipeline.h"

#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <cstdio>
#include <fstream>

namespace {
using namespace nnc_test;
using nnc_cuda_test::CaseTensor;

uint32_t dtypeCode(nnc::interp::DType d) {
  switch (d) {
  case nnc::interp::DType::F32: return 0;
  case nnc::interp::DType::F64: return 1;
  case nnc::interp::DType::I32: return 2;
  case nnc::interp::DType::I64: return 3;
  case nnc::interp::DType::I1: return 4;
  }
  return 1;
}

CaseTensor fromTensor(const Tensor &t) { return {dtypeCode(t.dtype), t.shape, t.data}; }

// Builds case `index`, records its results and writes its CUDA object; empty on success.
std::string prepare(const Case &c, size_t index, const std::string &dir, nnc_cuda_test::OpCase &out,
                    std::string &objectPath) {
  Context ctx;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::vector<Tensor> args;
  if (std::string e = buildBackendCase(c, ctx, module, args); !e.empty()) return e;

  std::string prefix = "nnc_case" + std::to_string(index);
  nnc::interp::Interpreter interp(*module);
  out.name = c.name;
  for (const char *name : {"predict", "input_gradient"}) {
    auto r = interp.run(name, args);
    if (mlir::failed(r)) return std::string(name) + ": " + ctx.log;
    nnc_cuda_test::CaseEntry e;
    e.symbol = prefix + "_" + name;
    for (const Tensor &a : args) e.args.push_back(fromTensor(a));
    for (const Tensor &t : *r) e.results.push_back(fromTensor(t));
    out.entries.push_back(std::move(e));
  }
  nnc::CudaOptions cudaOptions;
  // NNC_CUDA_INDEX_BITS=32: the op cases with 32-bit index arithmetic in kernels.
  if (const char *bits = std::getenv("NNC_CUDA_INDEX_BITS")) cudaOptions.indexBitwidth = std::atoi(bits);
  auto entries = nnc::lowerForCuda(*module, nnc::CudaStage::LLVM, cudaOptions);
  if (mlir::failed(entries)) return "the CUDA pipeline failed: " + ctx.log;
  nnc::ObjectOptions options;
  options.symbolPrefix = prefix;
  options.cuda = true;
  auto object = nnc::emitObject(*module, *entries, "", options, false);
  if (mlir::failed(object)) return "object emission failed: " + ctx.log;
  objectPath = dir + "/" + prefix + ".o";
  std::ofstream(objectPath, std::ios::binary) << object->front();
  return "";
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: nnc_cuda_fixture OUTDIR\n");
    return 2;
  }
  std::string dir = argv[1];
  llvm::sys::fs::create_directories(dir);
  std::vector<nnc_cuda_test::OpCase> cases;
  std::vector<std::string> objects;
  int failures = 0;
  for (size_t i = 0; i < nnc_test::cases().size(); ++i) {
    const Case &c = nnc_test::cases()[i];
    nnc_cuda_test::OpCase out;
    std::string object;
    std::string error = prepare(c, i, dir, out, object);
    if (!error.empty()) {
      std::fprintf(stderr, "%s: %s\n", c.name.c_str(), error.c_str());
      ++failures;
      continue;
    }
    cases.push_back(std::move(out));
    objects.push_back(object);
  }
  nnc_cuda_test::Writer writer(dir + "/cases.bin");
  writer.write(cases);
  if (!writer.ok()) return std::fprintf(stderr, "cannot write %s/cases.bin\n", dir.c_str()), 1;
  // One shared library; its undefined nnc_cuda_call, mgpu* and _mlir_memref_to_llvm_*
  // come from the checker, which exports them.
  std::vector<llvm::StringRef> link = {NNC_CXX, "-shared", "-o"};
  std::string so = dir + "/ops.so";
  link.push_back(so);
  for (const std::string &o : objects) link.push_back(o);
  std::string error;
  if (llvm::sys::ExecuteAndWait(NNC_CXX, link, std::nullopt, {}, 0, 0, &error) != 0)
    return std::fprintf(stderr, "linking %s failed: %s\n", so.c_str(), error.c_str()), 1;
  for (const std::string &o : objects) llvm::sys::fs::remove(o);
  std::printf("%zu op cases compiled for CUDA into %s (%d failed)\n", cases.size(), so.c_str(), failures);
  return failures == 0 ? 0 : 1;
}
