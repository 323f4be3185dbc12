// A session holds one model's training state: every state tensor of the artifact
// (parameters, buffers, optimizer state) in 64-byte aligned memory, initialized from a
// seed exactly as the reference interpreter does, plus the step, epoch and seed that a
// checkpoint carries, and the run-time hyperparameters of the train step. Checkpoints and
// .npz weights load into it and save from it; exec/Executor.h runs entry points on it.
#pragma once

#include "artifact/Artifact.h"
#include "checkpoint/AlignedBuffer.h"
#include "checkpoint/Checkpoint.h"

#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace nnc::rt {

struct StateTensor {
  const StateSpec *spec; // in the session's artifact
  AlignedBuffer buffer;  // exactly byteSize(spec) bytes used
  size_t bytes = 0;
};

// What initFrom did. Every parameter and buffer of this model whose name is in the file
// with the same dtype and shape is copied (`loaded`). Names under an `exclude` prefix (a
// tensor name or a block instance, e.g. the classifier head being replaced) keep their
// initial values, as do names the file lacks (`kept`). A same-named tensor of another
// shape is an error naming it (exclude it, or give the new layer another name), so a
// mistake never passes silently. Optimizer state is never taken: fine-tuning starts its
// own. File entries this model does not have are counted in `ignored`.
struct TransferReport {
  std::vector<std::string> loaded, kept;
  size_t ignored = 0;
};

class Session {
public:
  // Allocates and initializes every state tensor (the initializer of each, drawn with
  // `seed`; stream = the tensor's position in the artifact).
  static CheckpointResult<std::unique_ptr<Session>> create(std::shared_ptr<const Artifact> artifact, uint64_t seed);

  const Artifact &artifact() const { return *artifact_; }
  std::vector<StateTensor> &state() { return state_; }
  const std::vector<StateTensor> &state() const { return state_; }
  StateTensor *find(const std::string &name);
  size_t memoryBytes() const;

  int64_t step = 0;  // the last completed train step
  int64_t epoch = 0;
  uint64_t seed = 0;

  // Run-time hyperparameters (lr, momentum, beta1, ...) by name: every Hyperparameter-role
  // argument of the entry points, valued with the optimizer's default from the artifact,
  // or NaN (unset) where the artifact has none. Not part of checkpoints: the training
  // driver sets them from its flags on every run.
  std::vector<NamedNumber> hyperparameters;
  // Sets a known hyperparameter; false when the model has none of that name.
  bool setHyperparameter(const std::string &name, double value);
  // The value (NaN when unset), or nullptr for an unknown name.
  const double *hyperparameter(const std::string &name) const;

  // The whole state with step, epoch and seed; loading checks the model (other model:
  // OtherModel, naming the first differing tensor) and replaces the state only when the
  // whole checkpoint is good.
  CheckpointStatus saveCheckpoint(const std::string &path) const;
  CheckpointStatus loadCheckpoint(const std::string &path);
  // Weights by name; export writes parameters only or all state. Import loads every
  // archive entry that names a state tensor (shapes and dtypes must match) and reports
  // how many it loaded; entries for unknown names are an error unless `allowUnknown`.
  CheckpointStatus exportNpz(const std::string &path, bool parametersOnly) const;
  CheckpointResult<size_t> importNpz(const std::string &path, bool allowUnknown);

  // Transfer learning (Transfer.cpp): parameters and buffers by name from a checkpoint of
  // any model (.nnck) or a .npz; see TransferReport.
  CheckpointResult<struct TransferReport> initFrom(const std::string &path, const std::vector<std::string> &exclude);

private:
  explicit Session(std::shared_ptr<const Artifact> artifact) : artifact_(std::move(artifact)) {}
  std::vector<TensorRecord> records(bool parametersOnly) const;
  void initHyperparameters();

  std::shared_ptr<const Artifact> artifact_;
  std::vector<StateTensor> state_;
};

} // namespace nnc::rt
