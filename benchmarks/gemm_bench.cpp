// GEMM kernels on the matrix-product shapes of the MLP's train step (784-512-512-10,
// batch 64 and 256): nnc's kernels (runtime/src/kernels) next to OpenBLAS (loaded at run
// time when installed: libopenblas.so.0; OPENBLAS_CORETYPE=SkylakeX picks its AVX-512
// kernel) and the machine's measured peak (FMA throughput of one core, `Peak`).
// Counters: GFLOPS (2·m·n·k per product) and pct_of_peak (per thread used).
//   build/default/bin/gemm_bench --benchmark_counters_tabular=true
#include "kernels/Gemm.h"

#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <immintrin.h>
#include <omp.h>

#include <chrono>
#include <string>
#include <vector>

namespace {
using nnc::rt::kernels::GemmProblem;

// FMA throughput: 16 independent accumulator chains (4-cycle latency × 2 ports × 2).
__attribute__((target("avx512f,fma"))) double peakFlopsOneCore(int64_t iterations) {
  __m512 acc[16];
  for (auto &a : acc) a = _mm512_set1_ps(0.f);
  __m512 x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.9999999f);
  for (int64_t i = 0; i < iterations; ++i)
    for (auto &a : acc) a = _mm512_fmadd_ps(a, x, y);
  __m512 sum = acc[0];
  for (int i = 1; i < 16; ++i) sum = _mm512_add_ps(sum, acc[i]);
  benchmark::DoNotOptimize(sum);
  return double(iterations) * 16 * 16 * 2;
}

double gPeakPerCore = 0; // GFLOP/s, set by the Peak benchmark (run first)

void Peak(benchmark::State &state) {
  if (!nnc::rt::kernels::cpuHasAvx512()) return state.SkipWithError("no AVX-512");
  double flops = 0;
  for (auto _ : state) flops += peakFlopsOneCore(1 << 20);
  state.counters["GFLOPS"] = benchmark::Counter(flops / 1e9, benchmark::Counter::kIsRate);
}
BENCHMARK(Peak)->UseRealTime()->Unit(benchmark::kMillisecond);

using Sgemm = void (*)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
using SetThreads = void (*)(int);
struct OpenBlas {
  Sgemm sgemm = nullptr;
  SetThreads setThreads = nullptr;
};
const OpenBlas &openblas() {
  static OpenBlas o = [] {
    OpenBlas r;
    if (void *lib = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL)) {
      r.sgemm = reinterpret_cast<Sgemm>(dlsym(lib, "cblas_sgemm"));
      r.setThreads = reinterpret_cast<SetThreads>(dlsym(lib, "openblas_set_num_threads"));
    }
    return r;
  }();
  return o;
}

// Arguments: m, n, k, transA, transB, threads, implementation (0 nnc, 1 OpenBLAS).
void Gemm(benchmark::State &state) {
  GemmProblem p{1, state.range(0), state.range(1), state.range(2), state.range(3) != 0, state.range(4) != 0};
  int threads = int(state.range(5));
  bool blas = state.range(6) == 1;
  if (blas && !openblas().sgemm) return state.SkipWithError("libopenblas.so.0 not installed (apt install libopenblas0)");
  std::vector<float> a(p.m * p.k, 0.5f), b(p.k * p.n, 0.25f), c(p.m * p.n, 0.f);
  omp_set_num_threads(threads);
  if (blas) openblas().setThreads(threads);
  for (auto _ : state) {
    if (blas) {
      constexpr int kRowMajor = 101, kNoTrans = 111, kTrans = 112;
      openblas().sgemm(kRowMajor, p.transA ? kTrans : kNoTrans, p.transB ? kTrans : kNoTrans, int(p.m), int(p.n),
                       int(p.k), 1.f, a.data(), int(p.transA ? p.m : p.k), b.data(), int(p.transB ? p.k : p.n), 1.f,
                       c.data(), int(p.n));
    } else {
      nnc_cpu_gemm_f32(1, p.m, p.n, p.k, p.transA, p.transB, 1, int64_t(a.data()), int64_t(b.data()),
                       int64_t(c.data()));
    }
    benchmark::ClobberMemory();
  }
  double flops = 2.0 * double(p.m) * double(p.n) * double(p.k);
  state.counters["GFLOPS"] = benchmark::Counter(flops / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  if (gPeakPerCore > 0)
    state.counters["pct_of_peak"] = benchmark::Counter(flops / 1e9 / (gPeakPerCore * threads) * 100,
                                                       benchmark::Counter::kIsIterationInvariantRate);
  state.SetLabel(blas ? "openblas" : "nnc");
}

void mlpShapes(benchmark::internal::Benchmark *b) {
  b->ArgNames({"m", "n", "k", "tA", "tB", "threads", "openblas"});
  for (int64_t batch : {64, 256})
    for (int64_t threads : {1, 2})
      for (int64_t impl : {0, 1}) {
        // forward x·Wᵀ, input gradient dY·W, weight gradient dYᵀ·X (784-512 layer), then
        // the 512-512 layer's forward.
        b->Args({batch, 512, 784, 0, 1, threads, impl});
        b->Args({batch, 784, 512, 0, 0, threads, impl});
        b->Args({512, 784, batch, 1, 0, threads, impl});
        b->Args({batch, 512, 512, 0, 1, threads, impl});
      }
  // The reference product (256×784)·(784×512), both operands stored as used.
  for (int64_t threads : {1, 2})
    for (int64_t impl : {0, 1}) b->Args({256, 512, 784, 0, 0, threads, impl});
}
BENCHMARK(Gemm)->Apply(mlpShapes)->UseRealTime()->Unit(benchmark::kMicrosecond);

// LeNet-5's convolutions at batch 64 as the CPU backend runs them (im2col + products,
// docs/backend-cpu.md): conv1 (1→6 channels, 5×5, 28×28 outputs) forward W·col and
// filter gradient dY·colᵀ; conv2 (6→16, 10×10 outputs) forward, filter gradient and
// data gradient Wᵀ·dY. Few output rows from long columns: packing matters more than in
// the MLP's products.
void lenet5ConvShapes(benchmark::internal::Benchmark *b) {
  b->ArgNames({"m", "n", "k", "tA", "tB", "threads", "openblas"});
  for (int64_t threads : {1, 2})
    for (int64_t impl : {0, 1}) {
      b->Args({6, 64 * 28 * 28, 25, 0, 0, threads, impl});
      b->Args({6, 25, 64 * 28 * 28, 0, 1, threads, impl});
      b->Args({16, 64 * 10 * 10, 150, 0, 0, threads, impl});
      b->Args({16, 150, 64 * 10 * 10, 0, 1, threads, impl});
      b->Args({150, 64 * 10 * 10, 16, 1, 0, threads, impl});
    }
}
BENCHMARK(Gemm)->Name("ConvGemm")->Apply(lenet5ConvShapes)->UseRealTime()->Unit(benchmark::kMicrosecond);

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (nnc::rt::kernels::cpuHasAvx512()) {
    auto start = std::chrono::steady_clock::now();
    double flops = peakFlopsOneCore(1 << 24);
    gPeakPerCore = flops / 1e9 / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    benchmark::AddCustomContext("peak_gflops_one_core", std::to_string(gPeakPerCore));
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
