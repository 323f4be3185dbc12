// The C API (include/nnc/nnc.h) over the C++ runtime: handles wrap the C++ objects and
// every error becomes an nnc_status.
#include "nnc/nnc.h"

#include "artifact/Artifact.h"
#include "session/Session.h"

#include <fmt/format.h>

#include <memory>
#include <new>
#include <string>

struct nnc_status {
  nnc_status_code code;
  std::string message;
};

struct nnc_model {
  std::shared_ptr<const nnc::rt::Artifact> artifact;
};

struct nnc_session {
  std::unique_ptr<nnc::rt::Session> session;
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
  *out_model = new (std::nothrow) nnc_model{std::make_shared<const nnc::rt::Artifact>(std::move(artifact).value())};
  return *out_model ? nullptr : makeStatus(NNC_STATUS_OUT_OF_MEMORY, "nnc_model_load: out of memory");
}

void nnc_model_free(nnc_model *model) { delete model; }
const char *nnc_model_name(const nnc_model *model) { return model ? model->artifact->name.c_str() : ""; }
int64_t nnc_model_batch(const nnc_model *model) { return model ? model->artifact->batch : 0; }
int64_t nnc_model_parameter_count(const nnc_model *model) { return model ? model->artifact->parameterCount() : 0; }

nnc_status *nnc_session_create(const nnc_model *model, uint64_t seed, nnc_session **out_session) {
  if (!model) return nullArgument("nnc_session_create", "model");
  if (!out_session) return nullArgument("nnc_session_create", "out_session");
  auto session = nnc::rt::Session::create(model->artifact, seed);
  if (!session) return fromError(session.error());
  *out_session = new (std::nothrow) nnc_session{std::move(session).value()};
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
