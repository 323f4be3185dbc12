// The host-side functions that code compiled with --target=cuda calls: MLIR's GPU
// lowering launches kernels through mgpu* (the interface of MLIR's CUDA runtime
// wrappers, which Debian does not ship) and allocates scratch memory through
// _mlir_memref_to_llvm_alloc/free (finalize-memref-to-llvm's generic functions).
//
// Everything runs on the one stream of CudaDriver.h, in order: MLIR's synchronous
// launch sequence (create stream, launch, synchronize, destroy) becomes an asynchronous
// launch, because compiled host code never reads device memory (nn-map-loops-to-gpu
// puts every memory access in a kernel) and nnc_cuda_call synchronizes once at the end.
// Scratch memory is stream-ordered (cuMemAllocAsync/cuMemFreeAsync), so a buffer freed
// by the host while kernels still use it is reused only by later work on the stream.
#include "cuda/CudaDriver.h"
#include "cuda/Profile.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

using nnc::rt::cuda::check;
using nnc::rt::cuda::Driver;
using nnc::rt::cuda::requireDriver;

namespace {

// Modules and functions are loaded once per fatbin and name; the compiled code asks
// again at every launch, with the same constant blob and name pointers, which are the
// keys (no string copies on the launch path).
struct Kernels {
  std::mutex mutex;
  std::map<const void *, CUmodule> modules;
  std::map<std::pair<CUmodule, const char *>, CUfunction> functions;
  std::map<CUfunction, std::string> names; // for NNC_CUDA_PROFILE
};
Kernels &kernels() {
  static Kernels k;
  return k;
}

} // namespace

extern "C" {

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  Driver &d = requireDriver();
  Kernels &k = kernels();
  std::lock_guard lock(k.mutex);
  CUmodule &m = k.modules[data];
  if (!m) check(d.cuModuleLoadData(&m, data), "cuModuleLoadData (loading a kernel fatbin)");
  return m;
}

void mgpuModuleUnload(void *) {} // modules live as long as the process

void *mgpuModuleGetFunction(void *module, const char *name) {
  Driver &d = requireDriver();
  Kernels &k = kernels();
  std::lock_guard lock(k.mutex);
  CUfunction &f = k.functions[{static_cast<CUmodule>(module), name}];
  if (!f) {
    check(d.cuModuleGetFunction(&f, static_cast<CUmodule>(module), name), "cuModuleGetFunction");
    k.names[f] = name;
  }
  return f;
}

void *mgpuStreamCreate() { return requireDriver().stream; }
void mgpuStreamSynchronize(void *) {}
void mgpuStreamDestroy(void *) {}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY, intptr_t gridZ, intptr_t blockX,
                      intptr_t blockY, intptr_t blockZ, int32_t sharedBytes, void *stream, void **params,
                      void **extra, size_t /*paramsCount*/) {
  Driver &d = requireDriver();
  nnc::rt::cuda::ProfileScope scope([&] {
    Kernels &k = kernels();
    std::lock_guard lock(k.mutex);
    return "kernel " + k.names[static_cast<CUfunction>(function)] + " grid " + std::to_string(gridX);
  });
  check(d.cuLaunchKernel(static_cast<CUfunction>(function), unsigned(gridX), unsigned(gridY), unsigned(gridZ),
                         unsigned(blockX), unsigned(blockY), unsigned(blockZ), unsigned(sharedBytes),
                         static_cast<CUstream>(stream), params, extra),
        "cuLaunchKernel");
}

void *_mlir_memref_to_llvm_alloc(uint64_t size) {
  Driver &d = requireDriver();
  CUdeviceptr p = 0;
  check(d.cuMemAllocAsync(&p, size ? size : 1, d.stream), "cuMemAllocAsync (device scratch memory)");
  return reinterpret_cast<void *>(p);
}

void _mlir_memref_to_llvm_free(void *p) {
  if (!p) return;
  Driver &d = requireDriver();
  check(d.cuMemFreeAsync(reinterpret_cast<CUdeviceptr>(p), d.stream), "cuMemFreeAsync");
}

} // extern "C"
