// The compiled model as the training driver drives it: an image classifier whose entry
// points take x (f32, (B, C, H, W) or flattened) and y (i64, (B)) and return a loss,
// metrics and outputs. Owns the session, the executor and 64-byte aligned input and
// result buffers; callers fill x() and y() and run an entry point.
#pragma once

#include "checkpoint/AlignedBuffer.h"
#include "data/Dataset.h"
#include "data/Error.h"
#include "exec/Executor.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nnc::rt::driver {

// Loss and metrics of one step or one evaluation (means over the examples).
struct StepValues {
  double loss = 0;
  std::vector<double> metrics; // Model::metricNames() order
};

class Model {
public:
  // Loads the compiled model, checks that its entry points have the image-classifier
  // signature and creates a session whose weights are drawn from `seed`.
  static Expected<std::unique_ptr<Model>> open(const nnc_compiled_model *compiled, uint64_t seed);

  const Artifact &artifact() const { return *compiled_->artifact; }
  Session &session() { return *session_; }
  int64_t batch() const { return batch_; }
  int64_t channels() const { return channels_; }
  int64_t height() const { return height_; }
  int64_t width() const { return width_; }
  int64_t exampleSize() const { return channels_ * height_ * width_; }
  int64_t classes() const { return classes_; }
  const std::string &inputName() const { return inputName_; }
  // "x: f32[64, 1, 28, 28]"
  std::string inputDescription() const;
  const std::vector<std::string> &metricNames() const { return metricNames_; }
  bool hasEntry(const std::string &name) const { return artifact().entryPoint(name) != nullptr; }

  // The input buffers: (B, C, H, W) images and (B) labels.
  std::span<float> x() { return {reinterpret_cast<float *>(x_.data()), size_t(batch_ * exampleSize())}; }
  std::span<int64_t> y() { return {reinterpret_cast<int64_t *>(y_.data()), size_t(batch_)}; }

  // Runs train_step (advances the session's step), forward, or predict on x() and y().
  Expected<StepValues> trainStep();
  Expected<StepValues> forward();
  Status predict();
  // (B, classes) of the last forward or predict: the model's first output.
  std::span<const float> output(const std::string &entry) const;

  // Whether `data`'s examples fit the model's input: C·H·W elements in the model's layout
  // (exact (C, H, W) for a rank-4 input). A Mismatch naming `where` otherwise; also when a
  // label is outside the model's classes.
  Status checkData(const Dataset &data, const std::string &where) const;

private:
  struct Entry {
    const EntryPointSpec *spec = nullptr;
    std::vector<AlignedBuffer> results;
    std::vector<void *> resultPointers;
    std::vector<const void *> inputs;
    int loss = -1, output = -1;
    std::vector<int> metrics; // result index per metricNames_ entry, -1 when absent
  };
  Model() = default;
  Status bindEntry(const std::string &name, Entry &entry);
  Expected<StepValues> run(Entry &entry);

  std::shared_ptr<const CompiledModel> compiled_;
  std::unique_ptr<Session> session_;
  std::unique_ptr<Executor> executor_;
  int64_t batch_ = 0, channels_ = 1, height_ = 1, width_ = 1, classes_ = 0;
  size_t inputRank_ = 0;
  std::string inputName_, labelName_;
  std::vector<std::string> metricNames_;
  AlignedBuffer x_, y_;
  Entry train_, forward_, predict_;
};

} // namespace nnc::rt::driver
