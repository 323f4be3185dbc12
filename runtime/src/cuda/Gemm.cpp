// nnc_cuda_gemm_f32/f64: what nn-gemm-to-call (prefix nnc_cuda_gemm) calls for a matrix product. cuBLAS is
// loaded at run time (libcublas.so.13) and runs on the model's stream, after the
// kernels before it and before those after it.
//
// Row-major C (m×n) (+)= op(A) · op(B) (beta 1 with `accumulate`, else 0) is, column-major, Cᵀ = op(B)ᵀ · op(A)ᵀ: cuBLAS gets
// B first, with n and m swapped; a row-major operand stored untransposed is its own
// transpose column-major, so `trans` flags map to cuBLAS's N/T directly.
#include "cuda/CudaDriver.h"
#include "cuda/Profile.h"

#include <dlfcn.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using Handle = void *;
using Create = int (*)(Handle *);
using SetStream = int (*)(Handle, CUstream);
using SgemmBatched = int (*)(Handle, int, int, int, int, int, const float *, const float *, int, long long,
                             const float *, int, long long, const float *, float *, int, long long, int);
using DgemmBatched = int (*)(Handle, int, int, int, int, int, const double *, const double *, int, long long,
                             const double *, int, long long, const double *, double *, int, long long, int);
constexpr int kOpN = 0, kOpT = 1; // CUBLAS_OP_N, CUBLAS_OP_T

struct Cublas {
  Handle handle = nullptr;
  SgemmBatched sgemm = nullptr;
  DgemmBatched dgemm = nullptr;
};

[[noreturn]] void fail(const std::string &why) { nnc::rt::cuda::libraryFailure("cuBLAS", why); }

Cublas load() {
  nnc::rt::cuda::Driver *d = &nnc::rt::cuda::requireDriver();
  void *lib = nnc::rt::cuda::openToolkitLibrary("libcublas.so.13");
  if (!lib) fail("libcublas.so.13 was not found (install the CUDA 13 cuBLAS library, or compile with --cuda-gemm=loops)");
  Cublas c;
  auto create = reinterpret_cast<Create>(dlsym(lib, "cublasCreate_v2"));
  auto setStream = reinterpret_cast<SetStream>(dlsym(lib, "cublasSetStream_v2"));
  c.sgemm = reinterpret_cast<SgemmBatched>(dlsym(lib, "cublasSgemmStridedBatched"));
  c.dgemm = reinterpret_cast<DgemmBatched>(dlsym(lib, "cublasDgemmStridedBatched"));
  if (!create || !setStream || !c.sgemm || !c.dgemm) fail("libcublas.so.13 lacks the functions nnc calls");
  if (int s = create(&c.handle)) fail("cublasCreate failed with status " + std::to_string(s));
  if (int s = setStream(c.handle, d->stream)) fail("cublasSetStream failed with status " + std::to_string(s));
  return c;
}

Cublas &cublas() {
  static Cublas c = load();
  return c;
}

template <typename T, typename Fn>
void gemm(Fn fn, int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
          int64_t accumulate, int64_t a, int64_t b, int64_t c) {
  Cublas &cb = cublas();
  nnc::rt::cuda::ProfileScope scope([&] {
    return "cuBLAS gemm " + std::to_string(batch) + "x" + std::to_string(m) + "x" + std::to_string(n) + "x" +
           std::to_string(k) + (transA ? " At" : "") + (transB ? " Bt" : "");
  });
  const T one = 1, beta = accumulate ? 1 : 0;
  int lda = int(transA ? m : k), ldb = int(transB ? k : n);
  int status = fn(cb.handle, transB ? kOpT : kOpN, transA ? kOpT : kOpN, int(n), int(m), int(k), &one,
                  reinterpret_cast<const T *>(b), ldb, (long long)(k * n), reinterpret_cast<const T *>(a), lda,
                  (long long)(m * k), &beta, reinterpret_cast<T *>(c), int(n), (long long)(m * n), int(batch));
  if (status) fail("GEMM failed with status " + std::to_string(status));
}

} // namespace

extern "C" {

void nnc_cuda_gemm_f32(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                       int64_t accumulate, int64_t a, int64_t b, int64_t c) {
  gemm<float>(cublas().sgemm, batch, m, n, k, transA, transB, accumulate, a, b, c);
}

void nnc_cuda_gemm_f64(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                       int64_t accumulate, int64_t a, int64_t b, int64_t c) {
  gemm<double>(cublas().dgemm, batch, m, n, k, transA, transB, accumulate, a, b, c);
}

} // extern "C"
