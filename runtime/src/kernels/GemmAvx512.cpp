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
  static V load(const float *p) { return _mm512_loadu_ps(p); }
  static V load(const float *p, int lanes) { return _mm512_maskz_loadu_ps(__mmask16((1u << lanes) - 1), p); }
  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V broadcast(const float *p) { return _mm512_set1_ps(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static void addTo(float *p, V v) { _mm512_storeu_ps(p, _mm512_add_ps(_mm512_loadu_ps(p), v)); }
  static void addTo(float *p, V v, int lanes) {
    __mmask16 m = __mmask16((1u << lanes) - 1);
    _mm512_mask_storeu_ps(p, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, p), v));
  }
  static void store(float *p, V v) { _mm512_storeu_ps(p, v); }
  static void store(float *p, V v, int lanes) { _mm512_mask_storeu_ps(p, __mmask16((1u << lanes) - 1), v); }
};

template <> struct Zmm<double> {
  using V = __m512d;
  static constexpr int kLanes = 8;
  static V zero() { return _mm512_setzero_pd(); }
  static V load(const double *p) { return _mm512_loadu_pd(p); }
  static V load(const double *p, int lanes) { return _mm512_maskz_loadu_pd(__mmask8((1u << lanes) - 1), p); }
  static V add(V a, V b) { return _mm512_add_pd(a, b); }
  static V broadcast(const double *p) { return _mm512_set1_pd(*p); }
  static V fma(V a, V b, V c) { return _mm512_fmadd_pd(a, b, c); }
  static void addTo(double *p, V v) { _mm512_storeu_pd(p, _mm512_add_pd(_mm512_loadu_pd(p), v)); }
  static void addTo(double *p, V v, int lanes) {
    __mmask8 m = __mmask8((1u << lanes) - 1);
    _mm512_mask_storeu_pd(p, m, _mm512_add_pd(_mm512_maskz_loadu_pd(m, p), v));
  }
  static void store(double *p, V v) { _mm512_storeu_pd(p, v); }
  static void store(double *p, V v, int lanes) { _mm512_mask_storeu_pd(p, __mmask8((1u << lanes) - 1), v); }
};

template <class Elem, int Rows, int Vectors> struct Avx512Kernel {
  using T = Elem;
  using Z = Zmm<T>;
  static constexpr int MR = Rows, NR = Vectors * Z::kLanes;

  static void run(int64_t kc, const T *a, const T *b, int64_t ldb, T *c, int64_t ldc, int rows, int cols,
                  bool overwrite, const T *rowBias, const T *colBias) {
    typename Z::V acc[MR][Vectors];
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; ++i)
#pragma clang loop unroll(full)
      for (int v = 0; v < Vectors; ++v) acc[i][v] = Z::zero();
    for (int64_t p = 0; p < kc; ++p, a += MR, b += ldb) {
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
    // The bias epilogue: C = (the tile's sum) + bias, as the bias would have been added
    // had C started from it.
    if (overwrite && (rowBias || colBias)) {
#pragma clang loop unroll(full)
      for (int i = 0; i < MR; ++i) {
        if (i >= rows) break;
#pragma clang loop unroll(full)
        for (int v = 0; v < Vectors; ++v) {
          int lanes = std::min(cols - v * Z::kLanes, Z::kLanes);
          if (lanes <= 0) continue;
          acc[i][v] = Z::add(acc[i][v], rowBias ? Z::broadcast(rowBias + i) : Z::load(colBias + v * Z::kLanes, lanes));
        }
      }
    }
    // Constant indices only (a loop to `rows` would put the accumulators in memory).
#pragma clang loop unroll(full)
    for (int i = 0; i < MR; ++i) {
      if (i >= rows) break;
#pragma clang loop unroll(full)
      for (int v = 0; v < Vectors; ++v) {
        int lanes = cols - v * Z::kLanes;
        T *at = c + i * ldc + v * Z::kLanes;
        if (lanes >= Z::kLanes) overwrite ? Z::store(at, acc[i][v]) : Z::addTo(at, acc[i][v]);
        else if (lanes > 0) overwrite ? Z::store(at, acc[i][v], lanes) : Z::addTo(at, acc[i][v], lanes);
      }
    }
  }
};

// Packs one NR-column panel of a transposed f32 B (column j of op(B) is the contiguous
// row b + j·ld): 8×8 blocks go through registers (the classic AVX transpose) so that
// both the loads and the stores are whole vectors; the ragged edges go one by one.
template <int NR> void packTransposedPanelF32(const float *b, int64_t ld, int64_t kc, int cols, float *out) {
  int64_t p = 0;
  for (; p + 8 <= kc; p += 8) {
    int j = 0;
    for (; j + 8 <= cols; j += 8) {
      __m256 r[8], t[8];
      for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(b + (j + i) * ld + p);
      for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
      }
      for (int i = 0; i < 8; i += 4) {
        r[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
        r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
        r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
      }
      // Each 128-bit half of r[i] holds 4 of the column's 8 values; combine the halves.
      __m256 o[8];
      o[0] = _mm256_permute2f128_ps(r[0], r[4], 0x20);
      o[1] = _mm256_permute2f128_ps(r[1], r[5], 0x20);
      o[2] = _mm256_permute2f128_ps(r[2], r[6], 0x20);
      o[3] = _mm256_permute2f128_ps(r[3], r[7], 0x20);
      o[4] = _mm256_permute2f128_ps(r[0], r[4], 0x31);
      o[5] = _mm256_permute2f128_ps(r[1], r[5], 0x31);
      o[6] = _mm256_permute2f128_ps(r[2], r[6], 0x31);
      o[7] = _mm256_permute2f128_ps(r[3], r[7], 0x31);
      for (int i = 0; i < 8; ++i) _mm256_storeu_ps(out + (p + i) * NR + j, o[i]);
    }
    for (; j < cols; ++j)
      for (int i = 0; i < 8; ++i) out[(p + i) * NR + j] = b[j * ld + p + i];
    for (int jj = cols; jj < NR; ++jj)
      for (int i = 0; i < 8; ++i) out[(p + i) * NR + jj] = 0.f;
  }
  for (; p < kc; ++p) {
    for (int j = 0; j < cols; ++j) out[p * NR + j] = b[j * ld + p];
    for (int j = cols; j < NR; ++j) out[p * NR + j] = 0.f;
  }
}

template <int Rows, int Vectors> struct Avx512KernelF32 : Avx512Kernel<float, Rows, Vectors> {
  static void packTransposedPanel(const float *b, int64_t ld, int64_t kc, int cols, float *out) {
    packTransposedPanelF32<Avx512KernelF32::NR>(b, ld, kc, cols, out);
  }
};

} // namespace

void gemmAvx512F32(const GemmProblem &p, const float *a, const float *b, float *c, int threads) {
  BlockedGemm<Avx512KernelF32<8, 3>>::run(p, a, b, c, threads);
}

void gemmAvx512F64(const GemmProblem &p, const double *a, const double *b, double *c, int threads) {
  BlockedGemm<Avx512Kernel<double, 8, 3>>::run(p, a, b, c, threads);
}

} // namespace nnc::rt::kernels
