// Binding the argument array of an entry function (state, arguments, results) and calling
// it. Runtime-bound scalars live in 64-byte slots of one aligned buffer.
#include "exec/Executor.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <optional>

namespace nnc::rt {

namespace {

constexpr size_t kScalarSlot = 64;
constexpr uintptr_t kRequiredAlignment = 16; // nnc/compiled_model.h

CheckpointError invalid(const std::string &what) { return {CheckpointErrorCode::InvalidArgument, what}; }

// The most runtime-bound scalars any entry point takes (the size of the scalar buffer).
size_t maxBoundScalars(const Artifact &a) {
  size_t most = 0;
  for (const EntryPointSpec &e : a.entryPoints) {
    size_t n = 0;
    for (const ValueSpec &v : e.arguments) n += v.role != Role::Input;
    most = std::max(most, n);
  }
  return most;
}

// Writes `value` as one element of `dtype` into `slot`.
void storeScalar(DType dtype, double value, int64_t integer, bool isInteger, std::byte *slot) {
  switch (dtype) {
  case DType::F32: { float v = isInteger ? float(integer) : float(value); std::memcpy(slot, &v, 4); break; }
  case DType::F64: { double v = isInteger ? double(integer) : value; std::memcpy(slot, &v, 8); break; }
  case DType::I32: { int32_t v = isInteger ? int32_t(integer) : int32_t(value); std::memcpy(slot, &v, 4); break; }
  case DType::I64: { int64_t v = isInteger ? integer : int64_t(value); std::memcpy(slot, &v, 8); break; }
  case DType::I1: slot[0] = std::byte(isInteger ? integer != 0 : value != 0); break;
  }
}

bool aligned(const void *p) { return reinterpret_cast<uintptr_t>(p) % kRequiredAlignment == 0; }

} // namespace

std::vector<const ValueSpec *> entryInputs(const EntryPointSpec &entry) {
  std::vector<const ValueSpec *> inputs;
  for (const ValueSpec &v : entry.arguments)
    if (v.role == Role::Input) inputs.push_back(&v);
  return inputs;
}

CheckpointResult<std::unique_ptr<Executor>> Executor::create(std::shared_ptr<const CompiledModel> model,
                                                             Session &session) {
  const Artifact &a = *model->artifact;
  if (&session.artifact() != &a && session.artifact().identity().fingerprint != a.identity().fingerprint)
    return CheckpointError{CheckpointErrorCode::OtherModel,
                           fmt::format("the session holds state of model '{}', not of compiled model '{}'",
                                       session.artifact().name, a.name)};
  auto scalars = AlignedBuffer::allocate(std::max<size_t>(1, maxBoundScalars(a)) * kScalarSlot, "entry scalars");
  if (!scalars) return std::move(scalars).takeError();
  // The arena of the compiled code's intermediates: allocated once, its pages touched by
  // the first step and reused by every later one.
  AlignedBuffer arena;
  if (a.arenaBytes) {
    auto allocated = AlignedBuffer::allocate(a.arenaBytes, "the memory arena of the compiled code");
    if (!allocated) return std::move(allocated).takeError();
    arena = std::move(allocated).value();
  }
  return std::unique_ptr<Executor>(
      new Executor(std::move(model), session, std::move(scalars).value(), std::move(arena)));
}

namespace {

// Compiled code may assume that what it writes shares no memory with anything else it
// reads or writes (compiled_model.h; nn-outline-kernels tells LLVM so): a result buffer
// overlapping an input or another result is refused. Inputs may share memory.
std::optional<std::string> overlappingBuffers(const EntryPointSpec &spec, std::span<const void *const> inputs,
                                              std::span<void *const> results) {
  // Checked on every call without allocating: a few buffers, compared pairwise.
  auto overlaps = [](const void *a, const ValueSpec &va, const void *b, const ValueSpec &vb) {
    auto *pa = static_cast<const std::byte *>(a), *pb = static_cast<const std::byte *>(b);
    return pa < pb + byteSize(vb.dtype, vb.shape).value_or(0) && pb < pa + byteSize(va.dtype, va.shape).value_or(0);
  };
  for (size_t i = 0; i < results.size(); ++i) {
    const ValueSpec &v = spec.results[i];
    for (size_t j = 0; j < i; ++j)
      if (overlaps(results[i], v, results[j], spec.results[j]))
        return fmt::format("result buffers '{}' and '{}' overlap", spec.results[j].name, v.name);
    size_t next = 0;
    for (const ValueSpec &in : spec.arguments)
      if (in.role == Role::Input && overlaps(results[i], v, inputs[next++], in))
        return fmt::format("result '{}' overlaps input '{}'", v.name, in.name);
  }
  return std::nullopt;
}

} // namespace

CheckpointStatus Executor::run(const std::string &entry, std::span<const void *const> inputs,
                               std::span<void *const> results) {
  auto [spec, fn] = model_->entry(entry);
  if (!spec) {
    std::string known;
    for (const EntryPointSpec &e : model_->artifact->entryPoints) known += (known.empty() ? "" : ", ") + e.name;
    return CheckpointError{CheckpointErrorCode::NotFound,
                           fmt::format("model '{}' has no entry point '{}' (it has: {})", model_->artifact->name,
                                       entry, known)};
  }
  size_t inputCount = entryInputs(*spec).size();
  if (inputs.size() != inputCount)
    return invalid(fmt::format("{}: takes {} inputs, got {}", entry, inputCount, inputs.size()));
  if (results.size() != spec->results.size())
    return invalid(fmt::format("{}: has {} results, got {} result buffers", entry, spec->results.size(), results.size()));

  const bool trainStep = entry == "train_step";
  const int64_t step = trainStep ? session_.step + 1 : session_.step;
  args_.clear();
  for (StateTensor &t : session_.state()) args_.push_back(t.buffer.data());
  size_t nextInput = 0, nextSlot = 0;
  for (const ValueSpec &v : spec->arguments) {
    if (v.role == Role::Input) {
      const void *p = inputs[nextInput++];
      if (!p || !aligned(p))
        return invalid(fmt::format("{}: input '{}' is {}", entry, v.name, p ? "not aligned to 16 bytes" : "NULL"));
      args_.push_back(const_cast<void *>(p)); // entry functions only read their arguments
      continue;
    }
    if (!v.shape.empty())
      return invalid(fmt::format("{}: {} argument '{}' is {}, but the runtime binds only scalars", entry,
                                 roleName(v.role), v.name, formatSpec(v)));
    std::byte *slot = scalars_.data() + kScalarSlot * nextSlot++;
    switch (v.role) {
    case Role::Hyperparameter: {
      const double *value = session_.hyperparameter(v.name);
      if (!value || std::isnan(*value))
        return invalid(fmt::format("{}: hyperparameter '{}' has no value (the artifact gives no default); set it first",
                                   entry, v.name));
      storeScalar(v.dtype, *value, 0, false, slot);
      break;
    }
    case Role::Step: storeScalar(v.dtype, 0, step, true, slot); break;
    case Role::Seed: storeScalar(v.dtype, 0, int64_t(session_.seed), true, slot); break;
    default:
      return invalid(fmt::format("{}: argument '{}' has role {}, which the runtime cannot bind", entry, v.name,
                                 roleName(v.role)));
    }
    args_.push_back(slot);
  }
  for (size_t i = 0; i < results.size(); ++i) {
    void *p = results[i];
    if (!p || !aligned(p))
      return invalid(fmt::format("{}: result '{}' is {}", entry, spec->results[i].name,
                                 p ? "not aligned to 16 bytes" : "NULL"));
    args_.push_back(p);
  }
  if (auto overlap = overlappingBuffers(*spec, inputs, results)) return invalid(fmt::format("{}: {}", entry, *overlap));
  if (model_->artifact->arenaBytes) args_.push_back(arena_.data());
  fn(args_.data());
  if (trainStep) session_.step = step;
  return checkpointOk();
}

} // namespace nnc::rt
