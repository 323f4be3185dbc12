// nnc_cpu_gemm_f32/f64: the calls nn-gemm-to-call emits. They pick the instruction set
// once and split the work over the OpenMP threads the compiled code runs on.
#include "kernels/Gemm.h"
#include "kernels/GemmProfile.h"

#include <omp.h>

#include <chrono>

#include <cstdlib>
#include <cstring>

namespace nnc::rt::kernels {

bool cpuHasAvx512() {
  static const bool has = [] {
    const char *isa = std::getenv("NNC_GEMM_ISA");
    if (isa && std::strcmp(isa, "generic") == 0) return false;
#if NNC_KERNELS_AVX512
    return bool(__builtin_cpu_supports("avx512f"));
#else
    return false;
#endif
  }();
  return has;
}

namespace {

int availableThreads() { return omp_in_parallel() ? 1 : omp_get_max_threads(); }

// One product on the kernels of this CPU's instruction set.
template <class T>
void dispatch(GemmProblem p, int64_t a, int64_t b, int64_t c,
              void (*avx512)(const GemmProblem &, const T *, const T *, T *, int),
              void (*generic)(const GemmProblem &, const T *, const T *, T *, int)) {
  auto *pa = reinterpret_cast<const T *>(a), *pb = reinterpret_cast<const T *>(b);
  auto *pc = reinterpret_cast<T *>(c);
  auto kernel = cpuHasAvx512() && avx512 ? avx512 : generic;
  if (!gemmProfiling()) return kernel(p, pa, pb, pc, availableThreads());
  auto start = std::chrono::steady_clock::now();
  kernel(p, pa, pb, pc, availableThreads());
  recordGemm(p, int(sizeof(T)), std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

#if NNC_KERNELS_AVX512
constexpr auto kAvx512F32 = gemmAvx512F32;
constexpr auto kAvx512F64 = gemmAvx512F64;
#else
constexpr void (*kAvx512F32)(const GemmProblem &, const float *, const float *, float *, int) = nullptr;
constexpr void (*kAvx512F64)(const GemmProblem &, const double *, const double *, double *, int) = nullptr;
#endif

} // namespace
} // namespace nnc::rt::kernels

using namespace nnc::rt::kernels;

extern "C" void nnc_cpu_gemm_f32(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                                 int64_t accumulate, int64_t a, int64_t b, int64_t c) {
  dispatch<float>({batch, m, n, k, transA != 0, transB != 0, accumulate != 0}, a, b, c, kAvx512F32, gemmGenericF32);
}

extern "C" void nnc_cpu_gemm_f64(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                                 int64_t accumulate, int64_t a, int64_t b, int64_t c) {
  dispatch<double>({batch, m, n, k, transA != 0, transB != 0, accumulate != 0}, a, b, c, kAvx512F64, gemmGenericF64);
}

extern "C" void nnc_cpu_gemm_bias_f32(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                                      int64_t biasPerColumn, int64_t a, int64_t b, int64_t c, int64_t bias) {
  GemmProblem p{batch, m, n, k, transA != 0, transB != 0, false, reinterpret_cast<const void *>(bias), biasPerColumn != 0};
  dispatch<float>(p, a, b, c, kAvx512F32, gemmGenericF32);
}

extern "C" void nnc_cpu_gemm_bias_f64(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                                      int64_t biasPerColumn, int64_t a, int64_t b, int64_t c, int64_t bias) {
  GemmProblem p{batch, m, n, k, transA != 0, transB != 0, false, reinterpret_cast<const void *>(bias), biasPerColumn != 0};
  dispatch<double>(p, a, b, c, kAvx512F64, gemmGenericF64);
}
