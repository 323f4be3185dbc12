// The portable micro-kernel (no instruction-set flags: the compiler vectorizes the
// fixed-size loops for the baseline of the target), for CPUs without AVX-512.
#include "kernels/GemmBlocked.h"

namespace nnc::rt::kernels {
namespace {

template <class Elem, int Rows, int Cols> struct PortableKernel {
  using T = Elem;
  static constexpr int MR = Rows, NR = Cols;

  static void run(int64_t kc, const T *a, const T *b, int64_t ldb, T *c, int64_t ldc, int rows, int cols,
                  bool overwrite, const T *rowBias, const T *colBias) {
    T acc[MR][NR] = {};
    for (int64_t p = 0; p < kc; ++p, a += MR, b += ldb)
      for (int i = 0; i < MR; ++i)
        for (int j = 0; j < NR; ++j) acc[i][j] += a[i] * b[j];
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) {
        T start = !overwrite ? c[i * ldc + j] : rowBias ? rowBias[i] : colBias ? colBias[j] : T(0);
        c[i * ldc + j] = start + acc[i][j];
      }
  }
};

} // namespace

void gemmGenericF32(const GemmProblem &p, const float *a, const float *b, float *c, int threads) {
  BlockedGemm<PortableKernel<float, 4, 16>>::run(p, a, b, c, threads);
}

void gemmGenericF64(const GemmProblem &p, const double *a, const double *b, double *c, int threads) {
  BlockedGemm<PortableKernel<double, 4, 8>>::run(p, a, b, c, threads);
}

} // namespace nnc::rt::kernels
