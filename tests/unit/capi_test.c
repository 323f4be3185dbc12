/* The runtime's C API from C (so the header stays C): load two compiled models, create
 * sessions, read state, save/load checkpoints, move weights through .npz, and get clear
 * errors for the wrong model, a corrupt file and bad arguments.
 * Usage: nnc_capi_test MLP.nnca LENET5.nnca WORKDIR */
#include "nnc/nnc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);       \
      ++failures;                                                                    \
    }                                                                                \
  } while (0)
/* A call that must succeed; prints the status message when it does not. */
#define OK(call)                                                                     \
  do {                                                                               \
    nnc_status *s_ = (call);                                                         \
    if (s_) {                                                                        \
      fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #call,           \
              nnc_status_message(s_));                                               \
      ++failures;                                                                    \
      nnc_status_free(s_);                                                           \
    }                                                                                \
  } while (0)
/* A call that must fail with `code` and a message containing `text`. */
static void expectError(nnc_status *s, nnc_status_code code, const char *text, int line) {
  if (!s) {
    fprintf(stderr, "line %d: expected an error, got success\n", line);
    ++failures;
    return;
  }
  if (nnc_status_get_code(s) != code || !strstr(nnc_status_message(s), text)) {
    fprintf(stderr, "line %d: expected code %d with '%s', got %d: %s\n", line, (int)code, text,
            (int)nnc_status_get_code(s), nnc_status_message(s));
    ++failures;
  }
  nnc_status_free(s);
}
#define FAILS(call, code, text) expectError((call), (code), (text), __LINE__)

static char *path(const char *dir, const char *name) {
  static char buffers[8][1024];
  static int next = 0;
  char *b = buffers[next++ % 8];
  snprintf(b, sizeof buffers[0], "%s/%s", dir, name);
  return b;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s MLP.nnca LENET5.nnca WORKDIR\n", argv[0]);
    return 2;
  }
  const char *dir = argv[3];
  nnc_model *mlp = NULL, *lenet = NULL;
  OK(nnc_model_load(argv[1], &mlp));
  OK(nnc_model_load(argv[2], &lenet));
  if (!mlp || !lenet) return 1;
  CHECK(strcmp(nnc_model_name(mlp), "mlp") == 0);
  CHECK(nnc_model_batch(mlp) == 64);
  CHECK(nnc_model_parameter_count(mlp) == 669706);
  CHECK(nnc_model_parameter_count(lenet) == 61706);

  nnc_session *a = NULL, *b = NULL, *c = NULL;
  OK(nnc_session_create(mlp, 7, &a));
  OK(nnc_session_create(mlp, 7, &b));
  OK(nnc_session_create(mlp, 8, &c));
  if (!a || !b || !c) return 1;
  /* 6 parameters and their 6 momentum buffers (SGD with momentum). */
  CHECK(nnc_session_state_count(a) == 12);
  nnc_tensor_info w, wb, wc, buf;
  OK(nnc_session_state_find(a, "h1.w", &w));
  OK(nnc_session_state_find(b, "h1.w", &wb));
  OK(nnc_session_state_find(c, "h1.w", &wc));
  OK(nnc_session_state_find(a, "h1.w.momentum_buffer", &buf));
  CHECK(w.dtype == NNC_F32 && w.role == NNC_ROLE_PARAMETER && w.rank == 2);
  CHECK(w.shape[0] == 512 && w.shape[1] == 784 && w.bytes == 512 * 784 * 4);
  CHECK(buf.role == NNC_ROLE_OPTIMIZER_STATE);
  CHECK(((uintptr_t)w.data % 64) == 0);
  /* The same seed gives the same weights, another seed others; Kaiming-uniform bounds. */
  CHECK(memcmp(w.data, wb.data, w.bytes) == 0);
  CHECK(memcmp(w.data, wc.data, w.bytes) != 0);
  {
    const float *v = (const float *)w.data;
    float bound = 1.7320508f * 1.4142135f / 28.0f; /* sqrt(3) · gain / sqrt(fan_in = 784) */
    int inside = 1, zeros = 1;
    for (size_t i = 0; i < 512 * 784; ++i) inside &= v[i] >= -bound && v[i] <= bound;
    const float *m = (const float *)buf.data;
    for (size_t i = 0; i < 512 * 784; ++i) zeros &= m[i] == 0.0f;
    CHECK(inside);
    CHECK(zeros);
  }
  CHECK(nnc_session_memory_bytes(a) >= 2 * 669706 * 4);

  /* Checkpoint round trip: change a weight and the position, save, load into b. */
  ((float *)w.data)[5] = 42.0f;
  nnc_session_set_position(a, 123, 4);
  OK(nnc_session_save_checkpoint(a, path(dir, "a.nnck")));
  OK(nnc_session_load_checkpoint(b, path(dir, "a.nnck")));
  CHECK(((const float *)wb.data)[5] == 42.0f);
  CHECK(memcmp(w.data, wb.data, w.bytes) == 0);
  int64_t step = 0, epoch = 0;
  nnc_session_get_position(b, &step, &epoch);
  CHECK(step == 123 && epoch == 4);

  /* .npz: parameters out of a, into c. */
  size_t loaded = 0;
  OK(nnc_session_export_npz(a, path(dir, "a.npz"), 0));
  OK(nnc_session_import_npz(c, path(dir, "a.npz"), 0, &loaded));
  CHECK(loaded == 6);
  CHECK(memcmp(w.data, wc.data, w.bytes) == 0);

  /* Errors: another model's checkpoint and weights, missing and foreign files, bad args. */
  nnc_session *l = NULL;
  OK(nnc_session_create(lenet, 1, &l));
  FAILS(nnc_session_load_checkpoint(l, path(dir, "a.nnck")), NNC_STATUS_OTHER_MODEL, "a.nnck");
  FAILS(nnc_session_import_npz(l, path(dir, "a.npz"), 0, NULL), NNC_STATUS_OTHER_MODEL, "names no state tensor");
  FAILS(nnc_session_load_checkpoint(b, path(dir, "missing.nnck")), NNC_STATUS_NOT_FOUND, "missing.nnck");
  FAILS(nnc_session_load_checkpoint(b, argv[1]), NNC_STATUS_FORMAT, argv[1]);
  nnc_model *notAModel = NULL;
  FAILS(nnc_model_load(path(dir, "a.nnck"), &notAModel), NNC_STATUS_FORMAT, "not an nnc model artifact");
  CHECK(notAModel == NULL);
  FAILS(nnc_session_state_find(a, "nope", &w), NNC_STATUS_NOT_FOUND, "has no state tensor 'nope'");
  FAILS(nnc_session_state_at(a, 99, &w), NNC_STATUS_INVALID_ARGUMENT, "out of range");
  FAILS(nnc_model_load(NULL, &mlp), NNC_STATUS_INVALID_ARGUMENT, "path is NULL");
  /* A failed load changed nothing. */
  CHECK(((const float *)wb.data)[5] == 42.0f);

  nnc_session_free(a);
  nnc_session_free(b);
  nnc_session_free(c);
  nnc_session_free(l);
  nnc_model_free(mlp);
  nnc_model_free(lenet);
  nnc_session_free(NULL);
  nnc_model_free(NULL);
  if (failures) fprintf(stderr, "%d checks failed\n", failures);
  else printf("C API: all checks passed\n");
  return failures ? 1 : 0;
}
