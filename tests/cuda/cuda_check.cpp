// nnc_cuda_check DIR: runs the op cases that nnc_cuda_fixture compiled for CUDA
// (DIR/ops.so, DIR/cases.bin) on the GPU and compares every result element with the
// interpreter's (float64):
//     |gpu - interpreted| <= 1e-9 · max(1, max |interpreted|)
// Inputs are host buffers, so each call also exercises nnc_cuda_call's staging.
// Exit status: 0 all passed, 1 a mismatch or error, 77 no usable GPU (ctest: skipped).
// A case that ends its process (a CUDA error) fails and the others still run.
#include "CaseFile.h"

#include "cuda/CudaCall.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>

namespace {

constexpr double kTolerance = 1e-9;

struct HostBuffer {
  std::unique_ptr<void, decltype(&std::free)> data{nullptr, &std::free};
  explicit HostBuffer(const nnc_cuda_test::CaseTensor &t, bool fill) {
    size_t bytes = std::max<size_t>(64, (t.numel() * t.width() + 63) / 64 * 64);
    data.reset(std::aligned_alloc(64, bytes));
    std::memset(data.get(), 0, bytes);
    if (fill)
      for (size_t i = 0; i < t.numel(); ++i) set(t, i, t.values[i]);
  }
  void set(const nnc_cuda_test::CaseTensor &t, size_t i, double v) {
    switch (t.dtype) {
    case 0: static_cast<float *>(data.get())[i] = float(v); break;
    case 1: static_cast<double *>(data.get())[i] = v; break;
    case 2: static_cast<int32_t *>(data.get())[i] = int32_t(v); break;
    case 3: static_cast<int64_t *>(data.get())[i] = int64_t(v); break;
    default: static_cast<uint8_t *>(data.get())[i] = v != 0; break;
    }
  }
  double get(const nnc_cuda_test::CaseTensor &t, size_t i) const {
    switch (t.dtype) {
    case 0: return static_cast<const float *>(data.get())[i];
    case 1: return static_cast<const double *>(data.get())[i];
    case 2: return static_cast<const int32_t *>(data.get())[i];
    case 3: return double(static_cast<const int64_t *>(data.get())[i]);
    default: return static_cast<const uint8_t *>(data.get())[i];
    }
  }
};

// Runs cases [first, end) in this process; records the case in progress in `*current`
// so that the parent can name it when a CUDA error ends the process (exit 70).
int runCases(const std::vector<nnc_cuda_test::OpCase> &cases, size_t first, void *lib, volatile size_t *current,
             int *failed, double *worst) {
  for (size_t k = first; k < cases.size(); ++k) {
    const nnc_cuda_test::OpCase &c = cases[k];
    *current = k;
    double caseWorst = 0;
    bool ok = true;
    for (const nnc_cuda_test::CaseEntry &e : c.entries) {
      auto fn = reinterpret_cast<void (*)(void *const *)>(dlsym(lib, e.symbol.c_str()));
      if (!fn) {
        std::printf("FAIL %s: no symbol %s\n", c.name.c_str(), e.symbol.c_str());
        ok = false;
        continue;
      }
      std::vector<HostBuffer> buffers;
      for (const auto &a : e.args) buffers.emplace_back(a, true);
      for (const auto &r : e.results) buffers.emplace_back(r, false);
      std::vector<void *> pointers;
      for (HostBuffer &b : buffers) pointers.push_back(b.data.get());
      fn(pointers.data());
      for (size_t r = 0; r < e.results.size(); ++r) {
        const auto &want = e.results[r];
        const HostBuffer &got = buffers[e.args.size() + r];
        double diff = 0, scale = 1;
        for (size_t i = 0; i < want.numel(); ++i) {
          double d = std::abs(got.get(want, i) - want.values[i]);
          if (!(d <= diff)) diff = d; // NaN sticks
          scale = std::max(scale, std::abs(want.values[i]));
        }
        double rel = diff / scale;
        if (!(rel <= caseWorst)) caseWorst = rel;
        if (!(rel <= kTolerance)) {
          std::printf("FAIL %s: %s result %zu: relative error %.3g\n", c.name.c_str(), e.symbol.c_str(), r, rel);
          ok = false;
        }
      }
    }
    if (!(caseWorst <= *worst)) *worst = caseWorst;
    if (ok) std::printf("ok   %-40s max relative error %.3g\n", c.name.c_str(), caseWorst);
    *failed += !ok;
    std::fflush(stdout);
  }
  *current = cases.size();
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) return std::fprintf(stderr, "usage: nnc_cuda_check DIR\n"), 2;
  std::string dir = argv[1];
  std::vector<nnc_cuda_test::OpCase> cases;
  try {
    cases = nnc_cuda_test::Reader(dir + "/cases.bin").read();
  } catch (const std::exception &e) {
    return std::fprintf(stderr, "%s\n", e.what()), 1;
  }
  // Results shared with the children: a CUDA error (an illegal address, say) ends the
  // process that hit it, so each run of cases is a child; after a crash the next child
  // starts after the case that crashed. The parent never initializes CUDA (no fork after).
  struct Shared {
    size_t current;
    int failed;
    double worst;
    int skipped;
  };
  auto *shared = static_cast<Shared *>(
      mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  *shared = Shared{0, 0, 0, 0};
  size_t next = 0;
  while (next < cases.size()) {
    std::fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
      std::string why;
      if (!nnc::rt::cuda::available(&why)) {
        std::printf("SKIPPED: CUDA op checks need a GPU: %s\n", why.c_str());
        shared->skipped = 1;
        std::fflush(stdout);
        std::_Exit(0);
      }
      if (next == 0) std::printf("device: %s\n", nnc::rt::cuda::deviceName().c_str());
      void *lib = dlopen((dir + "/ops.so").c_str(), RTLD_NOW | RTLD_LOCAL);
      if (!lib) std::printf("dlopen: %s\n", dlerror()), std::fflush(stdout), std::_Exit(3);
      runCases(cases, next, lib, &shared->current, &shared->failed, &shared->worst);
      std::fflush(stdout);
      std::_Exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (shared->skipped) return 77;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 3) return 1;
    if (shared->current < cases.size()) {
      std::printf("FAIL %s: the process ended (%s %d) while running it\n", cases[shared->current].name.c_str(),
                  WIFEXITED(status) ? "exit status" : "signal", WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
      ++shared->failed;
      next = shared->current + 1;
    } else {
      next = cases.size();
    }
  }
  int failed = shared->failed;
  std::printf("%zu op cases on the GPU: %zu passed, %d failed; worst relative error %.3g (tolerance %.0e)\n",
              cases.size(), cases.size() - size_t(failed), failed, shared->worst, kTolerance);
  return failed == 0 ? 0 : 1;
}
