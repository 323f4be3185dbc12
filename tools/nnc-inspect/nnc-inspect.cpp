// nnc-inspect: prints what a model artifact (.nnca) or a checkpoint (.nnck) holds, through
// the runtime's own loaders (so every check the runtime makes applies). Exit 1 on a bad file.
#include "artifact/Artifact.h"
#include "checkpoint/Checkpoint.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <string>

namespace {

std::string shape(const nnc::rt::TensorSpec &t) { return nnc::rt::formatSpec(t); }

int printArtifact(const nnc::rt::Artifact &a) {
  fmt::print("artifact: {} (version {}, from {})\nbatch: {}\n", a.name, a.version, a.source, a.batch);
  fmt::print("parameters: {}\nfingerprint: {:016x}\nstate:\n", a.parameterCount(), a.identity().fingerprint);
  for (const auto &s : a.state)
    fmt::print("  {} {} {}{}{} init={}\n", nnc::rt::roleName(s.role), s.name, shape(s), s.frozen ? " frozen" : "",
               s.stateOf.empty() ? "" : " of " + s.stateOf, s.init);
  for (const auto &e : a.entryPoints) {
    fmt::print("entry {}: reads {} writes {}\n", e.name, e.reads.size(), e.writes.size());
    for (const auto &v : e.arguments) fmt::print("  arg {} {} {}\n", nnc::rt::roleName(v.role), v.name, shape(v));
    for (const auto &v : e.results) fmt::print("  result {} {} {}\n", nnc::rt::roleName(v.role), v.name, shape(v));
  }
  if (a.optimizer) {
    fmt::print("optimizer: {}\n", a.optimizer->name);
    for (const auto &h : a.optimizer->hyperparameters) fmt::print("  {} = {}\n", h.name, h.number);
  }
  return 0;
}

int printCheckpoint(const nnc::rt::Checkpoint &c) {
  fmt::print("checkpoint: {} step {} epoch {} seed {}\nfingerprint: {:016x}\n", c.modelName, c.step, c.epoch,
             c.seed, c.fingerprint);
  for (const auto &t : c.tensors) fmt::print("  {} {}\n", t.name, shape(t));
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    std::fprintf(argc == 2 ? stdout : stderr,
                 "usage: nnc-inspect FILE\n  prints a model artifact (.nnca) or a checkpoint (.nnck)\n");
    return argc == 2 ? 0 : 2;
  }
  std::string path = argv[1];
  auto artifact = nnc::rt::loadArtifact(path);
  if (artifact) return printArtifact(artifact.value());
  if (artifact.error().code != nnc::rt::CheckpointErrorCode::WrongIdentifier) {
    std::fprintf(stderr, "error: %s\n", artifact.error().message.c_str());
    return 1;
  }
  auto checkpoint = nnc::rt::loadCheckpoint(path);
  if (checkpoint) return printCheckpoint(checkpoint.value());
  std::fprintf(stderr, "error: %s\n", checkpoint.error().code == nnc::rt::CheckpointErrorCode::WrongIdentifier
                                          ? (path + ": neither a model artifact nor a checkpoint").c_str()
                                          : checkpoint.error().message.c_str());
  return 1;
}
