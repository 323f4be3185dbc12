// Loading artifacts: verification first, then a copy into the structs of Artifact.h.
#include "artifact/Artifact.h"

#include <schemas/artifact_generated.h>

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

namespace nnc::rt {

namespace sc = nnc::schema;

const char *roleName(Role role) {
  static const char *names[] = {"parameter", "buffer",   "optimizer-state", "input",
                                "hyperparameter", "step", "seed", "output", "loss",
                                "metric", "input-gradient"};
  return names[static_cast<int>(role)];
}

const EntryPointSpec *Artifact::entryPoint(const std::string &name) const {
  for (const EntryPointSpec &e : entryPoints)
    if (e.name == name) return &e;
  return nullptr;
}

ModelIdentity Artifact::identity() const {
  ModelIdentity id;
  id.name = name;
  for (const StateSpec &s : state) id.tensors.push_back(s);
  id.fingerprint = fingerprintOf(std::span<const TensorSpec>(id.tensors));
  return id;
}

int64_t Artifact::parameterCount() const {
  int64_t count = 0;
  for (const StateSpec &s : state)
    if (s.role == Role::Parameter) count += int64_t(*elementCount(s.shape));
  return count;
}

namespace {

CheckpointError error(CheckpointErrorCode code, const std::string &where, const std::string &what) {
  return CheckpointError{code, fmt::format("{}: {}", where, what)};
}

std::string text(const flatbuffers::String *s) { return s ? s->str() : std::string(); }

template <class T> std::vector<int64_t> shapeOf(const T *t) {
  return t->shape() ? readInt64s(t->shape()->Data(), t->shape()->size()) : std::vector<int64_t>();
}

std::vector<NamedNumber> named(const flatbuffers::Vector<flatbuffers::Offset<sc::NamedValue>> *values) {
  std::vector<NamedNumber> out;
  if (values)
    for (const sc::NamedValue *v : *values) out.push_back({v->name()->str(), v->number(), text(v->text())});
  return out;
}

// Names come from .graph identifiers: letters, digits, '_' and '.' (block instances).
bool validName(const std::string &name) {
  return !name.empty() && name.size() <= 1024 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
  });
}

// A tensor spec read from the file is usable: a valid name, a known dtype, sizes >= 0, a
// countable size.
std::optional<std::string> checkSpec(const TensorSpec &t, uint8_t rawDType) {
  if (!validName(t.name)) return std::string("has an invalid name");
  if (!isValidDType(rawDType)) return fmt::format("'{}' has unknown dtype {}", t.name, rawDType);
  if (!elementCount(t.shape)) return fmt::format("'{}' has an invalid shape", t.name);
  return std::nullopt;
}

} // namespace

CheckpointResult<Artifact> loadArtifact(const std::string &path) {
  auto file = readFileAligned(path, kMaxArtifactBytes);
  if (!file) return std::move(file).takeError();
  return parseArtifact(file.value(), path);
}

CheckpointResult<Artifact> parseArtifact(const AlignedBuffer &image, const std::string &where) {
  const auto *base = reinterpret_cast<const uint8_t *>(image.data());
  size_t size = image.size();
  if (size < 12)
    return error(CheckpointErrorCode::Truncated, where,
                 size == 0 ? "the file is empty" : "the file is shorter than an artifact header");
  if (std::memcmp(base + 8, sc::ModelIdentifier(), 4) != 0)
    return error(CheckpointErrorCode::WrongIdentifier, where,
                 "not an nnc model artifact (expected identifier NNCA at byte 8; compile one with "
                 "`nnc compile --emit=artifact -o FILE`)");
  uint32_t prefix = flatbuffers::ReadScalar<uint32_t>(base);
  if (uint64_t(prefix) + 4 > size)
    return error(CheckpointErrorCode::Truncated, where,
                 fmt::format("the file is {} bytes but its header announces {}", size, uint64_t(prefix) + 4));
  flatbuffers::Verifier verifier(base, uint64_t(prefix) + 4);
  if (!sc::VerifySizePrefixedModelBuffer(verifier))
    return error(CheckpointErrorCode::Corrupt, where, "the artifact fails the FlatBuffers verifier");
  const sc::Model *model = sc::GetSizePrefixedModel(base);
  if (model->version() != kArtifactVersion)
    return error(CheckpointErrorCode::UnsupportedVersion, where,
                 fmt::format("artifact version {} (this runtime reads version {}); recompile the model",
                             model->version(), kArtifactVersion));

  Artifact a;
  a.version = model->version();
  a.name = text(model->name());
  a.source = text(model->source());
  a.batch = model->batch();
  std::set<std::string> names;
  if (model->state())
    for (const sc::StateTensor *t : *model->state()) {
      StateSpec s;
      s.name = t->name()->str();
      s.dtype = static_cast<DType>(t->dtype());
      s.shape = shapeOf(t);
      if (auto problem = checkSpec(s, uint8_t(t->dtype())))
        return error(CheckpointErrorCode::Corrupt, where, "state tensor " + *problem);
      if (!names.insert(s.name).second)
        return error(CheckpointErrorCode::Corrupt, where, fmt::format("state tensor '{}' appears twice", s.name));
      int role = int(t->role());
      if (role < 0 || role > int(Role::OptimizerState))
        return error(CheckpointErrorCode::Corrupt, where, fmt::format("state tensor '{}' has role {}", s.name, role));
      s.role = static_cast<Role>(role);
      s.frozen = t->frozen();
      s.stateOf = text(t->state_of());
      if (t->init()) {
        s.init = t->init()->kind()->str();
        s.initArgs = named(t->init()->args());
      }
      if (const sc::SourceLocation *loc = t->location())
        s.location = fmt::format("{}:{}:{}", text(loc->file()), loc->line(), loc->column());
      a.state.push_back(std::move(s));
    }
  if (model->entry_points())
    for (const sc::EntryPoint *e : *model->entry_points()) {
      EntryPointSpec spec;
      spec.name = e->name()->str();
      spec.symbol = text(e->symbol());
      for (auto [values, out] : {std::pair{e->arguments(), &spec.arguments}, std::pair{e->results(), &spec.results}}) {
        if (!values) continue;
        for (const sc::Value *v : *values) {
          ValueSpec value;
          value.name = v->name()->str();
          value.dtype = static_cast<DType>(v->dtype());
          value.shape = shapeOf(v);
          if (auto problem = checkSpec(value, uint8_t(v->dtype())))
            return error(CheckpointErrorCode::Corrupt, where, spec.name + " value " + *problem);
          if (int(v->role()) < 0 || int(v->role()) > int(Role::InputGradient))
            return error(CheckpointErrorCode::Corrupt, where, fmt::format("{} value '{}' has role {}", spec.name,
                                                                          value.name, int(v->role())));
          value.role = static_cast<Role>(v->role());
          out->push_back(std::move(value));
        }
      }
      for (auto [list, out] : {std::pair{e->reads(), &spec.reads}, std::pair{e->writes(), &spec.writes}}) {
        if (!list) continue;
        for (const flatbuffers::String *n : *list) {
          if (!names.count(n->str()))
            return error(CheckpointErrorCode::Corrupt, where,
                         fmt::format("{} uses state tensor '{}', which the artifact does not declare", spec.name,
                                     n->str()));
          out->push_back(n->str());
        }
      }
      a.entryPoints.push_back(std::move(spec));
    }
  if (const sc::Optimizer *opt = model->optimizer())
    a.optimizer = OptimizerSpec{opt->name()->str(), named(opt->hyperparameters()), named(opt->settings())};
  a.loss = text(model->loss());
  if (model->metrics())
    for (const flatbuffers::String *m : *model->metrics()) a.metrics.push_back(m->str());
  if (model->device() && model->device()->size() != 0) a.device = model->device()->str();
  if (a.device != "cpu" && a.device != "cuda")
    return error(CheckpointErrorCode::Corrupt, where, "unknown device '" + a.device + "'");
  if (const sc::MemoryPlan *plan = model->memory_plan()) {
    a.arenaBytes = plan->arena_bytes();
    if (a.arenaBytes > (uint64_t(1) << 40))
      return error(CheckpointErrorCode::Corrupt, where, "memory plan asks for an arena of " +
                                                            std::to_string(a.arenaBytes) + " bytes");
  }
  return a;
}

} // namespace nnc::rt
