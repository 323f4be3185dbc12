// The fake compiled softmax regression (see fake_logistic_model.h). Arithmetic in float
// like generated code, with float accumulation in a fixed order, so runs are bit-for-bit
// reproducible.
#include "fake_logistic_model.h"

#include "artifact/Artifact.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace nnc::fake {

TrainCall lastTrainCall;

namespace {

int64_t B = 0, D = 0, K = 0;
std::vector<uint8_t> artifactBytes;

void check(bool ok, const char *what) {
  if (!ok) {
    std::fprintf(stderr, "fake logistic model: ABI violation: %s\n", what);
    std::abort();
  }
}

void checkAligned(void *const *args, int count) {
  for (int i = 0; i < count; ++i) check(reinterpret_cast<uintptr_t>(args[i]) % 64 == 0, "a pointer is not 64-byte aligned");
}

// logits = x · wᵀ + b for row r: (K)
void logitsOf(const float *w, const float *b, const float *x, int64_t r, float *logits) {
  for (int64_t k = 0; k < K; ++k) {
    float s = b[k];
    for (int64_t d = 0; d < D; ++d) s += x[r * D + d] * w[k * D + d];
    logits[k] = s;
  }
}

// Softmax probabilities of one row and its cross-entropy loss against `label`.
float softmaxRow(const float *logits, int64_t label, float *probs) {
  float m = logits[0];
  for (int64_t k = 1; k < K; ++k) m = std::max(m, logits[k]);
  float z = 0;
  for (int64_t k = 0; k < K; ++k) z += std::exp(logits[k] - m);
  for (int64_t k = 0; k < K; ++k) probs[k] = std::exp(logits[k] - m) / z;
  return label >= 0 ? std::log(z) + m - logits[label] : 0.0f;
}

int64_t argmax(const float *v) {
  int64_t best = 0;
  for (int64_t k = 1; k < K; ++k)
    if (v[k] > v[best]) best = k;
  return best;
}

// args: w, b, x, y, lr, momentum, dampening, weight_decay, step, seed, loss, accuracy
void trainStep(void *const *args) {
  checkAligned(args, 12);
  float *w = static_cast<float *>(args[0]), *b = static_cast<float *>(args[1]);
  const float *x = static_cast<const float *>(args[2]);
  const int64_t *y = static_cast<const int64_t *>(args[3]);
  const float lr = *static_cast<const float *>(args[4]);
  const int64_t step = *static_cast<const int64_t *>(args[8]), seed = *static_cast<const int64_t *>(args[9]);
  check(step >= 1, "step < 1");
  lastTrainCall = {lastTrainCall.calls + 1, step, seed, lr};
  if (const char *log = std::getenv("NNC_FAKE_LOG")) {
    if (std::FILE *f = std::fopen(log, "a")) {
      std::fprintf(f, "step %lld seed %lld lr %g\n", static_cast<long long>(step), static_cast<long long>(seed), lr);
      std::fclose(f);
    }
  }
  std::vector<float> logits(static_cast<size_t>(K)), probs(static_cast<size_t>(K)), gw(size_t(K * D), 0.0f), gb(size_t(K), 0.0f);
  float loss = 0, correct = 0;
  for (int64_t r = 0; r < B; ++r) {
    logitsOf(w, b, x, r, logits.data());
    loss += softmaxRow(logits.data(), y[r], probs.data());
    correct += argmax(logits.data()) == y[r] ? 1.0f : 0.0f;
    for (int64_t k = 0; k < K; ++k) {
      float g = (probs[size_t(k)] - (k == y[r] ? 1.0f : 0.0f)) / float(B);
      gb[size_t(k)] += g;
      for (int64_t d = 0; d < D; ++d) gw[size_t(k * D + d)] += g * x[r * D + d];
    }
  }
  for (int64_t i = 0; i < K * D; ++i) w[i] -= lr * gw[size_t(i)];
  for (int64_t k = 0; k < K; ++k) b[k] -= lr * gb[size_t(k)];
  *static_cast<float *>(args[10]) = loss / float(B);
  *static_cast<float *>(args[11]) = correct / float(B);
}

// args: w, b, x, y, probs, loss, accuracy
void forward(void *const *args) {
  checkAligned(args, 7);
  const float *w = static_cast<const float *>(args[0]), *b = static_cast<const float *>(args[1]);
  const float *x = static_cast<const float *>(args[2]);
  const int64_t *y = static_cast<const int64_t *>(args[3]);
  float *probs = static_cast<float *>(args[4]);
  std::vector<float> logits(static_cast<size_t>(K));
  float loss = 0, correct = 0;
  for (int64_t r = 0; r < B; ++r) {
    logitsOf(w, b, x, r, logits.data());
    loss += softmaxRow(logits.data(), y[r], probs + r * K);
    correct += argmax(logits.data()) == y[r] ? 1.0f : 0.0f;
  }
  *static_cast<float *>(args[5]) = loss / float(B);
  *static_cast<float *>(args[6]) = correct / float(B);
}

// args: w, b, x, probs
void predict(void *const *args) {
  checkAligned(args, 4);
  const float *w = static_cast<const float *>(args[0]), *b = static_cast<const float *>(args[1]);
  const float *x = static_cast<const float *>(args[2]);
  float *probs = static_cast<float *>(args[3]);
  std::vector<float> logits(static_cast<size_t>(K));
  for (int64_t r = 0; r < B; ++r) {
    logitsOf(w, b, x, r, logits.data());
    softmaxRow(logits.data(), -1, probs + r * K);
  }
}

const nnc_entry_symbol kEntries[] = {{"train_step", trainStep}, {"forward", forward}, {"predict", predict}};

// The names of an entry point's arguments and results, in order.
std::vector<std::string> namesOf(const rt::EntryPointSpec *e) {
  std::vector<std::string> names;
  if (!e) return names;
  for (const auto &v : e->arguments) names.push_back(v.name);
  for (const auto &v : e->results) names.push_back(v.name);
  return names;
}

} // namespace

nnc_compiled_model makeLogisticModel(std::vector<uint8_t> artifact, std::string &error) {
  artifactBytes = std::move(artifact);
  nnc_compiled_model model{NNC_COMPILED_MODEL_ABI, artifactBytes.data(), artifactBytes.size(), kEntries, 3};
  auto image = rt::AlignedBuffer::allocate(artifactBytes.size(), "artifact");
  if (!image) {
    error = "out of memory";
    return model;
  }
  std::memcpy(image->data(), artifactBytes.data(), artifactBytes.size());
  auto parsed = rt::parseArtifact(image.value(), "fake artifact");
  if (!parsed) {
    error = parsed.error().message;
    return model;
  }
  const rt::Artifact &a = parsed.value();
  using Names = std::vector<std::string>;
  if (a.state.size() != 2 || a.state[0].name != "w" || a.state[1].name != "b" ||
      namesOf(a.entryPoint("train_step")) !=
          Names{"x", "y", "lr", "momentum", "dampening", "weight_decay", "step", "seed", "loss", "accuracy"} ||
      namesOf(a.entryPoint("forward")) != Names{"x", "y", "probs", "loss", "accuracy"} ||
      namesOf(a.entryPoint("predict")) != Names{"x", "probs"}) {
    error = "the artifact is not models/logistic.graph's";
    return model;
  }
  K = a.state[0].shape[0];
  D = a.state[0].shape[1];
  B = a.entryPoint("predict")->arguments[0].shape[0];
  return model;
}

nnc_compiled_model loadLogisticModel(const char *path) {
  std::ifstream in(path ? path : "", std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string error;
  nnc_compiled_model model = makeLogisticModel(std::move(bytes), error);
  if (!error.empty()) {
    std::fprintf(stderr, "fake logistic model: %s: %s\n", path ? path : "(no path)", error.c_str());
    model.artifact_size = 0;
  }
  return model;
}

} // namespace nnc::fake
