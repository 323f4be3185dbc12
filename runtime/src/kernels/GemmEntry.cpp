// nnc_cpu_gemm_f32/f64: the calls nn-gemm-to-call emits. They pick the instruction set
// once and split the work over the OpenMP threads the compiled code runs on.
#include "kernels/Gemm.h"

#include <omp.h>

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

GemmProblem problem(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                    int64_t accumulate) {
  return GemmProblem{batch, m, n, k, transA != 0, transB != 0, accumulate != 0};
}

} // namespace
} // namespace nnc::rt::kernels

using namespace nnc::rt::kernels;

extern "C" void nnc_cpu_gemm_f32(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                                 int64_t accumulate, int64_t a, int64_t b, int64_t c) {
  GemmProblem p = problem(batch, m, n, k, transA, transB, accumulate);
  auto *pa = reinterpret_cast<const float *>(a), *pb = reinterpret_cast<const float *>(b);
  auto *pc = reinterpret_cast<float *>(c);
#if NNC_KERNELS_AVX512
  if (cpuHasAvx512()) return gemmAvx512F32(p, pa, pb, pc, availableThreads());
#endif
  gemmGenericF32(p, pa, pb, pc, availableThreads());
}

extern "C" void nnc_cpu_gemm_f64(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                                 int64_t accumulate, int64_t a, int64_t b, int64_t c) {
  GemmProblem p = problem(batch, m, n, k, transA, transB, accumulate);
  auto *pa = reinterpret_cast<const double *>(a), *pb = reinterpret_cast<const double *>(b);
  auto *pc = reinterpret_cast<double *>(c);
#if NNC_KERNELS_AVX512
  if (cpuHasAvx512()) return gemmAvx512F64(p, pa, pb, pc, availableThreads());
#endif
  gemmGenericF64(p, pa, pb, pc, availableThreads());
}
