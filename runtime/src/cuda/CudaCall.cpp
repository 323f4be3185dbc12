// nnc_cuda_call: staging host buffers around a compiled entry point; managed memory.
#include "cuda/CudaCall.h"
#include "cuda/CudaDriver.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace nnc::rt::cuda {

namespace {

bool deviceAddressable(Driver &d, const void *p) {
  auto ptr = reinterpret_cast<CUdeviceptr>(p);
  unsigned managed = 0;
  if (d.cuPointerGetAttribute(&managed, CU_POINTER_ATTRIBUTE_IS_MANAGED, ptr) != CUDA_SUCCESS) return false;
  if (managed) return true;
  CUmemorytype type{};
  return d.cuPointerGetAttribute(&type, CU_POINTER_ATTRIBUTE_MEMORY_TYPE, ptr) == CUDA_SUCCESS &&
         type == CU_MEMORYTYPE_DEVICE;
}

} // namespace

bool available(std::string *why) { return driver(why) != nullptr; }

std::string deviceName() {
  Driver *d = driver();
  return d ? d->deviceName : "";
}

void *allocateManaged(size_t bytes, std::string *why) {
  Driver *d = driver(why);
  if (!d) return nullptr;
  CUdeviceptr p = 0;
  CUresult r = d->cuMemAllocManaged(&p, bytes ? bytes : 1, CU_MEM_ATTACH_GLOBAL);
  if (r != CUDA_SUCCESS) {
    const char *text = nullptr;
    d->cuGetErrorString(r, &text);
    if (why) *why = std::string("cuMemAllocManaged: ") + (text ? text : "unknown CUDA error");
    return nullptr;
  }
  return reinterpret_cast<void *>(p);
}

void freeManaged(void *p) {
  if (Driver *d = driver(); d && p) {
    // The GPU may still be using it (a step in flight): wait first.
    d->cuStreamSynchronize(d->stream);
    d->cuMemFree(reinterpret_cast<CUdeviceptr>(p));
  }
}

} // namespace nnc::rt::cuda

extern "C" void nnc_cuda_call(void (*device)(void *const *), void *const *args, uint64_t count, const uint64_t *bytes,
                              const uint8_t *written) {
  using namespace nnc::rt::cuda;
  Driver *d = &requireDriver();
  std::vector<void *> deviceArgs(count);
  std::vector<bool> staged(count, false);
  for (uint64_t i = 0; i < count; ++i) {
    if (deviceAddressable(*d, args[i])) {
      deviceArgs[i] = args[i];
      continue;
    }
    CUdeviceptr p = 0;
    check(d->cuMemAllocAsync(&p, bytes[i] ? bytes[i] : 1, d->stream), "cuMemAllocAsync (staging an argument)");
    if (bytes[i]) check(d->cuMemcpyHtoDAsync(p, args[i], bytes[i], d->stream), "cuMemcpyHtoDAsync");
    deviceArgs[i] = reinterpret_cast<void *>(p);
    staged[i] = true;
  }
  device(deviceArgs.data());
  for (uint64_t i = 0; i < count; ++i) {
    if (!staged[i]) continue;
    auto p = reinterpret_cast<CUdeviceptr>(deviceArgs[i]);
    if (written[i] && bytes[i]) check(d->cuMemcpyDtoHAsync(args[i], p, bytes[i], d->stream), "cuMemcpyDtoHAsync");
    check(d->cuMemFreeAsync(p, d->stream), "cuMemFreeAsync");
  }
  check(d->cuStreamSynchronize(d->stream), "running the model's kernels (cuStreamSynchronize)");
}
