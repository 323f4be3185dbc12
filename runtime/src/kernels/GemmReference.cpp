// The reference product: one dot product per element of C, in k order.
#include "kernels/Gemm.h"

namespace nnc::rt::kernels {
namespace {

template <class T> void reference(const GemmProblem &p, const T *a, const T *b, T *c) {
  auto *bias = static_cast<const T *>(p.bias);
  for (int64_t s = 0; s < p.batch; ++s, a += p.m * p.k, b += p.k * p.n, c += p.m * p.n)
    for (int64_t i = 0; i < p.m; ++i)
      for (int64_t j = 0; j < p.n; ++j) {
        T sum = 0;
        for (int64_t q = 0; q < p.k; ++q)
          sum += (p.transA ? a[q * p.m + i] : a[i * p.k + q]) * (p.transB ? b[j * p.k + q] : b[q * p.n + j]);
        T start = p.accumulate ? c[i * p.n + j] : bias ? bias[p.biasPerColumn ? j : i] : T(0);
        c[i * p.n + j] = start + sum;
      }
}

} // namespace

void gemmReferenceF32(const GemmProblem &p, const float *a, const float *b, float *c) { reference(p, a, b, c); }
void gemmReferenceF64(const GemmProblem &p, const double *a, const double *b, double *c) { reference(p, a, b, c); }

} // namespace nnc::rt::kernels
