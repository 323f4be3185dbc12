// Binding the image-classifier signature: which input is the image, which the label,
// which results are the loss, the metrics and the output, checked once when opening.
#include "driver/Model.h"

#include "driver/Errors.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>

namespace nnc::rt::driver {

namespace {

double readScalar(const AlignedBuffer &buffer, DType dtype) {
  if (dtype == DType::F64) {
    double v;
    std::memcpy(&v, buffer.data(), 8);
    return v;
  }
  float v;
  std::memcpy(&v, buffer.data(), 4);
  return v;
}

std::string listInputs(const EntryPointSpec &e) {
  std::vector<std::string> names;
  for (const ValueSpec *v : entryInputs(e)) names.push_back(fmt::format("{}: {}", v->name, formatSpec(*v)));
  return fmt::format("{}", fmt::join(names, ", "));
}

} // namespace

std::string Model::inputDescription() const {
  std::vector<int64_t> shape{batch_};
  if (inputRank_ == 4) shape.insert(shape.end(), {channels_, height_, width_});
  else if (inputRank_ == 3) shape.insert(shape.end(), {height_, width_});
  else shape.push_back(exampleSize());
  return fmt::format("{}: {}", inputName_, formatSpec(DType::F32, shape));
}

Expected<std::unique_ptr<Model>> Model::open(const nnc_compiled_model *compiled, uint64_t seed) {
  auto loaded = loadCompiledModel(compiled, "nnc_main_model");
  if (!loaded) return fromCheckpoint(loaded.error());
  std::unique_ptr<Model> m(new Model());
  m->compiled_ = std::move(loaded).value();
  const Artifact &a = *m->compiled_->artifact;

  // The image and label inputs, from the richest entry point.
  const EntryPointSpec *reference = nullptr;
  for (const char *name : {"forward", "train_step", "predict"})
    if (!reference) reference = a.entryPoint(name);
  if (!reference)
    return dataError(fmt::format("model '{}' has none of the entry points train_step, forward, predict", a.name));
  const ValueSpec *image = nullptr, *label = nullptr;
  for (const ValueSpec *v : entryInputs(*reference)) {
    if (!image && v->dtype == DType::F32 && v->shape.size() >= 2 && v->shape.size() <= 4) image = v;
    else if (!label && v->dtype == DType::I64 && v->shape.size() == 1) label = v;
  }
  if (!image)
    return dataError(fmt::format("model '{}' takes {} ({}); the training driver feeds image classifiers with an "
                                 "f32 input of shape (B, C, H, W), (B, H, W) or (B, features)",
                                 a.name, listInputs(*reference), reference->name));
  m->inputName_ = image->name;
  m->inputRank_ = image->shape.size();
  m->batch_ = image->shape[0];
  if (m->inputRank_ == 4) {
    m->channels_ = image->shape[1];
    m->height_ = image->shape[2];
    m->width_ = image->shape[3];
  } else if (m->inputRank_ == 3) {
    m->height_ = image->shape[1];
    m->width_ = image->shape[2];
  } else {
    m->width_ = image->shape[1];
  }
  if (label) {
    m->labelName_ = label->name;
    if (label->shape[0] != m->batch_)
      return dataError(fmt::format("model '{}': label input {}: {} does not match the batch of {}", a.name,
                                   label->name, formatSpec(*label), m->inputDescription()));
  }
  // Every entry point may take only these two inputs, with these shapes.
  for (const EntryPointSpec &e : a.entryPoints) {
    if (e.name != "train_step" && e.name != "forward" && e.name != "predict") continue;
    for (const ValueSpec *v : entryInputs(e)) {
      bool known = (v->name == image->name && v->dtype == image->dtype && v->shape == image->shape) ||
                   (label && v->name == label->name && v->dtype == label->dtype && v->shape == label->shape);
      if (!known)
        return dataError(fmt::format("model '{}': {} takes {}; the training driver feeds only an image input and "
                                     "a label input ({}{})",
                                     a.name, e.name, listInputs(e), m->inputDescription(),
                                     label ? fmt::format(", {}: {}", label->name, formatSpec(*label)) : ""));
    }
  }
  // Classes: the last dimension of the first (B, K) output.
  for (const char *name : {"predict", "forward"})
    if (const EntryPointSpec *e = a.entryPoint(name); e && !m->classes_)
      for (const ValueSpec &r : e->results)
        if (r.role == Role::Output && r.shape.size() == 2 && r.shape[0] == m->batch_) {
          m->classes_ = r.shape[1];
          break;
        }
  const EntryPointSpec *metricsFrom = a.entryPoint("train_step") ? a.entryPoint("train_step") : reference;
  for (const ValueSpec &r : metricsFrom->results)
    if (r.role == Role::Metric) m->metricNames_.push_back(r.name);

  auto session = Session::create(m->compiled_->artifact, seed);
  if (!session) return fromCheckpoint(session.error());
  m->session_ = std::move(session).value();
  auto executor = Executor::create(m->compiled_, *m->session_);
  if (!executor) return fromCheckpoint(executor.error());
  m->executor_ = std::move(executor).value();

  auto x = AlignedBuffer::allocate(size_t(m->batch_ * m->exampleSize()) * sizeof(float), "the image batch");
  auto y = AlignedBuffer::allocate(size_t(m->batch_) * sizeof(int64_t), "the label batch");
  if (!x) return fromCheckpoint(x.error());
  if (!y) return fromCheckpoint(y.error());
  m->x_ = std::move(x).value();
  m->y_ = std::move(y).value();
  for (auto [name, entry] : {std::pair{"train_step", &m->train_}, {"forward", &m->forward_}, {"predict", &m->predict_}})
    if (auto s = m->bindEntry(name, *entry); !s) return std::move(s).takeError();
  return m;
}

Status Model::bindEntry(const std::string &name, Entry &entry) {
  entry.spec = artifact().entryPoint(name);
  if (!entry.spec) return okStatus();
  for (const ValueSpec *v : entryInputs(*entry.spec))
    entry.inputs.push_back(v->name == inputName_ ? static_cast<const void *>(x_.data()) : y_.data());
  for (const ValueSpec &r : entry.spec->results) {
    int index = int(entry.results.size());
    bool scalar = r.shape.empty() && (r.dtype == DType::F32 || r.dtype == DType::F64);
    if (r.role == Role::Loss && scalar && entry.loss < 0) entry.loss = index;
    if (r.role == Role::Output && entry.output < 0 && r.dtype == DType::F32 && r.shape.size() == 2 &&
        r.shape[1] == classes_)
      entry.output = index;
    auto buffer = AlignedBuffer::allocate(std::max<size_t>(1, size_t(*byteSize(r.dtype, r.shape))),
                                          fmt::format("{} result '{}'", name, r.name));
    if (!buffer) return fromCheckpoint(buffer.error());
    entry.results.push_back(std::move(buffer).value());
  }
  for (AlignedBuffer &b : entry.results) entry.resultPointers.push_back(b.data());
  for (const std::string &metric : metricNames_) {
    int found = -1;
    for (size_t i = 0; i < entry.spec->results.size(); ++i) {
      const ValueSpec &r = entry.spec->results[i];
      if (r.role == Role::Metric && r.name == metric && r.shape.empty()) found = int(i);
    }
    entry.metrics.push_back(found);
  }
  return okStatus();
}

Expected<StepValues> Model::run(Entry &entry) {
  auto status = executor_->run(entry.spec->name, entry.inputs, entry.resultPointers);
  if (!status) return fromCheckpoint(status.error());
  StepValues values;
  const auto &results = entry.spec->results;
  if (entry.loss >= 0) values.loss = readScalar(entry.results[size_t(entry.loss)], results[size_t(entry.loss)].dtype);
  for (int index : entry.metrics)
    values.metrics.push_back(index < 0 ? 0.0 : readScalar(entry.results[size_t(index)], results[size_t(index)].dtype));
  return values;
}

Expected<StepValues> Model::trainStep() {
  if (!train_.spec)
    return dataError(fmt::format("model '{}' has no train_step (its .graph has no train section)", artifact().name));
  return run(train_);
}

Expected<StepValues> Model::forward() {
  if (!forward_.spec || forward_.loss < 0)
    return dataError(fmt::format("model '{}' has no forward entry point with a loss", artifact().name));
  return run(forward_);
}

Status Model::predict() {
  Entry &entry = predict_.spec ? predict_ : forward_;
  if (!entry.spec || entry.output < 0)
    return dataError(fmt::format("model '{}' has no predict entry point with a (B, classes) output", artifact().name));
  if (entry.spec == forward_.spec) std::fill(y().begin(), y().end(), 0); // labels do not affect the output
  auto values = run(entry);
  if (!values) return std::move(values).takeError();
  return okStatus();
}

std::span<const float> Model::output(const std::string &name) const {
  const Entry &entry = name == "predict" && predict_.spec ? predict_ : forward_;
  if (entry.output < 0) return {};
  return {reinterpret_cast<const float *>(entry.results[size_t(entry.output)].data()), size_t(batch_ * classes_)};
}

Status Model::checkData(const Dataset &data, const std::string &where) const {
  bool fits = inputRank_ == 4   ? data.channels == channels_ && data.height == height_ && data.width == width_
              : inputRank_ == 3 ? data.channels == 1 && data.height == height_ && data.width == width_
                                : data.exampleSize() == exampleSize();
  if (!fits)
    return Error{ErrorCode::Mismatch,
                 fmt::format("{}: images are {}x{}x{} (C x H x W) but model '{}' takes {}", where, data.channels,
                             data.height, data.width, artifact().name, inputDescription())};
  if (classes_ > 0)
    for (int64_t i = 0; i < data.count; ++i)
      if (data.labels[size_t(i)] < 0 || data.labels[size_t(i)] >= classes_)
        return Error{ErrorCode::Mismatch,
                     fmt::format("{}: example {} has label {} but model '{}' has {} classes", where, i,
                                 data.labels[size_t(i)], artifact().name, classes_)};
  return okStatus();
}

} // namespace nnc::rt::driver
