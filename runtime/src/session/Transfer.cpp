// Session::initFrom: transfer learning's start, weights by name from another model.
#include "checkpoint/Checkpoint.h"
#include "checkpoint/Npz.h"
#include "session/Session.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

namespace nnc::rt {

namespace {

// `name` is `prefix` or inside the instance `prefix` ("head" covers "head.w").
bool underPrefix(const std::string &name, const std::string &prefix) {
  return name == prefix || (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
                            name[prefix.size()] == '.');
}

std::string describe(const TensorSpec &t) {
  std::string dims;
  for (size_t i = 0; i < t.shape.size(); ++i) dims += (i ? ", " : "") + std::to_string(t.shape[i]);
  return fmt::format("{}[{}]", dtypeName(t.dtype), dims);
}

CheckpointResult<TensorSet> readTensors(const std::string &path) {
  if (std::filesystem::path(path).extension() == ".npz") return importNpz(path);
  auto checkpoint = loadCheckpoint(path); // any model's: names decide, not the fingerprint
  if (!checkpoint) return std::move(checkpoint).takeError();
  return TensorSet(std::move(checkpoint.value()));
}

} // namespace

CheckpointResult<TransferReport> Session::initFrom(const std::string &path, const std::vector<std::string> &exclude) {
  auto file = readTensors(path);
  if (!file) return std::move(file).takeError();
  for (const std::string &prefix : exclude)
    if (std::none_of(state_.begin(), state_.end(), [&](const StateTensor &t) { return underPrefix(t.spec->name, prefix); }))
      return CheckpointError{CheckpointErrorCode::InvalidArgument,
                             fmt::format("--init-exclude {}: names no tensor of model '{}'", prefix, artifact_->name)};

  // Check everything first, then copy: a mismatch changes nothing.
  TransferReport report;
  std::vector<std::pair<StateTensor *, const TensorRecord *>> plan;
  size_t matched = 0;
  for (StateTensor &t : state_) {
    if (t.spec->role != Role::Parameter && t.spec->role != Role::Buffer) continue;
    const TensorRecord *r = file.value().find(t.spec->name);
    if (r) ++matched;
    bool excluded = std::any_of(exclude.begin(), exclude.end(), [&](const std::string &p) { return underPrefix(t.spec->name, p); });
    if (!r || excluded) {
      report.kept.push_back(t.spec->name);
      continue;
    }
    if (r->dtype != t.spec->dtype || r->shape != t.spec->shape)
      return CheckpointError{CheckpointErrorCode::Mismatch,
                             fmt::format("{}: '{}' is {} there but {} in model '{}' (a replaced layer: pass "
                                         "--init-exclude {} or give it another name)",
                                         path, t.spec->name, describe(*r), describe(*t.spec), artifact_->name,
                                         t.spec->name)};
    plan.push_back({&t, r});
    report.loaded.push_back(t.spec->name);
  }
  if (plan.empty())
    return CheckpointError{CheckpointErrorCode::Mismatch,
                           fmt::format("{}: no parameter or buffer of model '{}' is there by name", path, artifact_->name)};
  for (auto [t, r] : plan) std::memcpy(t->buffer.data(), r->bytes.data(), t->bytes);
  report.ignored = file.value().tensors.size() - matched;
  return report;
}

} // namespace nnc::rt
