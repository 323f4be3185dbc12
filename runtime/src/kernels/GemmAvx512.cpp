// The AVX-512 micro-kernel (compiled with -mavx512f -mfma; called only where the CPU has
// AVX-512 F): an MR×(NV·lanes) tile of C in MR·NV zmm accumulators, one broadcast of
// A and NV loads of B per k.
#include "kernels/GemmBlocked.h"

#include <immintrin.h>

namespace nnc::rt::kernels {
namespace {

template <class T> struct Zmm;

template <> struct Zmm<float> {
  using V = __m512;
  static constexpr int kLanes = 16;
  static V zero() { return _mm512_setzero_ps(); }
  static V load(const float *p) { return _mm512_load_ps(p); }
  static V broadcast(const float *p) { return _mm512_set1_ps(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static void addTo(float *p, V v) { _mm512_storeu_ps(p, _mm512_add_ps(_mm512_loadu_ps(p), v)); }
  static void addTo(float *p, V v, int lanes) {
    __mmask16 m = __mmask16((1u << lanes) - 1);
    _mm512_mask_storeu_ps(p, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, p), v));
  }
};

template <> struct Zmm<double> {
  using V = __m512d;
  static constexpr int kLanes = 8;
  static V zero() { return _mm512_setzero_pd(); }
  static V load(const double *p) { return _mm512_load_pd(p); }
  static V broadcast(const double *p) { return _mm512_set1_pd(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static void addTo(double *p, V v) { _mm512_storeu_pd(p, _mm512_add_pd(_mm512_loadu_pd(p), v)); }
  static void addTo(double *p, V v, int lanes) {
    __mmask8 m = __mmask8((1u << lanes) - 1);
    _mm512_mask_storeu_pd(p, m, _mm512_add_pd(_mm512_maskz_loadu_pd(m, p), v));
  }
};

template <class Elem, int Rows, int Vectors> struct Avx512Kernel {
  using T = Elem;
  using Z = Zmm<T>;
  static constexpr int MR = Rows, NR = Vectors * Z::kLanes;

  static void run(int64_t kc, const T *a, const T *b, T *c, int64_t ldc, int rows, int cols) {
    typename Z::V acc[MR][Vectors];
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; ++i)
#pragma clang loop unroll(full)
      for (int v = 0; v < Vectors; ++v) acc[i][v] = Z::zero();
    for (int64_t p = 0; p < kc; ++p, a += MR, b += NR) {
      typename Z::V bv[Vectors];
#pragma clang loop unroll(full)
      for (int v = 0; v < Vectors; ++v) bv[v] = Z::load(b + v * Z::kLanes);
#pragma clang loop unroll(full)
      for (int i = 0; i < MR; ++i) {
        typename Z::V av = Z::broadcast(a + i);
#pragma clang loop unroll(full)
        for (int v = 0; v < Vectors; ++v) acc[i][v] = Z::fma(av, bv[v], acc[i][v]);
      }
    }
    // Constant indices only (a loop to `rows` would put the accumulators in memory).
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; ++i) {
      if (i >= rows) break;
#pragma clang loop unroll(full)
      for (int v = 0; v < Vectors; ++v) {
        int lanes = cols - v * Z::kLanes;
        if (lanes >= Z::kLanes) Z::addTo(c + i * ldc + v * Z::kLanes, acc[i][v]);
        else if (lanes > 0) Z::addTo(c + i * ldc + v * Z::kLanes, acc[i][v], lanes);
      }
    }
  }
};

} // namespace

void gemmAvx512F32(const GemmProblem &p, const float *a, const float *b, float *c, int threads) {
  BlockedGemm<Avx512Kernel<float, 8, 3>>::run(p, a, b, c, threads);
}

void gemmAvx512F64(const GemmProblem &p, const double *a, const double *b, double *c, int threads) {
  BlockedGemm<Avx512Kernel<double, 8, 3>>::run(p, a, b, c, threads);
}

} // namespace nnc::rt::kernels
