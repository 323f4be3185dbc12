/* The nnc runtime's C API: load a compiled model (`nnc compile --emit=artifact`), hold its
 * training state, save and load checkpoints, move weights through NumPy .npz files.
 * Running the entry points (train step, eval, predict) arrives with the CPU backend.
 *
 * Errors: every fallible function returns an nnc_status*, NULL on success. A status holds
 * a code and a message naming the file and what is wrong; free it with nnc_status_free.
 * Ownership: objects returned through out_* parameters belong to the caller, who frees
 * them with the matching nnc_*_free (NULL is accepted). Strings and data pointers that
 * queries return stay valid until their object is freed. A session keeps its model alive.
 * Threads: an object may be used by one thread at a time; distinct objects are independent.
 */
#ifndef NNC_NNC_H
#define NNC_NNC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nnc_status_code {
  NNC_STATUS_OK = 0,
  NNC_STATUS_NOT_FOUND = 1,        /* a file does not exist, a name is unknown */
  NNC_STATUS_IO = 2,               /* the system refused a read or write */
  NNC_STATUS_FORMAT = 3,           /* truncated, corrupt, foreign or unsupported file */
  NNC_STATUS_OTHER_MODEL = 4,      /* a checkpoint or weights of a different model */
  NNC_STATUS_INVALID_ARGUMENT = 5, /* a NULL pointer, an index out of range */
  NNC_STATUS_OUT_OF_MEMORY = 6
} nnc_status_code;

typedef struct nnc_status nnc_status;
nnc_status_code nnc_status_get_code(const nnc_status *status);
const char *nnc_status_message(const nnc_status *status);
void nnc_status_free(nnc_status *status);

typedef enum nnc_dtype { NNC_F32 = 0, NNC_F64 = 1, NNC_I32 = 2, NNC_I64 = 3, NNC_I1 = 4 } nnc_dtype;

typedef enum nnc_role {
  NNC_ROLE_PARAMETER = 0,       /* trainable */
  NNC_ROLE_BUFFER = 1,          /* batch-norm running statistics */
  NNC_ROLE_OPTIMIZER_STATE = 2  /* `<param>.<state>`: momentum buffers, Adam moments */
} nnc_role;

/* A compiled model: its state tensors, entry points and optimizer (read-only). */
typedef struct nnc_model nnc_model;
nnc_status *nnc_model_load(const char *path, nnc_model **out_model);
void nnc_model_free(nnc_model *model);
const char *nnc_model_name(const nnc_model *model);
int64_t nnc_model_batch(const nnc_model *model);
int64_t nnc_model_parameter_count(const nnc_model *model);

/* One state tensor of a session; `data` points at its values (row-major, 64-byte aligned)
 * and may be read and written. */
typedef struct nnc_tensor_info {
  const char *name;
  nnc_dtype dtype;
  nnc_role role;
  int32_t rank;
  const int64_t *shape;
  void *data;
  size_t bytes;
} nnc_tensor_info;

/* A model's training state, initialized from `seed` (the same weights the reference
 * interpreter draws for that seed). */
typedef struct nnc_session nnc_session;
nnc_status *nnc_session_create(const nnc_model *model, uint64_t seed, nnc_session **out_session);
void nnc_session_free(nnc_session *session);
size_t nnc_session_state_count(const nnc_session *session);
nnc_status *nnc_session_state_at(nnc_session *session, size_t index, nnc_tensor_info *out_info);
nnc_status *nnc_session_state_find(nnc_session *session, const char *name, nnc_tensor_info *out_info);
/* Bytes of state memory the session holds. */
size_t nnc_session_memory_bytes(const nnc_session *session);
/* The training position a checkpoint records: the last completed step, the epoch. */
void nnc_session_get_position(const nnc_session *session, int64_t *out_step, int64_t *out_epoch);
void nnc_session_set_position(nnc_session *session, int64_t step, int64_t epoch);

/* Checkpoints: the whole state with position and seed. Saving replaces `path` atomically
 * (a crash never leaves a broken file); loading checks it belongs to this model and changes
 * nothing unless the whole file is good. */
nnc_status *nnc_session_save_checkpoint(const nnc_session *session, const char *path);
nnc_status *nnc_session_load_checkpoint(nnc_session *session, const char *path);

/* NumPy .npz weights by tensor name (np.load(path)["h1.w"]). Export writes the parameters,
 * or all state when `all_state` is non-zero. Import loads every entry naming a state tensor
 * of the same dtype and shape; unknown names are an error unless `allow_unknown` is non-zero;
 * the number of tensors loaded goes to `out_loaded` (may be NULL). */
nnc_status *nnc_session_export_npz(const nnc_session *session, const char *path, int all_state);
nnc_status *nnc_session_import_npz(nnc_session *session, const char *path, int allow_unknown,
                                   size_t *out_loaded);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NNC_NNC_H */
