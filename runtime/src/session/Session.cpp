// Session state: allocation, initialization, hyperparameters, checkpoints and .npz weights.
#include "session/Session.h"

#include "checkpoint/Npz.h"
#include "cuda/CudaCall.h"

#include "nnc/initializers.h"

#include <fmt/format.h>

#include <cstring>

namespace nnc::rt {

namespace {

// Writes doubles into a state tensor's element type (the interpreter rounds the same way).
void storeValues(const std::vector<double> &values, StateTensor &t) {
  std::byte *out = t.buffer.data();
  for (size_t i = 0; i < values.size(); ++i) {
    switch (t.spec->dtype) {
    case DType::F32: { float v = float(values[i]); std::memcpy(out + 4 * i, &v, 4); break; }
    case DType::F64: std::memcpy(out + 8 * i, &values[i], 8); break;
    case DType::I32: { int32_t v = int32_t(values[i]); std::memcpy(out + 4 * i, &v, 4); break; }
    case DType::I64: { int64_t v = int64_t(values[i]); std::memcpy(out + 8 * i, &v, 8); break; }
    case DType::I1: out[i] = std::byte(values[i] != 0); break;
    }
  }
}

// State of a model compiled for CUDA lives in managed memory: the GPU updates it in
// place every step, and the host reads and writes it (initialization, checkpoints)
// without copies of its own.
CheckpointResult<AlignedBuffer> allocateState(const Artifact &artifact, size_t bytes, const std::string &what) {
  if (artifact.device != "cuda") return AlignedBuffer::allocate(bytes, what);
  size_t rounded = std::max<size_t>(kTensorAlignment, (bytes + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment);
  std::string why;
  auto *p = static_cast<std::byte *>(cuda::allocateManaged(rounded, &why));
  if (!p)
    return CheckpointError{CheckpointErrorCode::Unsupported,
                           fmt::format("model '{}' was compiled for CUDA, but {}", artifact.name, why)};
  std::memset(p, 0, rounded);
  return AlignedBuffer::adopt(p, bytes, cuda::freeManaged);
}

} // namespace

CheckpointResult<std::unique_ptr<Session>> Session::create(std::shared_ptr<const Artifact> artifact, uint64_t seed) {
  std::unique_ptr<Session> session(new Session(std::move(artifact)));
  session->seed = seed;
  uint64_t stream = 0;
  for (const StateSpec &spec : session->artifact_->state) {
    auto bytes = byteSize(spec.dtype, spec.shape);
    if (!bytes)
      return CheckpointError{CheckpointErrorCode::TooLarge, fmt::format("state tensor '{}' is too large", spec.name)};
    auto buffer = allocateState(*session->artifact_, *bytes, "state tensor '" + spec.name + "'");
    if (!buffer) return std::move(buffer).takeError();
    StateTensor t{&spec, std::move(buffer).value(), *bytes};
    std::vector<double> values(*elementCount(spec.shape));
    auto number = [&](std::string_view name) {
      for (const NamedNumber &a : spec.initArgs)
        if (a.name == name) return a.number;
      return name == "gain" ? 1.0 : 0.0; // the compiler writes every argument; a fallback only
    };
    bool fanOut = false;
    for (const NamedNumber &a : spec.initArgs) fanOut |= a.name == "mode" && a.text == "fan_out";
    if (!init::fill(spec.init, number, fanOut, spec.shape, seed, stream++, values))
      return CheckpointError{CheckpointErrorCode::Unsupported,
                             fmt::format("state tensor '{}' has unknown initializer '{}'", spec.name, spec.init)};
    storeValues(values, t);
    session->state_.push_back(std::move(t));
  }
  session->initHyperparameters();
  return session;
}

void Session::initHyperparameters() {
  if (artifact_->optimizer) hyperparameters = artifact_->optimizer->hyperparameters;
  for (const EntryPointSpec &e : artifact_->entryPoints)
    for (const ValueSpec &v : e.arguments)
      if (v.role == Role::Hyperparameter && !hyperparameter(v.name))
        hyperparameters.push_back({v.name, std::numeric_limits<double>::quiet_NaN(), {}});
}

bool Session::setHyperparameter(const std::string &name, double value) {
  for (NamedNumber &h : hyperparameters)
    if (h.name == name) {
      h.number = value;
      return true;
    }
  return false;
}

const double *Session::hyperparameter(const std::string &name) const {
  for (const NamedNumber &h : hyperparameters)
    if (h.name == name) return &h.number;
  return nullptr;
}

StateTensor *Session::find(const std::string &name) {
  for (StateTensor &t : state_)
    if (t.spec->name == name) return &t;
  return nullptr;
}

size_t Session::memoryBytes() const {
  size_t total = 0;
  for (const StateTensor &t : state_) total += t.buffer.size();
  return total;
}

std::vector<TensorRecord> Session::records(bool parametersOnly) const {
  std::vector<TensorRecord> out;
  for (const StateTensor &t : state_) {
    if (parametersOnly && t.spec->role != Role::Parameter) continue;
    TensorRecord r;
    static_cast<TensorSpec &>(r) = *t.spec;
    r.bytes = {t.buffer.data(), t.bytes};
    out.push_back(std::move(r));
  }
  return out;
}

CheckpointStatus Session::saveCheckpoint(const std::string &path) const {
  Checkpoint c;
  c.tensors = records(/*parametersOnly=*/false);
  c.modelName = artifact_->name;
  c.fingerprint = artifact_->identity().fingerprint;
  c.step = step;
  c.epoch = epoch;
  c.seed = seed;
  return nnc::rt::saveCheckpoint(path, c);
}

CheckpointStatus Session::loadCheckpoint(const std::string &path) {
  auto loaded = nnc::rt::loadCheckpoint(path, artifact_->identity());
  if (!loaded) return std::move(loaded).takeError();
  const Checkpoint &c = loaded.value();
  for (StateTensor &t : state_) {
    const TensorRecord *r = c.find(t.spec->name); // present: the identity check matched every tensor
    std::memcpy(t.buffer.data(), r->bytes.data(), t.bytes);
  }
  step = c.step;
  epoch = c.epoch;
  seed = c.seed;
  return checkpointOk();
}

CheckpointStatus Session::exportNpz(const std::string &path, bool parametersOnly) const {
  return nnc::rt::exportNpz(path, records(parametersOnly));
}

CheckpointResult<size_t> Session::importNpz(const std::string &path, bool allowUnknown) {
  auto archive = nnc::rt::importNpz(path);
  if (!archive) return std::move(archive).takeError();
  // Check everything first, then copy: a bad archive changes nothing.
  std::vector<std::pair<StateTensor *, const TensorRecord *>> plan;
  for (const TensorRecord &r : archive.value().tensors) {
    StateTensor *t = find(r.name);
    if (!t) {
      if (allowUnknown) continue;
      return CheckpointError{CheckpointErrorCode::Mismatch,
                             fmt::format("{}: '{}' names no state tensor of model '{}'", path, r.name, artifact_->name)};
    }
    if (r.dtype != t->spec->dtype || r.shape != t->spec->shape)
      return CheckpointError{CheckpointErrorCode::Mismatch,
                             fmt::format("{}: '{}' is {} in the archive but {} in the model", path, r.name,
                                         formatSpec(r), formatSpec(*t->spec))};
    plan.push_back({t, &r});
  }
  for (auto [t, r] : plan) std::memcpy(t->buffer.data(), r->bytes.data(), t->bytes);
  return plan.size();
}

} // namespace nnc::rt
