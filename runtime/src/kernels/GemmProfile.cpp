// NNC_GEMM_PROFILE: per-shape totals of matrix-product time (GemmProfile.h).
#include "kernels/GemmProfile.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace nnc::rt::kernels {

namespace {

using Shape = std::tuple<int64_t, int64_t, int64_t, int64_t, bool, bool, bool, int, bool>;

struct Totals {
  double seconds = 0;
  long calls = 0;
};

struct Profile {
  std::mutex mutex;
  std::map<Shape, Totals> byShape;
  ~Profile() {
    if (byShape.empty()) return;
    std::vector<std::pair<Shape, Totals>> rows(byShape.begin(), byShape.end());
    std::sort(rows.begin(), rows.end(), [](auto &a, auto &b) { return a.second.seconds > b.second.seconds; });
    double total = 0;
    for (auto &r : rows) total += r.second.seconds;
    std::fprintf(stderr, "nnc: matrix products (NNC_GEMM_PROFILE), %.3f s in %zu shapes:\n", total, rows.size());
    std::fprintf(stderr, "%10s %6s %8s %10s %8s  %s\n", "total ms", "%", "calls", "ms/call", "GFLOP/s",
                 "batch x m x n x k, orientation, element");
    for (auto &[shape, t] : rows) {
      auto [batch, m, n, k, transA, transB, accumulate, bytes, bias] = shape;
      double flops = 2.0 * double(batch * m * n * k) * double(t.calls);
      std::fprintf(stderr, "%10.2f %6.1f %8ld %10.4f %8.1f  %ldx%ldx%ldx%ld %s%s%s%s f%d\n", t.seconds * 1e3,
                   100 * t.seconds / total, t.calls, t.seconds * 1e3 / double(t.calls), flops / t.seconds * 1e-9,
                   long(batch), long(m), long(n), long(k), transA ? "At" : "A", transB ? "Bt" : "B",
                   accumulate ? " +=" : "", bias ? " +bias" : "", bytes * 8);
    }
  }
};

Profile &profile() {
  static Profile p;
  return p;
}

} // namespace

bool gemmProfiling() {
  static const bool on = [] {
    const char *v = std::getenv("NNC_GEMM_PROFILE");
    return v && *v && std::string(v) != "0";
  }();
  return on;
}

void recordGemm(const GemmProblem &p, int bytes, double seconds) {
  Profile &prof = profile();
  std::lock_guard lock(prof.mutex);
  Totals &t = prof.byShape[{p.batch, p.m, p.n, p.k, p.transA, p.transB, p.accumulate, bytes, p.bias != nullptr}];
  t.seconds += seconds;
  ++t.calls;
}

} // namespace nnc::rt::kernels
