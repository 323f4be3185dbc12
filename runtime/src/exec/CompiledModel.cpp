// Loading a compiled model: the ABI check, a 64-byte aligned copy of the artifact bytes
// (the object file's section need not be aligned, and FlatBuffers wants its alignment),
// and the entry functions matched to the artifact's entry points.
#include "exec/CompiledModel.h"

#include <fmt/format.h>

#include <cstring>
#include <set>

namespace nnc::rt {

std::pair<const EntryPointSpec *, nnc_entry_fn> CompiledModel::entry(const std::string &name) const {
  for (size_t i = 0; i < artifact->entryPoints.size(); ++i)
    if (artifact->entryPoints[i].name == name) return {&artifact->entryPoints[i], functions[i]};
  return {nullptr, nullptr};
}

CheckpointResult<std::shared_ptr<const CompiledModel>> loadCompiledModel(const nnc_compiled_model *compiled,
                                                                         const std::string &where) {
  auto fail = [&](CheckpointErrorCode code, const std::string &what) {
    return CheckpointError{code, fmt::format("{}: {}", where, what)};
  };
  if (!compiled) return fail(CheckpointErrorCode::InvalidArgument, "the compiled model is NULL");
  if (compiled->abi_version != NNC_COMPILED_MODEL_ABI)
    return fail(CheckpointErrorCode::UnsupportedVersion,
                fmt::format("compiled for runtime ABI {} but this runtime has ABI {}; recompile the model "
                            "with the matching nnc",
                            compiled->abi_version, NNC_COMPILED_MODEL_ABI));
  if (!compiled->artifact || compiled->artifact_size == 0)
    return fail(CheckpointErrorCode::Truncated, "the compiled model has no artifact bytes");
  if (compiled->artifact_size > kMaxArtifactBytes)
    return fail(CheckpointErrorCode::TooLarge,
                fmt::format("the artifact is {} bytes (limit {})", compiled->artifact_size, kMaxArtifactBytes));
  if (compiled->entry_count > 0 && !compiled->entries)
    return fail(CheckpointErrorCode::InvalidArgument,
                fmt::format("{} entry functions announced but the table is NULL", compiled->entry_count));

  auto image = AlignedBuffer::allocate(size_t(compiled->artifact_size), where + " artifact");
  if (!image) return std::move(image).takeError();
  std::memcpy(image->data(), compiled->artifact, size_t(compiled->artifact_size));
  auto artifact = parseArtifact(image.value(), where);
  if (!artifact) return std::move(artifact).takeError();

  auto model = std::make_shared<CompiledModel>();
  model->artifact = std::make_shared<const Artifact>(std::move(artifact).value());
  const Artifact &a = *model->artifact;
  std::set<std::string> declared;
  for (const EntryPointSpec &e : a.entryPoints) declared.insert(e.name);
  std::set<std::string> seen;
  for (uint64_t i = 0; i < compiled->entry_count; ++i) {
    const nnc_entry_symbol &s = compiled->entries[i];
    if (!s.name) return fail(CheckpointErrorCode::Corrupt, fmt::format("entry function {} has no name", i));
    if (!declared.count(s.name))
      return fail(CheckpointErrorCode::Corrupt,
                  fmt::format("defines entry function '{}' but its artifact declares no such entry point", s.name));
    if (!seen.insert(s.name).second)
      return fail(CheckpointErrorCode::Corrupt, fmt::format("defines entry function '{}' twice", s.name));
    if (!s.fn) return fail(CheckpointErrorCode::Corrupt, fmt::format("entry function '{}' is NULL", s.name));
  }
  for (const EntryPointSpec &e : a.entryPoints) {
    nnc_entry_fn fn = nullptr;
    for (uint64_t i = 0; i < compiled->entry_count && !fn; ++i)
      if (e.name == compiled->entries[i].name) fn = compiled->entries[i].fn;
    if (!fn)
      return fail(CheckpointErrorCode::Corrupt,
                  fmt::format("the artifact declares entry point '{}' but the compiled model has no function for it",
                              e.name));
    model->functions.push_back(fn);
  }
  return std::shared_ptr<const CompiledModel>(std::move(model));
}

} // namespace nnc::rt
