/* classify: an app that embeds a model compiled by `nnc compile --emit=lib` (see README.md).
 * It loads the model from the generated header's descriptor, creates a session, loads a
 * checkpoint (or starts from the seed's initial weights), classifies the first N test
 * images of Fashion-MNIST (prints each prediction and the accuracy), runs K more train
 * steps on training images and saves the state as a new checkpoint.
 *
 * The model is any image classifier in the shape the training binary takes: entry points
 * `predict` (x -> outputs, the first a (B, classes) score per class) and `train_step`
 * (x, y -> loss, metrics), with x f32 (B, 1, 28, 28), (B, 28, 28) or (B, 784) and y
 * i64[B]. Pixels are scaled to [0, 1] and standardized per channel with the training
 * set's mean and standard deviation, as `./model train` does by default.
 *
 * Exit status: 0 on success, 1 for data, model and checkpoint errors, 2 for usage errors.
 */
#include <nnc/nnc.h>

#include CLASSIFY_MODEL_HEADER /* e.g. "logistic.h", written by nnc compile --emit=lib */

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define DEFAULT_DATA "/usr/share/datasets/fashion-mnist"

static const char *const kFashionNames[10] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                              "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

static const char *fashion_name(int64_t c) { return c >= 0 && c < 10 ? kFashionNames[c] : "?"; }

typedef struct options {
  const char *checkpoint; /* NULL: the seed's initial weights */
  const char *data;
  const char *output;
  unsigned long long seed;
  long count;       /* test images to classify */
  long train_steps; /* train steps after classifying */
  double lr;        /* <= 0: the model's default */
} options;

/* A dataset in memory: `count` images of rows x cols floats and their labels. */
typedef struct dataset {
  long count, rows, cols;
  float *images;  /* (count, rows * cols), scaled to [0, 1] */
  int64_t *labels;
} dataset;

static void usage(FILE *out) {
  fprintf(out,
          "usage: classify [--checkpoint FILE] [--seed N] [--data DIR] [--count N]\n"
          "                [--train-steps K] [--lr X] [--output FILE]\n"
          "  --checkpoint FILE  weights to start from (a .nnck of the same model; default: the\n"
          "                     initial weights drawn from --seed)\n"
          "  --seed N           seed of the initial weights (0)\n"
          "  --data DIR         MNIST-style IDX files, raw or .gz (" DEFAULT_DATA ")\n"
          "  --count N          classify the first N test images (100)\n"
          "  --train-steps K    train steps on training images afterwards (10; 0: none)\n"
          "  --lr X             learning rate of those steps (default: the model's)\n"
          "  --output FILE      checkpoint written after training (classify.nnck)\n");
}

/* Prints "classify: error: <message>"; returns 1 (the exit status of such errors). */
__attribute__((format(printf, 1, 2))) static int fail(const char *format, ...) {
  va_list args;
  va_start(args, format);
  fprintf(stderr, "classify: error: ");
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
  va_end(args);
  return 1;
}

/* Prints and frees a status; returns 1 (the exit status of such errors). */
static int fail_status(const char *what, nnc_status *status) {
  fprintf(stderr, "classify: error: %s: %s\n", what, nnc_status_message(status));
  nnc_status_free(status);
  return 1;
}

static void *aligned_buffer(size_t bytes) {
  size_t rounded = (bytes + 63) / 64 * 64; /* aligned_alloc wants a multiple of the alignment */
  void *p = aligned_alloc(64, rounded ? rounded : 64);
  if (p) memset(p, 0, rounded ? rounded : 64);
  return p;
}

static int parse_long(const char *text, long min, long *out) {
  char *end;
  errno = 0;
  long v = strtol(text, &end, 10);
  if (errno || end == text || *end || v < min) return 0;
  *out = v;
  return 1;
}

/* Returns 0 on success, 2 after printing a usage error; -1 for --help. */
static int parse_options(int argc, char **argv, options *o) {
  o->checkpoint = NULL;
  o->data = DEFAULT_DATA;
  o->output = "classify.nnck";
  o->seed = 0;
  o->count = 100;
  o->train_steps = 10;
  o->lr = 0;
  for (int i = 1; i < argc; ++i) {
    const char *flag = argv[i];
    if (!strcmp(flag, "-h") || !strcmp(flag, "--help")) return -1;
    if (i + 1 >= argc) {
      fprintf(stderr, "classify: error: %s needs a value (or is unknown)\n", flag);
      usage(stderr);
      return 2;
    }
    const char *value = argv[++i];
    long n;
    char *end;
    if (!strcmp(flag, "--checkpoint")) o->checkpoint = value;
    else if (!strcmp(flag, "--data")) o->data = value;
    else if (!strcmp(flag, "--output")) o->output = value;
    else if (!strcmp(flag, "--seed") && parse_long(value, 0, &n)) o->seed = (unsigned long long)n;
    else if (!strcmp(flag, "--count") && parse_long(value, 1, &n)) o->count = n;
    else if (!strcmp(flag, "--train-steps") && parse_long(value, 0, &n)) o->train_steps = n;
    else if (!strcmp(flag, "--lr") && (o->lr = strtod(value, &end), end != value && !*end && o->lr > 0)) {
    } else {
      fprintf(stderr, "classify: error: %s %s: unknown flag or invalid value\n", flag, value);
      usage(stderr);
      return 2;
    }
  }
  return 0;
}

/* --- IDX files (big-endian header, unsigned bytes), read through zlib: raw or .gz --- */

static gzFile open_idx(const char *dir, const char *name, char *path, size_t path_size) {
  snprintf(path, path_size, "%s/%s", dir, name);
  gzFile f = gzopen(path, "rb");
  if (f) return f;
  snprintf(path, path_size, "%s/%s.gz", dir, name);
  return gzopen(path, "rb");
}

static int read_u32(gzFile f, uint32_t *out) {
  unsigned char b[4];
  if (gzread(f, b, 4) != 4) return 0;
  *out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
  return 1;
}

/* Reads `part` ("train" or "t10k") of an MNIST-style folder into `out`. */
static int load_idx(const char *dir, const char *part, dataset *out) {
  char name[64], path[4096];
  uint32_t magic, count, rows, cols, label_count;
  memset(out, 0, sizeof *out);

  snprintf(name, sizeof name, "%s-images-idx3-ubyte", part);
  gzFile f = open_idx(dir, name, path, sizeof path);
  if (!f) return fail("cannot open %s/%s[.gz]", dir, name);
  if (!read_u32(f, &magic) || magic != 0x803 || !read_u32(f, &count) || !read_u32(f, &rows) ||
      !read_u32(f, &cols) || !count || !rows || !cols || (uint64_t)count * rows * cols > (1u << 31)) {
    gzclose(f);
    return fail("%s: not an IDX images file (magic 0x00000803, N, H, W)", path);
  }
  size_t pixels = (size_t)count * rows * cols;
  unsigned char *bytes = malloc(pixels);
  out->images = aligned_buffer(pixels * sizeof(float));
  if (!bytes || !out->images) {
    free(bytes);
    gzclose(f);
    return fail("%s: out of memory", path);
  }
  int got = gzread(f, bytes, (unsigned)pixels);
  gzclose(f);
  if (got < 0 || (size_t)got != pixels) {
    free(bytes);
    return fail("%s: truncated or corrupt", path);
  }
  for (size_t i = 0; i < pixels; ++i) out->images[i] = (float)bytes[i] / 255.0f;
  free(bytes);
  out->count = (long)count;
  out->rows = (long)rows;
  out->cols = (long)cols;

  snprintf(name, sizeof name, "%s-labels-idx1-ubyte", part);
  f = open_idx(dir, name, path, sizeof path);
  if (!f) return fail("cannot open %s/%s[.gz]", dir, name);
  if (!read_u32(f, &magic) || magic != 0x801 || !read_u32(f, &label_count)) {
    gzclose(f);
    return fail("%s: not an IDX labels file (magic 0x00000801, N)", path);
  }
  if (label_count != count) {
    gzclose(f);
    return fail("%s: %u labels for %u images", path, label_count, count);
  }
  unsigned char *labels = malloc(count);
  out->labels = malloc(count * sizeof(int64_t));
  if (!labels || !out->labels) {
    free(labels);
    gzclose(f);
    return fail("%s: out of memory", path);
  }
  got = gzread(f, labels, count);
  gzclose(f);
  if (got < 0 || (uint32_t)got != count) {
    free(labels);
    return fail("%s: truncated or corrupt", path);
  }
  for (uint32_t i = 0; i < count; ++i) out->labels[i] = labels[i];
  free(labels);
  return 0;
}

static void free_dataset(dataset *d) {
  free(d->images);
  free(d->labels);
}

/* Per-channel standardization (one channel): the training set's mean and population
 * standard deviation, two passes in double precision, applied to both sets. */
static void standardize(dataset *train, dataset *test) {
  size_t n = (size_t)train->count * train->rows * train->cols;
  double mean = 0, sq = 0;
  for (size_t i = 0; i < n; ++i) mean += train->images[i];
  mean /= (double)n;
  for (size_t i = 0; i < n; ++i) sq += (train->images[i] - mean) * (train->images[i] - mean);
  double sd = sqrt(sq / (double)n);
  float fmean = (float)mean, fsd = sd < 1e-6 ? 1.0f : (float)sd;
  double scale = 1.0 / (double)fsd;
  dataset *sets[2] = {train, test};
  for (int s = 0; s < 2; ++s) {
    size_t m = (size_t)sets[s]->count * sets[s]->rows * sets[s]->cols;
    for (size_t i = 0; i < m; ++i) sets[s]->images[i] = (float)(((double)sets[s]->images[i] - fmean) * scale);
  }
  printf("standardized with the training set's mean %.4f and std %.4f\n", fmean, fsd);
}

/* Copies examples first, first+1, ... (wrapping around) into a batch of B rows. */
static void fill_batch(const dataset *d, long first, long batch, float *x, int64_t *y) {
  size_t size = (size_t)d->rows * d->cols;
  for (long r = 0; r < batch; ++r) {
    long e = (first + r) % d->count;
    memcpy(x + (size_t)r * size, d->images + (size_t)e * size, size * sizeof(float));
    if (y) y[r] = d->labels[e];
  }
}

/* Result buffers of entry point `entry`, one aligned buffer per result. */
static int alloc_results(const nnc_model *model, const char *entry, size_t count, void **out) {
  for (size_t i = 0; i < count; ++i) {
    nnc_value_info info;
    nnc_status *s = nnc_model_entry_result(model, entry, i, &info);
    if (s) return fail_status(entry, s);
    if (!(out[i] = aligned_buffer(info.bytes))) return fail("out of memory");
  }
  return 0;
}

typedef struct app {
  options o;
  nnc_model *model;
  nnc_session *session;
  dataset train, test;
  int64_t batch, classes;
  float *x;   /* one batch of images */
  int64_t *y; /* one batch of labels */
} app;

/* Checks the model is an image classifier of the data's image size. */
static int check_model(app *a) {
  nnc_entry_info predict, train;
  nnc_value_info x, out, y;
  nnc_status *s;
  if ((s = nnc_model_entry_find(a->model, "predict", &predict))) return fail_status("model", s);
  if ((s = nnc_model_entry_find(a->model, "train_step", &train))) return fail_status("model", s);
  if ((s = nnc_model_entry_input(a->model, "predict", 0, &x))) return fail_status("model", s);
  if ((s = nnc_model_entry_result(a->model, "predict", 0, &out))) return fail_status("model", s);
  if (train.input_count != 2 || train.result_count > 16)
    return fail("model '%s': train_step must take (x, y)", nnc_model_name(a->model));
  if ((s = nnc_model_entry_input(a->model, "train_step", 1, &y))) return fail_status("model", s);
  long size = 1;
  for (int32_t d = 1; d < x.rank; ++d) size *= (long)x.shape[d];
  if (predict.input_count != 1 || x.dtype != NNC_F32 || x.rank < 2 || size != a->test.rows * a->test.cols)
    return fail("model '%s': predict must take one f32 batch of %ldx%ld images (the data's size)",
                nnc_model_name(a->model), a->test.rows, a->test.cols);
  if (out.dtype != NNC_F32 || out.rank != 2 || out.shape[0] != x.shape[0])
    return fail("model '%s': predict's first result %s must be f32 (B, classes)", nnc_model_name(a->model),
                out.name);
  if (y.dtype != NNC_I64 || y.rank != 1 || y.shape[0] != x.shape[0])
    return fail("model '%s': train_step's labels %s must be i64 (B)", nnc_model_name(a->model), y.name);
  a->batch = x.shape[0];
  a->classes = out.shape[1];
  return 0;
}

/* Classifies the first --count test images with `predict`; prints each and the accuracy. */
static int classify(app *a) {
  nnc_entry_info info;
  nnc_status *s = nnc_model_entry_find(a->model, "predict", &info);
  if (s) return fail_status("predict", s);
  void *results[16];
  if (info.result_count > 16) return fail("predict has too many results");
  memset(results, 0, sizeof results);
  int rc = alloc_results(a->model, "predict", info.result_count, results);
  long n = a->o.count < a->test.count ? a->o.count : a->test.count, correct = 0;
  /* Fashion-MNIST's class names when the folder's name says it is Fashion-MNIST. */
  int names = a->classes == 10 && strstr(a->o.data, "fashion") != NULL;
  for (long first = 0; !rc && first < n; first += a->batch) {
    /* The last batch is padded with the images after it (their predictions are unused). */
    fill_batch(&a->test, first, a->batch, a->x, NULL);
    const void *inputs[1] = {a->x};
    if ((s = nnc_session_run(a->session, "predict", inputs, 1, results, info.result_count))) {
      rc = fail_status("predict", s);
      break;
    }
    const float *scores = results[0]; /* (B, classes) */
    for (long r = 0; r < a->batch && first + r < n; ++r) {
      const float *row = scores + r * a->classes;
      int64_t best = 0;
      for (int64_t c = 1; c < a->classes; ++c)
        if (row[c] > row[best]) best = c;
      int64_t label = a->test.labels[first + r];
      correct += best == label;
      if (names)
        printf("test image %ld: %s (%lld), label %s (%lld)%s\n", first + r, fashion_name(best), (long long)best,
               fashion_name(label), (long long)label, best == label ? "" : "  <- wrong");
      else
        printf("test image %ld: class %lld, label %lld%s\n", first + r, (long long)best, (long long)label,
               best == label ? "" : "  <- wrong");
    }
  }
  if (!rc) printf("accuracy: %.4f (%ld of %ld test images)\n", (double)correct / (double)n, correct, n);
  for (size_t i = 0; i < 16; ++i) free(results[i]);
  return rc;
}

/* Runs --train-steps train steps on consecutive training images and prints the loss and
 * metrics of each; the batches continue where the session's step position left off. */
static int train(app *a) {
  nnc_entry_info info;
  nnc_status *s = nnc_model_entry_find(a->model, "train_step", &info);
  if (s) return fail_status("train_step", s);
  if (a->o.lr > 0 && (s = nnc_session_set_hyperparameter(a->session, "lr", a->o.lr)))
    return fail_status("--lr", s);
  void *results[16];
  memset(results, 0, sizeof results);
  int rc = alloc_results(a->model, "train_step", info.result_count, results);
  for (long k = 0; !rc && k < a->o.train_steps; ++k) {
    int64_t step, epoch;
    nnc_session_get_position(a->session, &step, &epoch);
    fill_batch(&a->train, (long)(step * a->batch % a->train.count), a->batch, a->x, a->y);
    const void *inputs[2] = {a->x, a->y};
    if ((s = nnc_session_run(a->session, "train_step", inputs, 2, results, info.result_count))) {
      rc = fail_status("train_step", s);
      break;
    }
    printf("train step %lld:", (long long)step + 1);
    size_t loss = 0;
    for (size_t i = 0; i < info.result_count; ++i) {
      nnc_value_info v;
      nnc_model_entry_result(a->model, "train_step", i, &v);
      if (v.role == NNC_ROLE_LOSS) loss = i;
      if (v.rank == 0 && v.dtype == NNC_F32) printf(" %s %.4f", v.name, *(const float *)results[i]);
    }
    printf("\n");
    if (!isfinite(*(const float *)results[loss])) rc = fail("the loss diverged at step %lld", (long long)step + 1);
  }
  for (size_t i = 0; i < 16; ++i) free(results[i]);
  return rc;
}

static int run(app *a) {
  nnc_status *s;
  int rc;
  /* The model: the descriptor the generated header declares (ABI and artifact checked). */
  if ((s = nnc_model_from_compiled(&CLASSIFY_MODEL_SYMBOL, &a->model))) return fail_status("model", s);
  printf("model %s: %lld parameters, batch %lld\n", nnc_model_name(a->model),
         (long long)nnc_model_parameter_count(a->model), (long long)nnc_model_batch(a->model));

  if ((rc = load_idx(a->o.data, "t10k", &a->test))) return rc;
  if ((rc = load_idx(a->o.data, "train", &a->train))) return rc;
  if (a->train.rows != a->test.rows || a->train.cols != a->test.cols)
    return fail("%s: training and test images differ in size", a->o.data);
  if ((rc = check_model(a))) return rc;
  standardize(&a->train, &a->test);

  /* The session: initial weights from the seed, then the checkpoint's state if given. */
  if ((s = nnc_session_create(a->model, a->o.seed, &a->session))) return fail_status("session", s);
  if (a->o.checkpoint) {
    if ((s = nnc_session_load_checkpoint(a->session, a->o.checkpoint))) return fail_status("loading the checkpoint", s);
    int64_t step, epoch;
    nnc_session_get_position(a->session, &step, &epoch);
    printf("checkpoint %s: step %lld, epoch %lld\n", a->o.checkpoint, (long long)step, (long long)epoch);
  } else {
    printf("no checkpoint: the initial weights of seed %llu\n", a->o.seed);
  }

  size_t image = (size_t)a->test.rows * a->test.cols;
  a->x = aligned_buffer((size_t)a->batch * image * sizeof(float));
  a->y = aligned_buffer((size_t)a->batch * sizeof(int64_t));
  if (!a->x || !a->y) return fail("out of memory");

  if ((rc = classify(a))) return rc;
  if (a->o.train_steps == 0) return 0;
  if ((rc = train(a))) return rc;
  if ((s = nnc_session_save_checkpoint(a->session, a->o.output))) return fail_status("saving the checkpoint", s);
  int64_t step, epoch;
  nnc_session_get_position(a->session, &step, &epoch);
  printf("saved %s (step %lld)\n", a->o.output, (long long)step);
  return 0;
}

int main(int argc, char **argv) {
  app a;
  memset(&a, 0, sizeof a);
  int rc = parse_options(argc, argv, &a.o);
  if (rc == -1) {
    usage(stdout);
    return 0;
  }
  if (rc) return rc;
  rc = run(&a);
  /* Everything the C API returned belongs to us: free sessions before their model. */
  nnc_session_free(a.session);
  nnc_model_free(a.model);
  free_dataset(&a.train);
  free_dataset(&a.test);
  free(a.x);
  free(a.y);
  return rc;
}
