// The runtime's execution layer through the C API: a compiled model (the fake softmax
// regression of fake_logistic_model.h around the artifact of models/logistic.graph) runs
// train_step, forward and predict; the session binds state, hyperparameters, the step and
// the seed; entry points describe their values; bad models and bad calls give errors.
#include "fake_logistic_model.h"

#include "nnc/nnc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

namespace {

using nnc::fake::lastTrainCall;

// Frees a status and returns its code; the message goes to `message`.
nnc_status_code codeOf(nnc_status *s, std::string *message = nullptr) {
  nnc_status_code code = nnc_status_get_code(s);
  if (message) *message = nnc_status_message(s);
  nnc_status_free(s);
  return code;
}

#define NNC_OK(call)                                                                                                  \
  do {                                                                                                                \
    std::string m_;                                                                                                   \
    ASSERT_EQ(codeOf((call), &m_), NNC_STATUS_OK) << m_;                                                              \
  } while (0)

std::vector<uint8_t> readArtifact() {
  std::ifstream in(NNC_EXEC_TEST_ARTIFACT, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// 64-byte aligned storage for one tensor.
struct Aligned {
  explicit Aligned(size_t bytes) : p(static_cast<char *>(std::aligned_alloc(64, (bytes + 63) / 64 * 64 + 64))) {}
  ~Aligned() { std::free(p); }
  char *p;
  template <class T> T *as(size_t byteOffset = 0) { return reinterpret_cast<T *>(p + byteOffset); }
};

class Exec : public ::testing::Test {
protected:
  void SetUp() override {
    std::vector<uint8_t> bytes = readArtifact();
    ASSERT_FALSE(bytes.empty()) << NNC_EXEC_TEST_ARTIFACT << " is missing: ctest runs the exec_artifacts fixture first";
    std::string error;
    compiled_ = nnc::fake::makeLogisticModel(bytes, error);
    ASSERT_EQ(error, "");
    NNC_OK(nnc_model_from_compiled(&compiled_, &model_));
    NNC_OK(nnc_session_create(model_, 7, &session_));
    nnc_value_info x;
    NNC_OK(nnc_model_entry_input(model_, "train_step", 0, &x));
    batch_ = x.shape[0];
    features_ = int64_t(x.bytes / 4) / batch_;
  }
  void TearDown() override {
    nnc_session_free(session_);
    nnc_model_free(model_);
  }

  // A batch where class k lights up feature block k (easy to learn).
  void fill(float *x, int64_t *y) {
    for (int64_t r = 0; r < batch_; ++r) {
      y[r] = r % 10;
      for (int64_t d = 0; d < features_; ++d) x[r * features_ + d] = d / (features_ / 10) == y[r] ? 1.0f : 0.0f;
    }
  }

  nnc_compiled_model compiled_{};
  nnc_model *model_ = nullptr;
  nnc_session *session_ = nullptr;
  int64_t batch_ = 0, features_ = 0;
};

TEST_F(Exec, DescribesEntryPoints) {
  EXPECT_EQ(nnc_model_has_code(model_), 1);
  ASSERT_EQ(nnc_model_entry_count(model_), 3u);
  nnc_entry_info train;
  NNC_OK(nnc_model_entry_find(model_, "train_step", &train));
  EXPECT_STREQ(train.name, "train_step");
  EXPECT_EQ(train.argument_count, 8u);
  EXPECT_EQ(train.input_count, 2u);
  EXPECT_EQ(train.result_count, 2u);
  nnc_value_info v;
  NNC_OK(nnc_model_entry_input(model_, "train_step", 1, &v));
  EXPECT_STREQ(v.name, "y");
  EXPECT_EQ(v.dtype, NNC_I64);
  EXPECT_EQ(v.role, NNC_ROLE_INPUT);
  ASSERT_EQ(v.rank, 1);
  EXPECT_EQ(v.shape[0], batch_);
  NNC_OK(nnc_model_entry_argument(model_, "train_step", 6, &v));
  EXPECT_STREQ(v.name, "step");
  EXPECT_EQ(v.role, NNC_ROLE_STEP);
  EXPECT_EQ(v.rank, 0);
  EXPECT_EQ(v.bytes, 8u);
  NNC_OK(nnc_model_entry_result(model_, "forward", 0, &v));
  EXPECT_STREQ(v.name, "probs");
  EXPECT_EQ(v.role, NNC_ROLE_OUTPUT);
  EXPECT_EQ(v.bytes, size_t(batch_ * 10 * 4));
  NNC_OK(nnc_model_entry_result(model_, "forward", 1, &v));
  EXPECT_EQ(v.role, NNC_ROLE_LOSS);
  std::string m;
  EXPECT_EQ(codeOf(nnc_model_entry_result(model_, "forward", 3, &v), &m), NNC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(m.find("out of range"), std::string::npos) << m;
  EXPECT_EQ(codeOf(nnc_model_entry_find(model_, "backward", &train), &m), NNC_STATUS_NOT_FOUND);
  EXPECT_NE(m.find("'backward'"), std::string::npos) << m;
}

TEST_F(Exec, HyperparametersDefaultToTheArtifactAndCanBeSet) {
  EXPECT_EQ(nnc_session_hyperparameter_count(session_), 4u);
  EXPECT_STREQ(nnc_session_hyperparameter_name(session_, 0), "lr");
  EXPECT_EQ(nnc_session_hyperparameter_name(session_, 4), nullptr);
  double lr = 0;
  NNC_OK(nnc_session_get_hyperparameter(session_, "lr", &lr));
  EXPECT_DOUBLE_EQ(lr, 0.01); // models/logistic.graph
  NNC_OK(nnc_session_set_hyperparameter(session_, "lr", 0.25));
  NNC_OK(nnc_session_get_hyperparameter(session_, "lr", &lr));
  EXPECT_DOUBLE_EQ(lr, 0.25);
  std::string m;
  EXPECT_EQ(codeOf(nnc_session_set_hyperparameter(session_, "beta1", 0.9), &m), NNC_STATUS_NOT_FOUND);
  EXPECT_NE(m.find("'beta1'"), std::string::npos) << m;
}

TEST_F(Exec, TrainStepBindsStateStepSeedAndHyperparametersAndLearns) {
  Aligned x(size_t(batch_ * features_ * 4)), y(size_t(batch_ * 8)), loss(4), acc(4);
  fill(x.as<float>(), y.as<int64_t>());
  const void *inputs[] = {x.p, y.p};
  void *results[] = {loss.p, acc.p};
  NNC_OK(nnc_session_set_hyperparameter(session_, "lr", 0.5));
  nnc_session_set_position(session_, 41, 3);
  float first = 0;
  for (int i = 0; i < 20; ++i) {
    NNC_OK(nnc_session_run(session_, "train_step", inputs, 2, results, 2));
    if (i == 0) first = *loss.as<float>();
  }
  EXPECT_EQ(lastTrainCall.step, 61); // position 41, then 20 steps: the last ran as step 61
  EXPECT_EQ(lastTrainCall.seed, 7);
  EXPECT_FLOAT_EQ(lastTrainCall.lr, 0.5f);
  int64_t step = 0, epoch = 0;
  nnc_session_get_position(session_, &step, &epoch);
  EXPECT_EQ(step, 61);
  EXPECT_EQ(epoch, 3);
  EXPECT_LT(*loss.as<float>(), first * 0.5f);
  EXPECT_FLOAT_EQ(*acc.as<float>(), 1.0f);

  // forward and predict read the trained state and leave the position alone.
  Aligned probs(size_t(batch_ * 10 * 4)), floss(4), facc(4);
  void *forwardResults[] = {probs.p, floss.p, facc.p};
  NNC_OK(nnc_session_run(session_, "forward", inputs, 2, forwardResults, 3));
  EXPECT_FLOAT_EQ(*facc.as<float>(), 1.0f);
  void *predictResults[] = {probs.p};
  NNC_OK(nnc_session_run(session_, "predict", inputs, 1, predictResults, 1));
  for (int64_t r = 0; r < batch_; ++r) EXPECT_GT(probs.as<float>()[r * 10 + r % 10], 0.5f) << "row " << r;
  nnc_session_get_position(session_, &step, &epoch);
  EXPECT_EQ(step, 61);
}

TEST_F(Exec, BadCallsAreErrorsAndRunNothing) {
  Aligned x(size_t(batch_ * features_ * 4) + 64), y(size_t(batch_ * 8)), loss(4), acc(4);
  fill(x.as<float>(), y.as<int64_t>());
  const int64_t calls = lastTrainCall.calls;
  std::string m;
  const void *one[] = {x.p};
  void *results[] = {loss.p, acc.p};
  EXPECT_EQ(codeOf(nnc_session_run(session_, "train_step", one, 1, results, 2), &m), NNC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(m.find("takes 2 inputs, got 1"), std::string::npos) << m;
  const void *misaligned[] = {x.p + 4, y.p};
  EXPECT_EQ(codeOf(nnc_session_run(session_, "train_step", misaligned, 2, results, 2), &m), NNC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(m.find("input 'x' is not aligned"), std::string::npos) << m;
  const void *withNull[] = {x.p, nullptr};
  EXPECT_EQ(codeOf(nnc_session_run(session_, "train_step", withNull, 2, results, 2), &m), NNC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(m.find("input 'y' is NULL"), std::string::npos) << m;
  const void *inputs[] = {x.p, y.p};
  EXPECT_EQ(codeOf(nnc_session_run(session_, "train_step", inputs, 2, results, 1), &m), NNC_STATUS_INVALID_ARGUMENT);
  void *sameResult[] = {loss.p, loss.p};
  EXPECT_EQ(codeOf(nnc_session_run(session_, "train_step", inputs, 2, sameResult, 2), &m), NNC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(m.find("result buffers 'loss' and 'accuracy' overlap"), std::string::npos) << m;
  void *intoInput[] = {loss.p, x.p + 64};
  EXPECT_EQ(codeOf(nnc_session_run(session_, "train_step", inputs, 2, intoInput, 2), &m), NNC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(m.find("result 'accuracy' overlaps input 'x'"), std::string::npos) << m;
  EXPECT_EQ(codeOf(nnc_session_run(session_, "input_gradient", inputs, 2, results, 2), &m), NNC_STATUS_NOT_FOUND);
  EXPECT_NE(m.find("has no entry point 'input_gradient'"), std::string::npos) << m;
  EXPECT_EQ(lastTrainCall.calls, calls);
  int64_t step = -1;
  nnc_session_get_position(session_, &step, nullptr);
  EXPECT_EQ(step, 0);
}

TEST_F(Exec, AModelWithoutCodeCannotRun) {
  nnc_model *loaded = nullptr;
  nnc_session *session = nullptr;
  NNC_OK(nnc_model_load(NNC_EXEC_TEST_ARTIFACT, &loaded));
  EXPECT_EQ(nnc_model_has_code(loaded), 0);
  NNC_OK(nnc_session_create(loaded, 7, &session));
  std::string m;
  EXPECT_EQ(codeOf(nnc_session_run(session, "predict", nullptr, 0, nullptr, 0), &m), NNC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(m.find("no compiled code"), std::string::npos) << m;
  nnc_session_free(session);
  nnc_model_free(loaded);
}

TEST_F(Exec, InconsistentCompiledModelsAreRejected) {
  nnc_model *bad = nullptr;
  std::string m;
  auto expect = [&](nnc_compiled_model c, nnc_status_code code, const char *text) {
    EXPECT_EQ(codeOf(nnc_model_from_compiled(&c, &bad), &m), code) << text;
    EXPECT_NE(m.find(text), std::string::npos) << m;
  };
  nnc_compiled_model c = compiled_;
  c.abi_version = 99;
  expect(c, NNC_STATUS_FORMAT, "compiled for runtime ABI 99");
  c = compiled_;
  c.entry_count = 2; // no predict
  expect(c, NNC_STATUS_FORMAT, "declares entry point 'predict' but the compiled model has no function");
  nnc_entry_symbol extra[4] = {compiled_.entries[0], compiled_.entries[1], compiled_.entries[2], {"backward", compiled_.entries[0].fn}};
  c = compiled_;
  c.entries = extra;
  c.entry_count = 4;
  expect(c, NNC_STATUS_FORMAT, "defines entry function 'backward'");
  nnc_entry_symbol nullFn[3] = {compiled_.entries[0], compiled_.entries[1], {"predict", nullptr}};
  c.entries = nullFn;
  c.entry_count = 3;
  expect(c, NNC_STATUS_FORMAT, "entry function 'predict' is NULL");
  std::vector<uint8_t> garbage(64, 0x5a);
  c = compiled_;
  c.artifact = garbage.data();
  c.artifact_size = garbage.size();
  expect(c, NNC_STATUS_FORMAT, "not an nnc model artifact");
  c = compiled_;
  c.artifact_size = 0;
  expect(c, NNC_STATUS_FORMAT, "no artifact bytes");
  EXPECT_EQ(codeOf(nnc_model_from_compiled(nullptr, &bad), &m), NNC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(bad, nullptr);
}

} // namespace
