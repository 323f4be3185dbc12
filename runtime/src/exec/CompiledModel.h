// A compiled model as the runtime runs it: the artifact parsed from the bytes that
// `nnc compile` embedded in the object (nnc/compiled_model.h) plus one entry function per
// artifact entry point, matched by name.
#pragma once

#include "artifact/Artifact.h"
#include "checkpoint/CheckpointError.h"

#include "nnc/compiled_model.h"

#include <memory>
#include <string>
#include <vector>

namespace nnc::rt {

struct CompiledModel {
  std::shared_ptr<const Artifact> artifact;
  std::vector<nnc_entry_fn> functions; // parallel to artifact->entryPoints

  // The function of entry point `name` and its spec, or nulls when the model has none.
  std::pair<const EntryPointSpec *, nnc_entry_fn> entry(const std::string &name) const;
};

// Checks and parses `compiled`: a non-null struct of ABI NNC_COMPILED_MODEL_ABI, artifact
// bytes that parse (size limits, verifier, version), a non-null function for every
// artifact entry point and no function for an entry point the artifact does not declare
// (a mismatch between generated code and its description). `where` names the model in
// messages ("compiled model", "nnc_main_model").
CheckpointResult<std::shared_ptr<const CompiledModel>> loadCompiledModel(const nnc_compiled_model *compiled,
                                                                         const std::string &where);

} // namespace nnc::rt
