// Loading libcuda.so.1, creating the context and stream once, and reporting errors.
#include "cuda/CudaDriver.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace nnc::rt::cuda {

namespace {

// cuda.h maps many names to versioned symbols (cuMemFree → cuMemFree_v2); stringize
// after macro expansion to look up the symbol the header declares.
#define NNC_STRINGIZE(x) #x
#define NNC_SYMBOL(x) NNC_STRINGIZE(x)

struct Loaded {
  Driver driver;
  bool ok = false;
  std::string why;
};

Loaded load() {
  Loaded l;
  void *lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    l.why = "the NVIDIA driver library libcuda.so.1 is not installed (no GPU driver on this machine)";
    return l;
  }
  Driver &d = l.driver;
#define NNC_LOAD(name)                                                                       \
  d.name = reinterpret_cast<decltype(d.name)>(dlsym(lib, NNC_SYMBOL(name)));                 \
  if (!d.name) {                                                                             \
    l.why = std::string("libcuda.so.1 lacks ") + NNC_SYMBOL(name) + " (driver too old for CUDA 12)"; \
    return l;                                                                                \
  }
  NNC_CUDA_DRIVER_FUNCTIONS(NNC_LOAD)
#undef NNC_LOAD
  auto fail = [&](CUresult r, const char *what) {
    const char *text = nullptr;
    d.cuGetErrorString(r, &text);
    l.why = std::string(what) + ": " + (text ? text : "unknown CUDA error");
  };
  CUresult r = d.cuInit(0);
  if (r != CUDA_SUCCESS) return fail(r, "cuInit"), l;
  int count = 0;
  if ((r = d.cuDeviceGetCount(&count)) != CUDA_SUCCESS) return fail(r, "cuDeviceGetCount"), l;
  int ordinal = 0;
  if (const char *env = std::getenv("NNC_CUDA_DEVICE")) ordinal = std::atoi(env);
  if (count == 0 || ordinal < 0 || ordinal >= count) {
    l.why = count == 0 ? "no CUDA device is present" : "NNC_CUDA_DEVICE names no present device";
    return l;
  }
  if ((r = d.cuDeviceGet(&d.device, ordinal)) != CUDA_SUCCESS) return fail(r, "cuDeviceGet"), l;
  char name[256] = {};
  d.cuDeviceGetName(name, sizeof name, d.device);
  d.deviceName = name;
  if ((r = d.cuDevicePrimaryCtxRetain(&d.context, d.device)) != CUDA_SUCCESS) return fail(r, "cuDevicePrimaryCtxRetain"), l;
  if ((r = d.cuCtxSetCurrent(d.context)) != CUDA_SUCCESS) return fail(r, "cuCtxSetCurrent"), l;
  if ((r = d.cuStreamCreate(&d.stream, CU_STREAM_NON_BLOCKING)) != CUDA_SUCCESS) return fail(r, "cuStreamCreate"), l;
  // Scratch memory comes from the stream-ordered pool: keep what it has reserved rather
  // than returning it to the driver at every synchronization.
  CUmemoryPool pool;
  if (d.cuDeviceGetDefaultMemPool(&pool, d.device) == CUDA_SUCCESS) {
    cuuint64_t keep = ~cuuint64_t(0);
    d.cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &keep);
  }
  l.ok = true;
  return l;
}

Loaded &loadedOnce() {
  static Loaded loaded = load();
  return loaded;
}

} // namespace

Driver *driver(std::string *why) {
  Loaded &loaded = loadedOnce();
  if (!loaded.ok) {
    if (why) *why = loaded.why;
    return nullptr;
  }
  thread_local bool current = false;
  if (!current) {
    check(loaded.driver.cuCtxSetCurrent(loaded.driver.context), "cuCtxSetCurrent");
    current = true;
  }
  return &loaded.driver;
}

Driver &requireDriver() {
  std::string why;
  Driver *d = driver(&why);
  if (!d) {
    std::fflush(stdout);
    std::fprintf(stderr, "nnc: this model was compiled for CUDA, but %s\n", why.c_str());
    std::_Exit(70);
  }
  return *d;
}

void check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS) return;
  Loaded &loaded = loadedOnce();
  const char *text = nullptr;
  if (loaded.driver.cuGetErrorString) loaded.driver.cuGetErrorString(result, &text);
  std::fflush(stdout);
  std::fprintf(stderr, "nnc: CUDA error in %s: %s\n", what, text ? text : "unknown CUDA error");
  std::fflush(stderr);
  std::_Exit(70);
}

void libraryFailure(const char *library, const std::string &why) {
  std::fflush(stdout);
  std::fprintf(stderr, "nnc: %s: %s\n", library, why.c_str());
  std::fflush(stderr);
  std::_Exit(70);
}

void *openToolkitLibrary(const char *soname) {
  if (void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL)) return lib;
  const char *home = std::getenv("CUDA_HOME");
  std::string path = std::string(home && *home ? home : "/usr/local/cuda") + "/lib64/" + soname;
  return dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
}

} // namespace nnc::rt::cuda
