// The C API (include/nnc/nnc.h) over the C++ runtime: handles wrap the C++ objects and
// every error becomes an nnc_status.
#include "nnc/nnc.h"

#include "artifact/Artifact.h"
#include "exec/CompiledModel.h"
#include "exec/Executor.h"
#include "session/Session.h"

#include <fmt/format.h>

#include <memory>
#include <new>
#include <string>
#include <vector>

struct nnc_status {
  nnc_status_code code;
  std::string message;
};

struct nnc_model {
  std::shared_ptr<const nnc::rt::Artifact> artifact;
  std::shared_ptr<const nnc::rt::CompiledModel> compiled; // null for an artifact file
};

struct nnc_session {
  std::unique_ptr<nnc::rt::Session> session;
  std::unique_ptr<nnc::rt::Executor> executor; // null without compiled code
};

namespace {

using nnc::rt::CheckpointErrorCode;

nnc_status *makeStatus(nnc_status_code code, std::string message) {
  return new (std::nothrow) nnc_status{code, std::move(message)};
}

nnc_status *fromError(const nnc::rt::CheckpointError &e) {
  nnc_status_code code = NNC_STATUS_FORMAT;
  switch (e.code) {
  case CheckpointErrorCode::NotFound: code = NNC_STATUS_NOT_FOUND; break;
  case CheckpointErrorCode::Io: code = NNC_STATUS_IO; break;
  case CheckpointErrorCode::OtherModel:
  case CheckpointErrorCode::Mismatch: code = NNC_STATUS_OTHER_MODEL; break;
  case CheckpointErrorCode::InvalidArgument: code = NNC_STATUS_INVALID_ARGUMENT; break;
  case CheckpointErrorCode::OutOfMemory: code = NNC_STATUS_OUT_OF_MEMORY; break;
  default: break;
  }
  return makeStatus(code, e.message);
}

nnc_status *nullArgument(const char *function, const char *argument) {
  return makeStatus(NNC_STATUS_INVALID_ARGUMENT, fmt::format("{}: {} is NULL", function, argument));
}

void describe(const nnc::rt::StateTensor &t, nnc_tensor_info *out) {
  out->name = t.spec->name.c_str();
  out->dtype = static_cast<nnc_dtype>(t.spec->dtype);
  out->role = static_cast<nnc_role>(t.spec->role);
  out->rank = int32_t(t.spec->shape.size());
  out->shape = t.spec->shape.data();
  out->data = const_cast<std::byte *>(t.buffer.data());
  out->bytes = t.bytes;
}

void describe(const nnc::rt::ValueSpec &v, nnc_value_info *out) {
  out->name = v.name.c_str();
  out->dtype = static_cast<nnc_dtype>(v.dtype);
  out->role = static_cast<nnc_role>(v.role);
  out->rank = int32_t(v.shape.size());
  out->shape = v.shape.data();
  out->bytes = size_t(*nnc::rt::byteSize(v.dtype, v.shape)); // checked when the artifact was parsed
}

void describe(const nnc::rt::EntryPointSpec &e, nnc_entry_info *out) {
  out->name = e.name.c_str();
  out->argument_count = e.arguments.size();
  out->input_count = nnc::rt::entryInputs(e).size();
  out->result_count = e.results.size();
}

nnc_status *unknownEntry(const nnc_model *model, const char *entry) {
  return makeStatus(NNC_STATUS_NOT_FOUND,
                    fmt::format("model '{}' has no entry point '{}'", model->artifact->name, entry));
}

enum class ValueList { Arguments, Inputs, Results };

// The value `index` of one list of entry point `entry`, described into out_info.
nnc_status *entryValue(const char *function, const nnc_model *model, const char *entry, size_t index,
                       nnc_value_info *out_info, ValueList list) {
  if (!model) return nullArgument(function, "model");
  if (!entry) return nullArgument(function, "entry");
  if (!out_info) return nullArgument(function, "out_info");
  const nnc::rt::EntryPointSpec *e = model->artifact->entryPoint(entry);
  if (!e) return unknownEntry(model, entry);
  std::vector<const nnc::rt::ValueSpec *> values;
  if (list == ValueList::Inputs) values = nnc::rt::entryInputs(*e);
  else
    for (const nnc::rt::ValueSpec &v : list == ValueList::Arguments ? e->arguments : e->results) values.push_back(&v);
  if (index >= values.size())
    return makeStatus(NNC_STATUS_INVALID_ARGUMENT,
                      fmt::format("{}: index {} is out of range ({} has {})", function, index, entry, values.size()));
  describe(*values[index], out_info);
  return nullptr;
}

} // namespace

extern "C" {

nnc_status_code nnc_status_get_code(const nnc_status *status) { return status ? status->code : NNC_STATUS_OK; }
const char *nnc_status_message(const nnc_status *status) { return status ? status->message.c_str() : ""; }
void nnc_status_free(nnc_status *status) { delete status; }

nnc_status *nnc_model_load(const char *path, nnc_model **out_model) {
  if (!path) return nullArgument("nnc_model_load", "path");
  if (!out_model) return nullArgument("nnc_model_load", "out_model");
  auto artifact = nnc::rt::loadArtifact(path);
  if (!artifact) return fromError(artifact.error());
  *out_model = new (std::nothrow) nnc_model{std::make_shared<const nnc::rt::Artifact>(std::move(artifact).value()), nullptr};
  return *out_model ? nullptr : makeStatus(NNC_STATUS_OUT_OF_MEMORY, "nnc_model_load: out of memory");
}

void nnc_model_free(nnc_model *model) { delete model; }
const char *nnc_model_name(const nnc_model *model) { return model ? model->artifact->name.c_str() : ""; }
int64_t nnc_model_batch(const nnc_model *model) { return model ? model->artifact->batch : 0; }
int64_t nnc_model_parameter_count(const nnc_model *model) { return model ? model->artifact->parameterCount() : 0; }

nnc_status *nnc_model_from_compiled(const nnc_compiled_model *compiled, nnc_model **out_model) {
  if (!compiled) return nullArgument("nnc_model_from_compiled", "compiled");
  if (!out_model) return nullArgument("nnc_model_from_compiled", "out_model");
  auto loaded = nnc::rt::loadCompiledModel(compiled, "compiled model");
  if (!loaded) return fromError(loaded.error());
  *out_model = new (std::nothrow) nnc_model{loaded.value()->artifact, loaded.value()};
  return *out_model ? nullptr : makeStatus(NNC_STATUS_OUT_OF_MEMORY, "nnc_model_from_compiled: out of memory");
}

int nnc_model_has_code(const nnc_model *model) { return model && model->compiled ? 1 : 0; }

size_t nnc_model_entry_count(const nnc_model *model) { return model ? model->artifact->entryPoints.size() : 0; }

nnc_status *nnc_model_entry_at(const nnc_model *model, size_t index, nnc_entry_info *out_info) {
  if (!model) return nullArgument("nnc_model_entry_at", "model");
  if (!out_info) return nullArgument("nnc_model_entry_at", "out_info");
  const auto &entries = model->artifact->entryPoints;
  if (index >= entries.size())
    return makeStatus(NNC_STATUS_INVALID_ARGUMENT,
                      fmt::format("nnc_model_entry_at: index {} is out of range ({} entry points)", index, entries.size()));
  describe(entries[index], out_info);
  return nullptr;
}

nnc_status *nnc_model_entry_find(const nnc_model *model, const char *entry, nnc_entry_info *out_info) {
  if (!model) return nullArgument("nnc_model_entry_find", "model");
  if (!entry) return nullArgument("nnc_model_entry_find", "entry");
  if (!out_info) return nullArgument("nnc_model_entry_find", "out_info");
  const nnc::rt::EntryPointSpec *e = model->artifact->entryPoint(entry);
  if (!e) return unknownEntry(model, entry);
  describe(*e, out_info);
  return nullptr;
}

nnc_status *nnc_model_entry_argument(const nnc_model *model, const char *entry, size_t index, nnc_value_info *out_info) {
  return entryValue("nnc_model_entry_argument", model, entry, index, out_info, ValueList::Arguments);
}

nnc_status *nnc_model_entry_input(const nnc_model *model, const char *entry, size_t index, nnc_value_info *out_info) {
  return entryValue("nnc_model_entry_input", model, entry, index, out_info, ValueList::Inputs);
}

nnc_status *nnc_model_entry_result(const nnc_model *model, const char *entry, size_t index, nnc_value_info *out_info) {
  return entryValue("nnc_model_entry_result", model, entry, index, out_info, ValueList::Results);
}

nnc_status *nnc_session_create(const nnc_model *model, uint64_t seed, nnc_session **out_session) {
  if (!model) return nullArgument("nnc_session_create", "model");
  if (!out_session) return nullArgument("nnc_session_create", "out_session");
  auto session = nnc::rt::Session::create(model->artifact, seed);
  if (!session) return fromError(session.error());
  std::unique_ptr<nnc::rt::Executor> executor;
  if (model->compiled) {
    auto created = nnc::rt::Executor::create(model->compiled, *session.value());
    if (!created) return fromError(created.error());
    executor = std::move(created).value();
  }
  *out_session = new (std::nothrow) nnc_session{std::move(session).value(), std::move(executor)};
  return *out_session ? nullptr : makeStatus(NNC_STATUS_OUT_OF_MEMORY, "nnc_session_create: out of memory");
}

void nnc_session_free(nnc_session *session) { delete session; }
size_t nnc_session_state_count(const nnc_session *session) { return session ? session->session->state().size() : 0; }

nnc_status *nnc_session_state_at(nnc_session *session, size_t index, nnc_tensor_info *out_info) {
  if (!session) return nullArgument("nnc_session_state_at", "session");
  if (!out_info) return nullArgument("nnc_session_state_at", "out_info");
  auto &state = session->session->state();
  if (index >= state.size())
    return makeStatus(NNC_STATUS_INVALID_ARGUMENT,
                      fmt::format("nnc_session_state_at: index {} is out of range ({} state tensors)", index, state.size()));
  describe(state[index], out_info);
  return nullptr;
}

nnc_status *nnc_session_state_find(nnc_session *session, const char *name, nnc_tensor_info *out_info) {
  if (!session) return nullArgument("nnc_session_state_find", "session");
  if (!name) return nullArgument("nnc_session_state_find", "name");
  if (!out_info) return nullArgument("nnc_session_state_find", "out_info");
  nnc::rt::StateTensor *t = session->session->find(name);
  if (!t)
    return makeStatus(NNC_STATUS_NOT_FOUND, fmt::format("model '{}' has no state tensor '{}'",
                                                        session->session->artifact().name, name));
  describe(*t, out_info);
  return nullptr;
}

size_t nnc_session_memory_bytes(const nnc_session *session) { return session ? session->session->memoryBytes() : 0; }

void nnc_session_get_position(const nnc_session *session, int64_t *out_step, int64_t *out_epoch) {
  if (!session) return;
  if (out_step) *out_step = session->session->step;
  if (out_epoch) *out_epoch = session->session->epoch;
}

void nnc_session_set_position(nnc_session *session, int64_t step, int64_t epoch) {
  if (!session) return;
  session->session->step = step;
  session->session->epoch = epoch;
}

size_t nnc_session_hyperparameter_count(const nnc_session *session) {
  return session ? session->session->hyperparameters.size() : 0;
}

const char *nnc_session_hyperparameter_name(const nnc_session *session, size_t index) {
  if (!session || index >= session->session->hyperparameters.size()) return nullptr;
  return session->session->hyperparameters[index].name.c_str();
}

nnc_status *nnc_session_set_hyperparameter(nnc_session *session, const char *name, double value) {
  if (!session) return nullArgument("nnc_session_set_hyperparameter", "session");
  if (!name) return nullArgument("nnc_session_set_hyperparameter", "name");
  if (!session->session->setHyperparameter(name, value))
    return makeStatus(NNC_STATUS_NOT_FOUND, fmt::format("model '{}' has no hyperparameter '{}'",
                                                        session->session->artifact().name, name));
  return nullptr;
}

nnc_status *nnc_session_get_hyperparameter(const nnc_session *session, const char *name, double *out_value) {
  if (!session) return nullArgument("nnc_session_get_hyperparameter", "session");
  if (!name) return nullArgument("nnc_session_get_hyperparameter", "name");
  if (!out_value) return nullArgument("nnc_session_get_hyperparameter", "out_value");
  const double *value = session->session->hyperparameter(name);
  if (!value)
    return makeStatus(NNC_STATUS_NOT_FOUND, fmt::format("model '{}' has no hyperparameter '{}'",
                                                        session->session->artifact().name, name));
  *out_value = *value;
  return nullptr;
}

nnc_status *nnc_session_run(nnc_session *session, const char *entry, const void *const *inputs, size_t input_count,
                            void *const *results, size_t result_count) {
  if (!session) return nullArgument("nnc_session_run", "session");
  if (!entry) return nullArgument("nnc_session_run", "entry");
  if (input_count && !inputs) return nullArgument("nnc_session_run", "inputs");
  if (result_count && !results) return nullArgument("nnc_session_run", "results");
  if (!session->executor)
    return makeStatus(NNC_STATUS_INVALID_ARGUMENT,
                      fmt::format("nnc_session_run: model '{}' has no compiled code (it was loaded from an artifact "
                                  "file; use nnc_model_from_compiled)",
                                  session->session->artifact().name));
  auto status = session->executor->run(entry, {inputs, input_count}, {results, result_count});
  return status ? nullptr : fromError(status.error());
}

nnc_status *nnc_session_save_checkpoint(const nnc_session *session, const char *path) {
  if (!session) return nullArgument("nnc_session_save_checkpoint", "session");
  if (!path) return nullArgument("nnc_session_save_checkpoint", "path");
  auto status = session->session->saveCheckpoint(path);
  return status ? nullptr : fromError(status.error());
}

nnc_status *nnc_session_load_checkpoint(nnc_session *session, const char *path) {
  if (!session) return nullArgument("nnc_session_load_checkpoint", "session");
  if (!path) return nullArgument("nnc_session_load_checkpoint", "path");
  auto status = session->session->loadCheckpoint(path);
  return status ? nullptr : fromError(status.error());
}

nnc_status *nnc_session_export_npz(const nnc_session *session, const char *path, int all_state) {
  if (!session) return nullArgument("nnc_session_export_npz", "session");
  if (!path) return nullArgument("nnc_session_export_npz", "path");
  auto status = session->session->exportNpz(path, /*parametersOnly=*/!all_state);
  return status ? nullptr : fromError(status.error());
}

nnc_status *nnc_session_import_npz(nnc_session *session, const char *path, int allow_unknown, size_t *out_loaded) {
  if (!session) return nullArgument("nnc_session_import_npz", "session");
  if (!path) return nullArgument("nnc_session_import_npz", "path");
  auto loaded = session->session->importNpz(path, allow_unknown != 0);
  if (!loaded) return fromError(loaded.error());
  if (out_loaded) *out_loaded = loaded.value();
  return nullptr;
}

} // extern "C"
