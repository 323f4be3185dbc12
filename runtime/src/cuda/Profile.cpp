// NNC_CUDA_PROFILE: per-name totals of kernel and library call times (Profile.h).
#include "cuda/Profile.h"
#include "cuda/CudaDriver.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <vector>

namespace nnc::rt::cuda {

namespace {

struct Entry {
  double seconds = 0;
  long calls = 0;
};

struct Profile {
  std::mutex mutex;
  std::map<std::string, Entry> byName;
  ~Profile() {
    std::vector<std::pair<std::string, Entry>> rows(byName.begin(), byName.end());
    if (rows.empty()) return;
    std::sort(rows.begin(), rows.end(), [](auto &a, auto &b) { return a.second.seconds > b.second.seconds; });
    double total = 0;
    for (auto &r : rows) total += r.second.seconds;
    std::fprintf(stderr, "nnc: CUDA profile (NNC_CUDA_PROFILE), %.3f s in %zu kernels and library calls:\n", total,
                 rows.size());
    std::fprintf(stderr, "%10s %6s %8s %10s  %s\n", "total ms", "%", "calls", "ms/call", "name");
    for (size_t i = 0; i < rows.size() && i < 25; ++i) {
      const Entry &e = rows[i].second;
      std::fprintf(stderr, "%10.2f %6.1f %8ld %10.4f  %s\n", e.seconds * 1e3, 100 * e.seconds / total, e.calls,
                   e.seconds * 1e3 / double(e.calls), rows[i].first.c_str());
    }
  }
};

Profile &profile() {
  static Profile p;
  return p;
}

} // namespace

bool profiling() {
  static const bool on = [] {
    const char *v = std::getenv("NNC_CUDA_PROFILE");
    return v && *v && std::string(v) != "0";
  }();
  return on;
}

void recordProfile(const std::string &name, double seconds) {
  Profile &p = profile();
  std::lock_guard lock(p.mutex);
  Entry &e = p.byName[name];
  e.seconds += seconds;
  ++e.calls;
}

void synchronizeForProfile() {
  Driver &d = requireDriver();
  check(d.cuStreamSynchronize(d.stream), "cuStreamSynchronize (NNC_CUDA_PROFILE)");
}

} // namespace nnc::rt::cuda
