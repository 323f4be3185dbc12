// The zoo models whose inputs are not images, trained through the runtime's C API:
// compiled by `nnc compile --emit=obj` (the zoo_lib_* fixtures, tests/zoo/compile_lib.sh)
// into shared libraries this test dlopens, then driven with nnc_session_run on data
// generated here.
//   Perceptron        models/perceptron.graph (compiled with --batch 200): the batch
//                     perceptron rule (hinge with margin 0, SGD lr=1, the whole set as
//                     one batch) on 200 linearly separable points reaches 100% training
//                     accuracy, and the criterion falls to exactly 0.
//   Transformer       models/transformer.graph: the class of a padded sequence is its
//                     first token mod 10; over 300 steps the loss falls to at most 30% of
//                     its first value.
//   TransformerSort   models/transformer_sort.graph: sort 16 tokens from a vocabulary of
//                     32; at most 2000 steps of Adam on fresh random batches until the
//                     token accuracy on 512 held-out sequences reaches 97%; it must reach
//                     at least 95% (the requirement) and the loss must fall.
// Each test prints its numbers (steps, losses, accuracies) for docs/zoo.md.
#include "AlignedStorage.h"
#include "nnc/nnc.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace {

// Frees a status; its message, or "" for success.
std::string messageOf(nnc_status *s) {
  if (!s) return "";
  std::string m = nnc_status_message(s);
  nnc_status_free(s);
  return m.empty() ? "error" : m;
}

// A compiled zoo model (NNC_ZOO_WORK_DIR/<name>.so, symbol nnc_model_<name>) with one
// session, its inputs and results allocated per entry point.
class Zoo {
public:
  explicit Zoo(const std::string &name) {
    const std::string so = std::string(NNC_ZOO_WORK_DIR) + "/" + name + ".so";
    handle_ = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) {
      error = "dlopen " + so + ": " + dlerror() + " (ctest runs the zoo_lib_" + name + " fixture first)";
      return;
    }
    auto *compiled = static_cast<const nnc_compiled_model *>(dlsym(handle_, ("nnc_model_" + name).c_str()));
    if (!compiled) {
      error = "no nnc_model_" + name + " in " + so;
      return;
    }
    if (error = messageOf(nnc_model_from_compiled(compiled, &model_)); !error.empty()) return;
    error = messageOf(nnc_session_create(model_, 1, &session_));
  }
  ~Zoo() {
    nnc_session_free(session_);
    nnc_model_free(model_);
    if (handle_) dlclose(handle_);
  }
  Zoo(const Zoo &) = delete;
  Zoo &operator=(const Zoo &) = delete;

  // The buffers of one entry point: inputs[i] (nnc_model_entry_input order) and results[i].
  struct Entry {
    std::string name;
    std::vector<nnc_value_info> inputInfo, resultInfo;
    std::vector<Aligned> inputs, results;
    Aligned &input(const std::string &n) { return inputs[indexOf(inputInfo, n)]; }
    Aligned &result(const std::string &n) { return results[indexOf(resultInfo, n)]; }
    // The first result of a role (the loss, the first metric).
    Aligned &byRole(nnc_role role) {
      for (size_t i = 0; i < resultInfo.size(); ++i)
        if (resultInfo[i].role == role) return results[i];
      ADD_FAILURE() << name << " has no result of role " << int(role);
      return results.front();
    }
    static size_t indexOf(const std::vector<nnc_value_info> &v, const std::string &n) {
      for (size_t i = 0; i < v.size(); ++i)
        if (n == v[i].name) return i;
      ADD_FAILURE() << "no value named " << n;
      return 0;
    }
  };

  std::string entry(const std::string &name, Entry &out) {
    nnc_entry_info info;
    if (std::string m = messageOf(nnc_model_entry_find(model_, name.c_str(), &info)); !m.empty()) return m;
    out.name = name;
    for (size_t i = 0; i < info.input_count; ++i) {
      nnc_value_info v;
      if (std::string m = messageOf(nnc_model_entry_input(model_, name.c_str(), i, &v)); !m.empty()) return m;
      out.inputInfo.push_back(v);
      out.inputs.emplace_back(v.bytes);
    }
    for (size_t i = 0; i < info.result_count; ++i) {
      nnc_value_info v;
      if (std::string m = messageOf(nnc_model_entry_result(model_, name.c_str(), i, &v)); !m.empty()) return m;
      out.resultInfo.push_back(v);
      out.results.emplace_back(v.bytes);
    }
    return "";
  }

  std::string run(Entry &e) {
    std::vector<const void *> in;
    std::vector<void *> res;
    for (Aligned &a : e.inputs) in.push_back(a.p.get());
    for (Aligned &a : e.results) res.push_back(a.p.get());
    return messageOf(nnc_session_run(session_, e.name.c_str(), in.data(), in.size(), res.data(), res.size()));
  }

  int64_t batch() const { return nnc_model_batch(model_); }
  std::string error;

private:
  void *handle_ = nullptr;
  nnc_model *model_ = nullptr;
  nnc_session *session_ = nullptr;
};

double seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

#define ZOO_OK(expr) ASSERT_EQ((expr), "") << #expr

// --- Perceptron ---------------------------------------------------------------------

TEST(Zoo, PerceptronSeparable) {
  Zoo zoo("perceptron");
  ASSERT_EQ(zoo.error, "");
  const int64_t n = zoo.batch(); // the whole training set is one batch
  ASSERT_EQ(n, 200) << "the zoo_lib_perceptron fixture compiles with --batch 200";
  Zoo::Entry train, predict;
  ZOO_OK(zoo.entry("train_step", train));
  ZOO_OK(zoo.entry("predict", predict));

  // Points uniform in [-1, 1]^2, labelled by the line 0.8 x0 - 0.6 x1 + 0.1 = 0, keeping
  // only those at distance >= 0.1 from it (margin 0.1).
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  float *x = train.input("x").as<float>(), *y = train.input("y").as<float>();
  for (int64_t i = 0; i < n;) {
    const float a = u(rng), b = u(rng), s = 0.8f * a - 0.6f * b + 0.1f;
    if (std::fabs(s) < 0.1f) continue;
    x[2 * i] = a, x[2 * i + 1] = b, y[i] = s > 0 ? 1.f : -1.f;
    ++i;
  }
  std::memcpy(predict.input("x").as<float>(), x, size_t(n) * 2 * sizeof(float));

  const auto start = std::chrono::steady_clock::now();
  float firstLoss = -1, loss = -1, accuracy = 0;
  int steps = 0;
  for (; steps < 5000 && accuracy < 1.f; ++steps) {
    ZOO_OK(zoo.run(train));
    loss = *train.byRole(NNC_ROLE_LOSS).as<float>(); // before this step's update
    accuracy = *train.byRole(NNC_ROLE_METRIC).as<float>();
    if (steps == 0) firstLoss = loss;
  }
  // The metric is of the weights before the last step; a step at 100% changes nothing
  // (no point violates the criterion, so the gradient is 0).
  std::printf("perceptron: %lld points, 100%% training accuracy after %d steps (%d updates), criterion %.4g -> "
              "%.4g, %.2f s\n",
              static_cast<long long>(n), steps, steps - 1, firstLoss, loss, seconds(start));
  ASSERT_EQ(accuracy, 1.f) << "the batch perceptron rule did not separate the set in 5000 steps";
  EXPECT_GT(firstLoss, 0.f);
  EXPECT_EQ(loss, 0.f) << "the perceptron criterion is 0 exactly when every point is on its side";

  ZOO_OK(zoo.run(predict)); // pred = step(score): 1 for class +1, 0 for class -1
  const float *pred = predict.result("pred").as<float>();
  int wrong = 0;
  for (int64_t i = 0; i < n; ++i) wrong += pred[i] != (y[i] > 0 ? 1.f : 0.f);
  EXPECT_EQ(wrong, 0) << "predict disagrees with the labels after training";
}

// --- Transformer classifier -----------------------------------------------------------

TEST(Zoo, TransformerClassifier) {
  Zoo zoo("transformer");
  ASSERT_EQ(zoo.error, "");
  Zoo::Entry train;
  ZOO_OK(zoo.entry("train_step", train));
  const int64_t B = zoo.batch(), T = 16, V = 32;
  int64_t *tokens = train.input("tokens").as<int64_t>(), *y = train.input("y").as<int64_t>();
  float *mask = train.input("mask").as<float>();
  std::mt19937 rng(3);
  const auto start = std::chrono::steady_clock::now();
  const int kSteps = 300, kWindow = 20;
  double first = 0, last = 0, lastAccuracy = 0;
  for (int step = 0; step < kSteps; ++step) {
    for (int64_t i = 0; i < B; ++i) {
      const int64_t length = 4 + int64_t(rng() % (T - 3)); // 4 .. 16 real tokens
      for (int64_t t = 0; t < T; ++t) {
        tokens[i * T + t] = t < length ? int64_t(rng() % V) : 0;
        mask[i * T + t] = t < length ? 1.f : 0.f;
      }
      y[i] = tokens[i * T] % 10;
    }
    ZOO_OK(zoo.run(train));
    const double loss = *train.byRole(NNC_ROLE_LOSS).as<float>();
    ASSERT_TRUE(std::isfinite(loss)) << "step " << step + 1;
    if (step < kWindow) first += loss / kWindow;
    if (step >= kSteps - kWindow) {
      last += loss / kWindow;
      lastAccuracy += *train.byRole(NNC_ROLE_METRIC).as<float>() / kWindow;
    }
  }
  std::printf("transformer: mean loss of steps 1-%d %.4f, of steps %d-%d %.4f (batch accuracy %.3f), %.1f s\n",
              kWindow, first, kSteps - kWindow + 1, kSteps, last, lastAccuracy, seconds(start));
  EXPECT_LE(last, 0.3 * first) << "the loss did not fall to 30% of its start in " << kSteps << " steps";
}

// --- Transformer sequence model: sorting ------------------------------------------------

// Fills a batch of random sequences (tokens) and their sorted copies (y).
void sortBatch(std::mt19937 &rng, int64_t B, int64_t T, int64_t V, int64_t *tokens, int64_t *y) {
  for (int64_t i = 0; i < B; ++i) {
    for (int64_t t = 0; t < T; ++t) tokens[i * T + t] = int64_t(rng() % V);
    std::copy(tokens + i * T, tokens + (i + 1) * T, y + i * T);
    std::sort(y + i * T, y + (i + 1) * T);
  }
}

TEST(Zoo, TransformerSort) {
  Zoo zoo("transformer_sort");
  ASSERT_EQ(zoo.error, "");
  Zoo::Entry train, eval;
  ZOO_OK(zoo.entry("train_step", train));
  ZOO_OK(zoo.entry("forward", eval));
  const int64_t B = zoo.batch(), T = 16, V = 32;
  ASSERT_EQ(train.inputInfo[0].bytes, size_t(B * T) * sizeof(int64_t));

  // Held-out sequences: 8 batches from their own generator.
  const int kEvalBatches = 8;
  std::mt19937 heldOutRng(99), rng(5);
  std::vector<std::vector<int64_t>> heldTokens(kEvalBatches, std::vector<int64_t>(B * T)),
      heldSorted(kEvalBatches, std::vector<int64_t>(B * T));
  for (int k = 0; k < kEvalBatches; ++k) sortBatch(heldOutRng, B, T, V, heldTokens[k].data(), heldSorted[k].data());
  auto heldOutAccuracy = [&](double &loss) -> double {
    double acc = 0;
    loss = 0;
    for (int k = 0; k < kEvalBatches; ++k) {
      std::memcpy(eval.input("tokens").p.get(), heldTokens[k].data(), B * T * sizeof(int64_t));
      std::memcpy(eval.input("y").p.get(), heldSorted[k].data(), B * T * sizeof(int64_t));
      EXPECT_EQ(zoo.run(eval), "");
      acc += *eval.byRole(NNC_ROLE_METRIC).as<float>() / kEvalBatches;
      loss += *eval.byRole(NNC_ROLE_LOSS).as<float>() / kEvalBatches;
    }
    return acc;
  };

  const auto start = std::chrono::steady_clock::now();
  double loss0 = 0;
  const double accuracy0 = heldOutAccuracy(loss0);
  const int kMaxSteps = 2000, kEvery = 100;
  const double kStop = 0.97, kRequired = 0.95;
  double accuracy = accuracy0, loss = loss0;
  int steps = 0;
  while (steps < kMaxSteps && accuracy < kStop) {
    for (int i = 0; i < kEvery; ++i, ++steps) {
      sortBatch(rng, B, T, V, train.input("tokens").as<int64_t>(), train.input("y").as<int64_t>());
      ZOO_OK(zoo.run(train));
      ASSERT_TRUE(std::isfinite(*train.byRole(NNC_ROLE_LOSS).as<float>())) << "step " << steps + 1;
    }
    accuracy = heldOutAccuracy(loss);
    std::printf("transformer_sort: step %d: held-out token accuracy %.4f, loss %.4f (%.1f s)\n", steps, accuracy,
                loss, seconds(start));
    std::fflush(stdout);
  }
  std::printf("transformer_sort: held-out token accuracy %.4f -> %.4f, loss %.4f -> %.4f after %d steps of batch "
              "%lld, %.1f s\n",
              accuracy0, accuracy, loss0, loss, steps, static_cast<long long>(B), seconds(start));
  EXPECT_GE(accuracy, kRequired) << "token accuracy on held-out sequences after " << steps << " steps";
  EXPECT_LE(loss, 0.2 * loss0) << "the held-out loss did not fall to 20% of its start";
}

} // namespace
