/* The nnc runtime's C API: load a compiled model (an artifact from `nnc compile
 * --emit=artifact`, or the code `nnc compile` links into a program), hold its training
 * state, run its entry points (train step, forward, predict), save and load checkpoints,
 * move weights through NumPy .npz files.
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

#include "nnc/compiled_model.h"

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
  /* state tensors */
  NNC_ROLE_PARAMETER = 0,       /* trainable */
  NNC_ROLE_BUFFER = 1,          /* batch-norm running statistics */
  NNC_ROLE_OPTIMIZER_STATE = 2, /* `<param>.<state>`: momentum buffers, Adam moments */
  /* entry-point arguments: the caller passes inputs, the session binds the others */
  NNC_ROLE_INPUT = 3,           /* data: images, labels */
  NNC_ROLE_HYPERPARAMETER = 4,  /* lr, momentum, beta1, ...: session values */
  NNC_ROLE_STEP = 5,            /* i64, 1 for the first train step */
  NNC_ROLE_SEED = 6,            /* i64, the session's seed (dropout draws) */
  /* entry-point results */
  NNC_ROLE_OUTPUT = 7,          /* `output` declarations: logits, probabilities */
  NNC_ROLE_LOSS = 8,            /* f32 rank 0, mean over the batch */
  NNC_ROLE_METRIC = 9,          /* f32 rank 0, mean over the batch (accuracy) */
  NNC_ROLE_INPUT_GRADIENT = 10  /* d loss / d input */
} nnc_role;

/* A compiled model: its state tensors, entry points and optimizer (read-only). */
typedef struct nnc_model nnc_model;
nnc_status *nnc_model_load(const char *path, nnc_model **out_model);
void nnc_model_free(nnc_model *model);
const char *nnc_model_name(const nnc_model *model);
int64_t nnc_model_batch(const nnc_model *model);
int64_t nnc_model_parameter_count(const nnc_model *model);

/* A model of code linked into this program (`nnc compile` output, nnc/compiled_model.h; a
 * training binary has `nnc_main_model`): checks the ABI version, parses the artifact and
 * checks that every entry point has a function. `compiled` must outlive the model (a
 * static constant does). Only such a model's sessions can run entry points. */
nnc_status *nnc_model_from_compiled(const nnc_compiled_model *compiled, nnc_model **out_model);
/* Non-zero when the model has compiled code (nnc_model_from_compiled). */
int nnc_model_has_code(const nnc_model *model);

/* Entry points: "train_step", "forward", "predict", "input_gradient". */
typedef struct nnc_entry_info {
  const char *name;
  size_t argument_count; /* all arguments: inputs and the ones the session binds */
  size_t input_count;    /* arguments of role NNC_ROLE_INPUT: what nnc_session_run takes */
  size_t result_count;
} nnc_entry_info;
size_t nnc_model_entry_count(const nnc_model *model);
nnc_status *nnc_model_entry_at(const nnc_model *model, size_t index, nnc_entry_info *out_info);
nnc_status *nnc_model_entry_find(const nnc_model *model, const char *entry, nnc_entry_info *out_info);

/* One argument or result of an entry point (no data: the caller owns the buffers). */
typedef struct nnc_value_info {
  const char *name;
  nnc_dtype dtype;
  nnc_role role;
  int32_t rank;
  const int64_t *shape;
  size_t bytes; /* dense row-major size; a rank-0 value is one element */
} nnc_value_info;
/* Argument `index` of all arguments, input `index` of the Input-role arguments (the order
 * nnc_session_run takes them), or result `index`, of entry point `entry`. */
nnc_status *nnc_model_entry_argument(const nnc_model *model, const char *entry, size_t index,
                                     nnc_value_info *out_info);
nnc_status *nnc_model_entry_input(const nnc_model *model, const char *entry, size_t index,
                                  nnc_value_info *out_info);
nnc_status *nnc_model_entry_result(const nnc_model *model, const char *entry, size_t index,
                                   nnc_value_info *out_info);

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

/* Hyperparameters of the train step (NNC_ROLE_HYPERPARAMETER arguments: lr, momentum,
 * beta1, ...), held by the session: the optimizer's defaults from the artifact until set;
 * one without a default reads as NaN and must be set before the train step runs. Not saved
 * in checkpoints. Unknown names are NNC_STATUS_NOT_FOUND. */
size_t nnc_session_hyperparameter_count(const nnc_session *session);
const char *nnc_session_hyperparameter_name(const nnc_session *session, size_t index); /* NULL past the end */
nnc_status *nnc_session_set_hyperparameter(nnc_session *session, const char *name, double value);
nnc_status *nnc_session_get_hyperparameter(const nnc_session *session, const char *name, double *out_value);

/* Runs entry point `entry` on the session's state. `inputs` holds one pointer per Input-role
 * argument (nnc_model_entry_input order) and `results` one per result, each addressing
 * dense row-major elements of the declared dtype and shape, aligned to 64 bytes (16 is
 * required), a rank-0 value being one element; results are written, inputs only read.
 * The session binds the rest: state tensors (train_step updates them in place),
 * hyperparameters, the seed, and the step: train_step runs as step (last step + 1) and
 * advances the session's position; other entry points see the last step. Result
 * buffers must not overlap each other or an input (the compiled code assumes it).
 * Errors (nothing runs): a model without code, an unknown entry, wrong counts, NULL,
 * misaligned or overlapping buffers, an unset hyperparameter. */
nnc_status *nnc_session_run(nnc_session *session, const char *entry, const void *const *inputs,
                            size_t input_count, void *const *results, size_t result_count);

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
