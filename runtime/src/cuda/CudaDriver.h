// The CUDA driver API, loaded at run time (dlopen of libcuda.so.1) so that the runtime
// and every training binary start on machines without an NVIDIA driver; only a model
// compiled with --target=cuda asks for it. One process-wide context (the primary
// context of device NNC_CUDA_DEVICE, default 0) and one stream run everything.
#pragma once

#include <cuda.h>

#include <string>

namespace nnc::rt::cuda {

#define NNC_CUDA_DRIVER_FUNCTIONS(X)                                                                  \
  X(cuInit) X(cuDriverGetVersion) X(cuDeviceGetCount) X(cuDeviceGet) X(cuDeviceGetName)            \
  X(cuDevicePrimaryCtxRetain) X(cuCtxSetCurrent) X(cuStreamCreate) X(cuStreamSynchronize)           \
  X(cuModuleLoadData) X(cuModuleGetFunction) X(cuLaunchKernel) X(cuMemAllocAsync) X(cuMemFreeAsync) \
  X(cuMemAllocManaged) X(cuMemFree) X(cuMemcpyHtoDAsync) X(cuMemcpyDtoHAsync) X(cuPointerGetAttribute) \
  X(cuDeviceGetDefaultMemPool) X(cuMemPoolSetAttribute) X(cuGetErrorString) X(cuCtxSynchronize)      \
  X(cuMemAlloc) X(cuStreamBeginCapture) X(cuStreamEndCapture) X(cuGraphInstantiate) X(cuGraphLaunch)  \
  X(cuGraphDestroy) X(cuGraphExecDestroy)

struct Driver {
#define NNC_DECLARE(name) decltype(&::name) name = nullptr;
  NNC_CUDA_DRIVER_FUNCTIONS(NNC_DECLARE)
#undef NNC_DECLARE
  CUdevice device = 0;
  CUcontext context = nullptr;
  CUstream stream = nullptr;
  std::string deviceName;
};

// The loaded driver with its context current on this thread, or null when CUDA cannot
// be used here; `why` then says why (no libcuda.so.1, no device, ...). Thread-safe.
Driver *driver(std::string *why = nullptr);

// The driver for code compiled for CUDA, which cannot run without one: ends the
// process (exit status 70) with the reason when CUDA is unavailable.
Driver &requireDriver();

// Ends the process with a message naming `what` when `result` is an error: a failed
// launch or copy leaves the model's state undefined, and entry functions return nothing.
void check(CUresult result, const char *what);

// Ends the process (exit status 70) with "nnc: <library>: <why>": a library call inside
// a step failed, or a library the model needs is missing.
[[noreturn]] void libraryFailure(const char *library, const std::string &why);

// dlopen of a CUDA library (libcublas.so.13, libcudnn.so.9) by its soname, else from
// $CUDA_HOME/lib64 (default /usr/local/cuda); null when neither loads.
void *openToolkitLibrary(const char *soname);

} // namespace nnc::rt::cuda
