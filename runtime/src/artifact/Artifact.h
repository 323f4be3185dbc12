// The runtime's view of a compiled-model artifact (schemas/artifact.fbs): state tensors
// with roles and initializers, entry points with named arguments and results, the
// optimizer. Loaded through the FlatBuffers verifier and copied into plain structs.
#pragma once

#include "checkpoint/AlignedBuffer.h"
#include "checkpoint/Checkpoint.h"
#include "checkpoint/Tensor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nnc::rt {

constexpr uint32_t kArtifactVersion = 1;
constexpr uint64_t kMaxArtifactBytes = uint64_t(1) << 30;

enum class Role {
  Parameter, Buffer, OptimizerState, Input, Hyperparameter, Step, Seed, Output, Loss, Metric,
  InputGradient,
};
const char *roleName(Role role);

struct NamedNumber {
  std::string name;
  double number = 0;
  std::string text; // for names (kaiming mode) instead of a number
};

struct StateSpec : TensorSpec {
  Role role = Role::Parameter;
  bool frozen = false;
  std::string stateOf;            // optimizer state: its parameter
  std::string init;               // zeros, kaiming_uniform, ...
  std::vector<NamedNumber> initArgs;
  std::string location;           // "file:line:col" of the declaration, or empty
};

struct ValueSpec : TensorSpec {
  Role role = Role::Input;
};

struct EntryPointSpec {
  std::string name;   // train_step, forward, predict, input_gradient
  std::string symbol; // the compiled function, once code generation exists
  std::vector<ValueSpec> arguments, results;
  std::vector<std::string> reads, writes;
};

struct OptimizerSpec {
  std::string name;
  std::vector<NamedNumber> hyperparameters; // run-time scalars and their defaults
  std::vector<NamedNumber> settings;        // compile-time flags (0 or 1)
};

struct Artifact {
  uint32_t version = 0;
  std::string name, source;
  int64_t batch = 0;
  std::vector<StateSpec> state;
  std::vector<EntryPointSpec> entryPoints;
  std::optional<OptimizerSpec> optimizer;
  std::string loss;
  std::vector<std::string> metrics;
  std::string device = "cpu"; // where the compiled entry points run: cpu or cuda
  // Bytes of the arena every entry point takes as its last argument (0: none); the
  // compiled code keeps its intermediates there (Model.memory_plan).
  uint64_t arenaBytes = 0;

  const EntryPointSpec *entryPoint(const std::string &name) const;
  // The model's identity for checkpoints: every state tensor, in order.
  ModelIdentity identity() const;
  // Elements of the trainable parameters (what PyTorch's parameters() counts).
  int64_t parameterCount() const;
};

// Reads and checks an artifact: size limits, identifier "NNCA", size prefix, the
// FlatBuffers verifier, the version, and the consistency of every tensor (known dtype,
// non-negative shape, unique state names, entry points naming existing state).
CheckpointResult<Artifact> loadArtifact(const std::string &path);
CheckpointResult<Artifact> parseArtifact(const AlignedBuffer &image, const std::string &where);

} // namespace nnc::rt
