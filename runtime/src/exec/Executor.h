// Runs a compiled model's entry points on a session's state. The caller passes only the
// entry's inputs (Input-role arguments, in order) and result buffers; the executor binds
// everything else the calling convention of nnc/compiled_model.h asks for: every state
// tensor, the hyperparameters (session values), the step and the seed.
#pragma once

#include "exec/CompiledModel.h"
#include "session/Session.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace nnc::rt {

class Executor {
public:
  // An executor for `session`, which must hold state of `model`'s artifact (same model
  // identity; OtherModel otherwise). The session must outlive the executor.
  static CheckpointResult<std::unique_ptr<Executor>> create(std::shared_ptr<const CompiledModel> model,
                                                            Session &session);

  const CompiledModel &model() const { return *model_; }

  // Runs entry point `entry`. `inputs` holds one pointer per Input-role argument and
  // `results` one per result, each non-null and aligned to 16 bytes (64 recommended;
  // the ABI's minimum is 16). Step-role arguments get session.step + 1 for train_step,
  // which then advances session.step; the current step for other entry points. Seed-role
  // arguments get session.seed. Errors (nothing runs): NotFound for an unknown entry,
  // InvalidArgument for wrong counts, null or misaligned pointers, or an unset
  // hyperparameter.
  CheckpointStatus run(const std::string &entry, std::span<const void *const> inputs,
                       std::span<void *const> results);

private:
  Executor(std::shared_ptr<const CompiledModel> model, Session &session, AlignedBuffer scalars, AlignedBuffer arena)
      : model_(std::move(model)), session_(session), scalars_(std::move(scalars)), arena_(std::move(arena)) {}

  std::shared_ptr<const CompiledModel> model_;
  Session &session_;
  AlignedBuffer scalars_;   // one 64-byte slot per runtime-bound scalar argument
  AlignedBuffer arena_;     // the compiled code's intermediates (Artifact::arenaBytes)
  std::vector<void *> args_; // the argument array of the last call, reused
};

// Entry-point arguments of role Input, in order: what Executor::run's `inputs` bind to.
std::vector<const ValueSpec *> entryInputs(const EntryPointSpec &entry);

} // namespace nnc::rt
