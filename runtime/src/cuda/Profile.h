// NNC_CUDA_PROFILE=1: the time of every kernel and library call, summed by name and
// printed (the 25 largest) to standard error when the process exits. Each timed call
// synchronizes the stream before and after, so the step runs slower and the numbers
// include launch latency: a tool for finding the kernels that dominate a step, not
// for benchmarks.
#pragma once

#include <chrono>
#include <string>

namespace nnc::rt::cuda {

bool profiling();
// Adds `seconds` to `name`'s total.
void recordProfile(const std::string &name, double seconds);
void synchronizeForProfile();

class ProfileScope {
public:
  // `name` is evaluated only when profiling.
  template <typename NameFn>
  explicit ProfileScope(NameFn &&name) : enabled_(profiling()) {
    if (!enabled_) return;
    name_ = name();
    synchronizeForProfile();
    start_ = std::chrono::steady_clock::now();
  }
  ~ProfileScope() {
    if (!enabled_) return;
    synchronizeForProfile();
    recordProfile(name_, std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }
  ProfileScope(const ProfileScope &) = delete;
  ProfileScope &operator=(const ProfileScope &) = delete;

private:
  bool enabled_;
  std::string name_;
  std::chrono::steady_clock::time_point start_;
};

} // namespace nnc::rt::cuda
