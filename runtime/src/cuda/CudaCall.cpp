// nnc_cuda_call: staging host buffers around a compiled entry point; managed memory.
#include "cuda/CudaCall.h"
#include "cuda/CudaDriver.h"
#include "cuda/Profile.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
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

namespace {

using nnc::rt::cuda::check;
using nnc::rt::cuda::deviceAddressable;
using nnc::rt::cuda::Driver;

// CUDA graphs (NNC_CUDA_GRAPH=0 turns them off): from an entry's third call on, its kernels and library calls are
// captured once into a CUDA graph and replayed with one launch (the first calls load
// modules, find cuDNN algorithms and create the cuBLAS handle, which capture does not
// allow). Buffers the GPU cannot address are staged in device memory that the entry
// keeps, so the graph's pointers stay valid; a change of the addressable pointers (a
// new session) or of the sizes makes a new plan.
bool graphsRequested() {
  static const bool on = [] {
    const char *v = std::getenv("NNC_CUDA_GRAPH");
    return !(v && std::string(v) == "0") && !nnc::rt::cuda::profiling();
  }();
  return on;
}

struct EntryPlan {
  std::vector<const void *> addressable; // the argument itself, or null where staged
  std::vector<uint64_t> bytes;
  std::vector<void *> deviceArgs;
  std::vector<CUdeviceptr> staging;
  int calls = 0;
  CUgraphExec graph = nullptr;
  bool capturable = true;
};

struct Plans {
  std::mutex mutex;
  std::map<void (*)(void *const *), EntryPlan> byEntry;
};
Plans &plans() {
  static Plans p;
  return p;
}

void releasePlan(Driver &d, EntryPlan &plan) {
  check(d.cuStreamSynchronize(d.stream), "cuStreamSynchronize (releasing a CUDA graph)");
  if (plan.graph) d.cuGraphExecDestroy(plan.graph);
  for (CUdeviceptr p : plan.staging)
    if (p) d.cuMemFree(p);
  plan = EntryPlan{};
}

// The entry run through its plan: staged copies in, the graph (captured on the third
// call) or the plain calls, copies out.
void callWithGraph(Driver &d, void (*device)(void *const *), void *const *args, uint64_t count, const uint64_t *bytes,
                   const uint8_t *written) {
  std::vector<const void *> addressable(count);
  for (uint64_t i = 0; i < count; ++i) addressable[i] = deviceAddressable(d, args[i]) ? args[i] : nullptr;
  Plans &all = plans();
  std::lock_guard lock(all.mutex);
  EntryPlan &plan = all.byEntry[device];
  if (plan.addressable != addressable || plan.bytes != std::vector<uint64_t>(bytes, bytes + count)) {
    releasePlan(d, plan);
    plan.addressable = addressable;
    plan.bytes.assign(bytes, bytes + count);
    plan.deviceArgs.resize(count);
    plan.staging.assign(count, 0);
    for (uint64_t i = 0; i < count; ++i) {
      if (addressable[i]) {
        plan.deviceArgs[i] = args[i];
        continue;
      }
      check(d.cuMemAlloc(&plan.staging[i], bytes[i] ? bytes[i] : 1), "cuMemAlloc (staging an argument)");
      plan.deviceArgs[i] = reinterpret_cast<void *>(plan.staging[i]);
    }
  }
  for (uint64_t i = 0; i < count; ++i)
    if (plan.staging[i] && bytes[i])
      check(d.cuMemcpyHtoDAsync(plan.staging[i], args[i], bytes[i], d.stream), "cuMemcpyHtoDAsync");
  if (!plan.graph && plan.capturable && plan.calls >= 2) {
    check(d.cuStreamBeginCapture(d.stream, CU_STREAM_CAPTURE_MODE_RELAXED), "cuStreamBeginCapture");
    device(plan.deviceArgs.data());
    CUgraph graph = nullptr;
    CUresult r = d.cuStreamEndCapture(d.stream, &graph);
    if (r == CUDA_SUCCESS) r = d.cuGraphInstantiate(&plan.graph, graph, 0);
    if (graph) d.cuGraphDestroy(graph);
    if (r != CUDA_SUCCESS) {
      const char *text = nullptr;
      d.cuGetErrorString(r, &text);
      std::fprintf(stderr, "nnc: capturing a CUDA graph failed (%s); launching kernels one by one\n",
                   text ? text : "unknown CUDA error");
      plan.graph = nullptr;
      plan.capturable = false;
    }
  }
  if (plan.graph) check(d.cuGraphLaunch(plan.graph, d.stream), "cuGraphLaunch");
  else device(plan.deviceArgs.data());
  ++plan.calls;
  for (uint64_t i = 0; i < count; ++i)
    if (plan.staging[i] && written[i] && bytes[i])
      check(d.cuMemcpyDtoHAsync(args[i], plan.staging[i], bytes[i], d.stream), "cuMemcpyDtoHAsync");
  check(d.cuStreamSynchronize(d.stream), "running the model's kernels (cuStreamSynchronize)");
}

} // namespace

extern "C" void nnc_cuda_call(void (*device)(void *const *), void *const *args, uint64_t count, const uint64_t *bytes,
                              const uint8_t *written) {
  using namespace nnc::rt::cuda;
  Driver *d = &requireDriver();
  if (graphsRequested()) return callWithGraph(*d, device, args, count, bytes, written);
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
