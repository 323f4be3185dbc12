// The matrix-product kernels (runtime/src/kernels) against the reference triple loop:
// every orientation, sizes around the tile edges, batches, f32 and f64, the AVX-512 and
// the portable kernels, one and two threads (results must be bit-identical across thread
// counts).
#include "kernels/Gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace {
using namespace nnc::rt::kernels;

template <class T> std::vector<T> randomValues(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  std::vector<T> v(n);
  for (T &x : v) x = T(u(rng));
  return v;
}

template <class T> using Impl = void (*)(const GemmProblem &, const T *, const T *, T *, int);

// Runs `impl` on a random problem and compares with the reference: relative to the sum
// of |a·b| terms, within `tolerance`; returns the result for thread-count comparisons.
template <class T>
std::vector<T> checkAgainstReference(Impl<T> impl, void (*ref)(const GemmProblem &, const T *, const T *, T *),
                                     const GemmProblem &p, int threads, double tolerance) {
  auto a = randomValues<T>(p.batch * p.m * p.k, 1), b = randomValues<T>(p.batch * p.k * p.n, 2);
  auto c = randomValues<T>(p.batch * p.m * p.n, 3), expected = c;
  impl(p, a.data(), b.data(), c.data(), threads);
  ref(p, a.data(), b.data(), expected.data());
  for (size_t i = 0; i < c.size(); ++i) {
    double scale = double(p.k) + 1;
    EXPECT_NEAR(double(c[i]), double(expected[i]), tolerance * scale)
        << "element " << i << " of batch=" << p.batch << " m=" << p.m << " n=" << p.n << " k=" << p.k
        << " transA=" << p.transA << " transB=" << p.transB << " threads=" << threads;
    if (std::abs(double(c[i]) - double(expected[i])) > tolerance * scale) break;
  }
  return c;
}

struct Shape {
  int64_t batch, m, n, k;
};
// Sizes below, at and beyond the micro-tiles (8×48 f32, 8×24 f64) and the cache blocks
// (k 256, m 144), the MLP's and LeNet-5's products, and small C from long k (the dot
// product path of convolution weight gradients: k in chunks of 1024, odd rows/columns);
// up to 16 rows with B as stored, the micro-kernel reads B in place (a ragged last panel
// packed), also across column blocks of 2016 (5×2100×300).
const Shape kShapes[] = {{1, 1, 1, 1},     {1, 7, 5, 3},      {1, 8, 48, 16},  {1, 9, 49, 17},  {1, 17, 100, 300},
                         {3, 13, 31, 29},  {2, 150, 70, 513}, {1, 64, 512, 784}, {1, 512, 784, 64}, {1, 64, 10, 512},
                         {4, 2, 3, 1000},  {1, 6, 25, 5000}, {1, 16, 150, 6400}, {1, 3, 7, 4099},
                         {1, 5, 2100, 300}};

template <class T>
void checkAll(Impl<T> impl, void (*ref)(const GemmProblem &, const T *, const T *, T *), double tolerance) {
  for (const Shape &s : kShapes)
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        // C = A·B (overwrite) in half of the orientations, C += A·B in the others; the
        // overwriting ones also with a bias epilogue along the rows and the columns.
        GemmProblem p{s.batch, s.m, s.n, s.k, ta != 0, tb != 0, ta == tb};
        auto one = checkAgainstReference<T>(impl, ref, p, 1, tolerance);
        auto two = checkAgainstReference<T>(impl, ref, p, 2, tolerance);
        ASSERT_EQ(one, two) << "thread counts disagree: m=" << s.m << " n=" << s.n << " k=" << s.k;
        if (p.accumulate) continue;
        for (bool perColumn : {false, true}) {
          auto bias = randomValues<T>(perColumn ? s.n : s.m, 4);
          p.bias = bias.data(), p.biasPerColumn = perColumn;
          auto withBias = checkAgainstReference<T>(impl, ref, p, 2, tolerance);
          ASSERT_EQ(withBias, checkAgainstReference<T>(impl, ref, p, 1, tolerance))
              << "thread counts disagree with a bias: m=" << s.m << " n=" << s.n << " k=" << s.k;
        }
      }
}

TEST(Gemm, PortableF32MatchesReference) { checkAll<float>(gemmGenericF32, gemmReferenceF32, 1e-6); }
TEST(Gemm, PortableF64MatchesReference) { checkAll<double>(gemmGenericF64, gemmReferenceF64, 1e-14); }

TEST(Gemm, Avx512F32MatchesReference) {
  if (!cpuHasAvx512()) GTEST_SKIP() << "this CPU has no AVX-512";
  checkAll<float>(gemmAvx512F32, gemmReferenceF32, 1e-6);
}
TEST(Gemm, Avx512F64MatchesReference) {
  if (!cpuHasAvx512()) GTEST_SKIP() << "this CPU has no AVX-512";
  checkAll<double>(gemmAvx512F64, gemmReferenceF64, 1e-14);
}

// The C entry points accumulate into C (the bias a linear layer starts from), or
// overwrite it.
TEST(Gemm, EntryPointAccumulatesIntoC) {
  std::vector<float> a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = {1, 1, 1, 1};
  nnc_cpu_gemm_f32(1, 2, 2, 2, 0, 0, 1, int64_t(a.data()), int64_t(b.data()), int64_t(c.data()));
  EXPECT_EQ(c, (std::vector<float>{20, 23, 44, 51}));
  std::vector<double> ad = {1, 2, 3, 4}, bd = {5, 6, 7, 8}, cd = {0, 0, 0, 0};
  nnc_cpu_gemm_f64(1, 2, 2, 2, 1, 1, 1, int64_t(ad.data()), int64_t(bd.data()), int64_t(cd.data()));
  EXPECT_EQ(cd, (std::vector<double>{23, 31, 34, 46})); // Aᵀ·Bᵀ
  // Without accumulate, C's old contents (here NaN) are overwritten.
  std::vector<float> nan(4, std::nanf(""));
  nnc_cpu_gemm_f32(1, 2, 2, 2, 0, 0, 0, int64_t(a.data()), int64_t(b.data()), int64_t(nan.data()));
  EXPECT_EQ(nan, (std::vector<float>{19, 22, 43, 50}));
}

// The bias entry points overwrite C with the product plus a bias per row or column.
TEST(Gemm, BiasEntryPointsAddTheBiasOnce) {
  std::vector<float> a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, rows = {100, 200}, c(4, std::nanf(""));
  nnc_cpu_gemm_bias_f32(1, 2, 2, 2, 0, 0, 0, int64_t(a.data()), int64_t(b.data()), int64_t(c.data()),
                        int64_t(rows.data()));
  EXPECT_EQ(c, (std::vector<float>{119, 122, 243, 250}));
  std::vector<double> ad = {1, 2, 3, 4}, bd = {5, 6, 7, 8}, columns = {10, 20}, cd(4, std::nan(""));
  nnc_cpu_gemm_bias_f64(1, 2, 2, 2, 0, 0, 1, int64_t(ad.data()), int64_t(bd.data()), int64_t(cd.data()),
                        int64_t(columns.data()));
  EXPECT_EQ(cd, (std::vector<double>{29, 42, 53, 70}));
}

} // namespace
