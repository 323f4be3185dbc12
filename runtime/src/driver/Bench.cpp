// `bench`: the time of one train step, on one synthetic batch held in the model's input
// buffers (no data loading, no shuffling): what benchmarks/ compares against PyTorch.
#include "cuda/CudaCall.h"
#include "driver/Commands.h"
#include "driver/Errors.h"
#include "driver/Setup.h"
#include "driver/Threads.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

namespace nnc::rt::driver {

namespace {

// The peak resident set so far (VmHWM), in KiB; 0 where /proc is missing.
long peakRssKiB() {
  std::FILE *f = std::fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  long kib = 0;
  while (std::fgets(line, sizeof line, f))
    if (std::sscanf(line, "VmHWM: %ld kB", &kib) == 1) break;
  std::fclose(f);
  return kib;
}

} // namespace

Status runBench(const nnc_compiled_model *compiled, const BenchOptions &options) {
  // The runtime's fixed overhead: code, libraries and allocator before any model memory.
  long fixedKiB = peakRssKiB();
  auto opened = openModel(compiled, options);
  if (!opened) return std::move(opened).takeError();
  Model &model = *opened.value();
  if (!model.hasEntry("train_step")) return usageError("model '" + model.artifact().name + "' has no train_step");
  // Inputs like standardized images; labels cycle through the classes.
  uint64_t state = 0x9E3779B97F4A7C15ull;
  for (float &v : model.x()) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    v = float(int64_t(state >> 40) % 2000 - 1000) / 1000.0f;
  }
  for (size_t i = 0; i < model.y().size(); ++i) model.y()[i] = int64_t(i) % model.classes();
  double loss = 0;
  for (int64_t i = 0; i < options.warmup; ++i) {
    auto step = model.trainStep();
    if (!step) return std::move(step).takeError();
  }
  auto start = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < options.steps; ++i) {
    auto step = model.trainStep();
    if (!step) return std::move(step).takeError();
    loss = step.value().loss;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double ms = 1e3 * seconds / double(options.steps);
  double examples = double(model.batch()) * double(options.steps) / seconds;
  const std::string &device = model.artifact().device;
  std::string where = device == "cuda" ? cuda::deviceName() : fmt::format("{} threads", options.threads);
  if (options.json)
    std::printf("{\"model\": \"%s\", \"device\": \"%s\", \"where\": \"%s\", \"batch\": %lld, \"steps\": %lld, "
                "\"step_ms\": %.6g, \"examples_per_s\": %.6g, \"last_loss\": %.6g, \"arena_bytes\": %llu, "
                "\"rss_fixed_kib\": %ld, \"rss_peak_kib\": %ld}\n",
                model.artifact().name.c_str(), device.c_str(), where.c_str(), (long long)model.batch(),
                (long long)options.steps, ms, examples, loss, (unsigned long long)model.artifact().arenaBytes, fixedKiB,
                peakRssKiB());
  else
    std::printf("%s on %s (%s): %.4g ms per train step, %.6g examples/s (batch %lld, %lld steps; last loss %.4g)\n",
                model.artifact().name.c_str(), device.c_str(), where.c_str(), ms, examples,
                (long long)model.batch(), (long long)options.steps, loss);
  return okStatus();
}

} // namespace nnc::rt::driver
