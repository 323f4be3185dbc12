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

// Each entry keeps a plan: device buffers for the arguments the GPU cannot address
// (batches, scalars, results; kept, so pointers stay the same from call to call) and,
// unless NNC_CUDA_GRAPH=0 or profiling, a CUDA graph: from the entry's third call on,
// its kernels and library calls are captured once and replayed with one launch (the
// first calls load modules, find cuDNN algorithms and create the cuBLAS handle, which
// capture does not allow). A change of the addressable pointers (a new session) or of
// the sizes makes a new plan.
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
// call unless graphs are off) or the plain calls, copies out.
void callThroughPlan(Driver &d, void (*device)(void *const *), void *const *args, uint64_t count, const uint64_t *bytes,
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
  if (!plan.graph && plan.capturable && plan.calls >= 2 && graphsRequested()) {
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
  callThroughPlan(nnc::rt::cuda::requireDriver(), device, args, count, bytes, written);
}
