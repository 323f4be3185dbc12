// nnc_cuda_conv_{forward,backward_data,backward_filter}_{f32,f64}: what convolutions
// lowered with conv-library=nnc_cuda_conv call (compiler/lowering/cpu/lib/LowerConvLibrary.cpp).
// cuDNN 9 is loaded at run time (libcudnn.so.9) and runs on the model's stream.
//
// Each distinct convolution (kind, type, geometry) gets its descriptors and algorithm
// once, on first use: cudnnFind* times the candidates (as PyTorch's cudnn.benchmark) and
// the fastest one that uses plain FMA math is kept, so float32 results are not TF32
// rounded (the math the CPU backend and the tests assume). One workspace, grown to the
// largest need, serves every call: the stream orders them.
#include "cuda/CudaDriver.h"
#include "cuda/Profile.h"

#include <cudnn.h>
#include <dlfcn.h>

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace {

using nnc::rt::cuda::Driver;

#define NNC_CUDNN_FUNCTIONS(X)                                                                            \
  X(cudnnCreate) X(cudnnSetStream) X(cudnnGetErrorString) X(cudnnCreateTensorDescriptor)                  \
  X(cudnnSetTensor4dDescriptor) X(cudnnCreateFilterDescriptor) X(cudnnSetFilter4dDescriptor)               \
  X(cudnnCreateConvolutionDescriptor) X(cudnnSetConvolution2dDescriptor) X(cudnnSetConvolutionGroupCount) \
  X(cudnnSetConvolutionMathType) X(cudnnFindConvolutionForwardAlgorithm)                                  \
  X(cudnnFindConvolutionBackwardDataAlgorithm) X(cudnnFindConvolutionBackwardFilterAlgorithm)             \
  X(cudnnConvolutionForward) X(cudnnConvolutionBackwardData) X(cudnnConvolutionBackwardFilter)

struct Cudnn {
#define NNC_DECLARE(name) decltype(&::name) name = nullptr;
  NNC_CUDNN_FUNCTIONS(NNC_DECLARE)
#undef NNC_DECLARE
  cudnnHandle_t handle = nullptr;
};

[[noreturn]] void fail(const std::string &why) { nnc::rt::cuda::libraryFailure("cuDNN", why); }

Cudnn &cudnn();

void check(cudnnStatus_t status, const char *what) {
  if (status == CUDNN_STATUS_SUCCESS) return;
  fail(std::string(what) + " failed: " + cudnn().cudnnGetErrorString(status));
}

Cudnn load() {
  Driver &d = nnc::rt::cuda::requireDriver();
  void *lib = nnc::rt::cuda::openToolkitLibrary("libcudnn.so.9");
  if (!lib)
    fail("libcudnn.so.9 was not found (install cuDNN 9 for CUDA 13, or compile with --cuda-conv=gemm)");
  Cudnn c;
#define NNC_LOAD(name)                                                                             \
  c.name = reinterpret_cast<decltype(&::name)>(dlsym(lib, #name));                                  \
  if (!c.name) fail("libcudnn.so.9 lacks " #name);
  NNC_CUDNN_FUNCTIONS(NNC_LOAD)
#undef NNC_LOAD
  if (cudnnStatus_t s = c.cudnnCreate(&c.handle)) fail("cudnnCreate failed with status " + std::to_string(int(s)));
  if (cudnnStatus_t s = c.cudnnSetStream(c.handle, reinterpret_cast<cudaStream_t>(d.stream)))
    fail("cudnnSetStream failed with status " + std::to_string(int(s)));
  return c;
}

Cudnn &cudnn() {
  static Cudnn c = load();
  return c;
}

enum Kind : int64_t { kForward, kBackwardData, kBackwardFilter };

// The geometry as the lowering passes it: n, c, h, w of the input, k output channels,
// kernel r, s, padding, stride and dilation (h then w), groups.
struct Geometry {
  int64_t n, c, h, w, k, r, s, padH, padW, strideH, strideW, dilationH, dilationW, groups;
  int64_t outH() const { return (h + 2 * padH - dilationH * (r - 1) - 1) / strideH + 1; }
  int64_t outW() const { return (w + 2 * padW - dilationW * (s - 1) - 1) / strideW + 1; }
};

// One convolution's descriptors and chosen algorithm.
struct Plan {
  cudnnTensorDescriptor_t x = nullptr, y = nullptr;
  cudnnFilterDescriptor_t filter = nullptr;
  cudnnConvolutionDescriptor_t conv = nullptr;
  int algo = 0;
  size_t workspace = 0;
};

// The fastest successful candidate with FMA math (TF32 excluded), else the fastest.
template <typename Perf>
const Perf &choose(const Perf *perf, int count, const char *what) {
  const Perf *best = nullptr;
  for (int i = 0; i < count; ++i) {
    if (perf[i].status != CUDNN_STATUS_SUCCESS) continue;
    if (perf[i].mathType == CUDNN_FMA_MATH || perf[i].mathType == CUDNN_DEFAULT_MATH) return perf[i];
    if (!best) best = &perf[i];
  }
  if (!best) fail(std::string("no algorithm for the ") + what);
  return *best;
}

Plan makePlan(Kind kind, cudnnDataType_t type, const Geometry &g) {
  Cudnn &c = cudnn();
  Plan p;
  check(c.cudnnCreateTensorDescriptor(&p.x), "cudnnCreateTensorDescriptor");
  check(c.cudnnCreateTensorDescriptor(&p.y), "cudnnCreateTensorDescriptor");
  check(c.cudnnCreateFilterDescriptor(&p.filter), "cudnnCreateFilterDescriptor");
  check(c.cudnnCreateConvolutionDescriptor(&p.conv), "cudnnCreateConvolutionDescriptor");
  check(c.cudnnSetTensor4dDescriptor(p.x, CUDNN_TENSOR_NCHW, type, int(g.n), int(g.c), int(g.h), int(g.w)),
        "cudnnSetTensor4dDescriptor (input)");
  check(c.cudnnSetTensor4dDescriptor(p.y, CUDNN_TENSOR_NCHW, type, int(g.n), int(g.k), int(g.outH()), int(g.outW())),
        "cudnnSetTensor4dDescriptor (output)");
  check(c.cudnnSetFilter4dDescriptor(p.filter, type, CUDNN_TENSOR_NCHW, int(g.k), int(g.c / g.groups), int(g.r), int(g.s)),
        "cudnnSetFilter4dDescriptor");
  check(c.cudnnSetConvolution2dDescriptor(p.conv, int(g.padH), int(g.padW), int(g.strideH), int(g.strideW),
                                          int(g.dilationH), int(g.dilationW), CUDNN_CROSS_CORRELATION, type),
        "cudnnSetConvolution2dDescriptor");
  check(c.cudnnSetConvolutionGroupCount(p.conv, int(g.groups)), "cudnnSetConvolutionGroupCount");
  check(c.cudnnSetConvolutionMathType(p.conv, CUDNN_FMA_MATH), "cudnnSetConvolutionMathType");
  constexpr int kCandidates = 8;
  int count = 0;
  if (kind == kForward) {
    cudnnConvolutionFwdAlgoPerf_t perf[kCandidates];
    check(c.cudnnFindConvolutionForwardAlgorithm(c.handle, p.x, p.filter, p.conv, p.y, kCandidates, &count, perf),
          "cudnnFindConvolutionForwardAlgorithm");
    auto &best = choose(perf, count, "convolution");
    p.algo = int(best.algo), p.workspace = best.memory;
  } else if (kind == kBackwardData) {
    cudnnConvolutionBwdDataAlgoPerf_t perf[kCandidates];
    check(c.cudnnFindConvolutionBackwardDataAlgorithm(c.handle, p.filter, p.y, p.conv, p.x, kCandidates, &count, perf),
          "cudnnFindConvolutionBackwardDataAlgorithm");
    auto &best = choose(perf, count, "convolution's input gradient");
    p.algo = int(best.algo), p.workspace = best.memory;
  } else {
    cudnnConvolutionBwdFilterAlgoPerf_t perf[kCandidates];
    check(c.cudnnFindConvolutionBackwardFilterAlgorithm(c.handle, p.x, p.y, p.conv, p.filter, kCandidates, &count, perf),
          "cudnnFindConvolutionBackwardFilterAlgorithm");
    auto &best = choose(perf, count, "convolution's filter gradient");
    p.algo = int(best.algo), p.workspace = best.memory;
  }
  return p;
}

struct Plans {
  std::mutex mutex;
  std::map<std::array<int64_t, 16>, Plan> byKey;
  CUdeviceptr workspace = 0;
  size_t workspaceBytes = 0;
};

Plans &plans() {
  static Plans p;
  return p;
}

// A device workspace of at least `bytes` on the stream (grown, never shrunk).
void *workspace(size_t bytes) {
  Plans &p = plans();
  if (bytes <= p.workspaceBytes) return reinterpret_cast<void *>(p.workspace);
  Driver &d = nnc::rt::cuda::requireDriver();
  if (p.workspace) nnc::rt::cuda::check(d.cuMemFreeAsync(p.workspace, d.stream), "cuMemFreeAsync (cuDNN workspace)");
  nnc::rt::cuda::check(d.cuMemAllocAsync(&p.workspace, bytes, d.stream), "cuMemAllocAsync (cuDNN workspace)");
  p.workspaceBytes = bytes;
  return reinterpret_cast<void *>(p.workspace);
}

template <typename T>
void convolve(Kind kind, const Geometry &g, int64_t a, int64_t b, int64_t out) {
  Cudnn &c = cudnn();
  constexpr cudnnDataType_t type = sizeof(T) == 8 ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT;
  Plans &all = plans();
  std::lock_guard<std::mutex> lock(all.mutex);
  std::array<int64_t, 16> key{kind, int64_t(type), g.n, g.c, g.h, g.w, g.k, g.r, g.s, g.padH, g.padW,
                              g.strideH, g.strideW, g.dilationH, g.dilationW, g.groups};
  auto it = all.byKey.find(key);
  if (it == all.byKey.end()) it = all.byKey.emplace(key, makePlan(kind, type, g)).first;
  const Plan &p = it->second;
  nnc::rt::cuda::ProfileScope scope([&] {
    const char *names[] = {"forward", "backward data", "backward filter"};
    return std::string("cuDNN ") + names[kind] + " n" + std::to_string(g.n) + " c" + std::to_string(g.c) + " " +
           std::to_string(g.h) + "x" + std::to_string(g.w) + " k" + std::to_string(g.k) + " " + std::to_string(g.r) +
           "x" + std::to_string(g.s) + " algo " + std::to_string(p.algo);
  });
  void *ws = workspace(p.workspace);
  const T one = 1, zero = 0;
  auto *pa = reinterpret_cast<const void *>(a), *pb = reinterpret_cast<const void *>(b);
  auto *po = reinterpret_cast<void *>(out);
  if (kind == kForward)
    check(c.cudnnConvolutionForward(c.handle, &one, p.x, pa, p.filter, pb, p.conv, cudnnConvolutionFwdAlgo_t(p.algo),
                                    ws, p.workspace, &zero, p.y, po),
          "cudnnConvolutionForward");
  else if (kind == kBackwardData)
    check(c.cudnnConvolutionBackwardData(c.handle, &one, p.filter, pb, p.y, pa, p.conv,
                                         cudnnConvolutionBwdDataAlgo_t(p.algo), ws, p.workspace, &zero, p.x, po),
          "cudnnConvolutionBackwardData");
  else
    check(c.cudnnConvolutionBackwardFilter(c.handle, &one, p.x, pa, p.y, pb, p.conv,
                                           cudnnConvolutionBwdFilterAlgo_t(p.algo), ws, p.workspace, &zero, p.filter, po),
          "cudnnConvolutionBackwardFilter");
}

} // namespace

// Operands: forward (x, w) → y; backward data (dy, w) → dx; backward filter (x, dy) → dw.
#define NNC_CONV_ENTRY(name, kind, T)                                                                          \
  extern "C" void name(int64_t n, int64_t c, int64_t h, int64_t w, int64_t k, int64_t r, int64_t s,          \
                       int64_t padH, int64_t padW, int64_t strideH, int64_t strideW, int64_t dilationH,       \
                       int64_t dilationW, int64_t groups, int64_t a, int64_t b, int64_t out) {                 \
    convolve<T>(kind, Geometry{n, c, h, w, k, r, s, padH, padW, strideH, strideW, dilationH, dilationW, groups}, \
                a, b, out);                                                                                    \
  }
NNC_CONV_ENTRY(nnc_cuda_conv_forward_f32, kForward, float)
NNC_CONV_ENTRY(nnc_cuda_conv_forward_f64, kForward, double)
NNC_CONV_ENTRY(nnc_cuda_conv_backward_data_f32, kBackwardData, float)
NNC_CONV_ENTRY(nnc_cuda_conv_backward_data_f64, kBackwardData, double)
NNC_CONV_ENTRY(nnc_cuda_conv_backward_filter_f32, kBackwardFilter, float)
NNC_CONV_ENTRY(nnc_cuda_conv_backward_filter_f64, kBackwardFilter, double)
#undef NNC_CONV_ENTRY
