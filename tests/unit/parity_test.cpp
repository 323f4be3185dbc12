// PyTorch parity of compiled training: models/mlp.graph and models/lenet5.graph, compiled
// by `nnc compile --emit=obj` (the parity_models fixture, linked into shared libraries
// this test dlopens), start from the weights PyTorch drew (fixtures/parity_MODEL_init.npz,
// imported by name through the C API) and train 100 steps through nnc_session_run on the
// first 6400 Fashion-MNIST training images in file order (pixel / 255, no
// standardization, batches of 64, read with the runtime's IDX loader). Skips when
// Fashion-MNIST is not installed.
//
// References (scripts/gen_parity_refs.py, torch 1.13, torch.optim's single-tensor
// SGD(lr=0.05, momentum=0.9) as both .graph files' `train` sections say; docs/parity.md):
//   parity_MODEL_losses.txt      PyTorch in float64 from the same float32 weights and
//                                images: the exact trajectory
//   parity_MODEL_losses_f32.txt  PyTorch in float32
//   parity_MODEL_accuracy.txt    the float64 run's batch accuracy
// lenet5_adam is models/lenet5.graph with `optimizer adam(lr=0.001)` (issue 4 names Adam
// for LeNet-5; the model file trains with SGD, so both run), from lenet5's weights.
//
// Float32 models: every step's loss within 1e-4 relative of both PyTorch runs (as issue 4
// asks; not loosened). Float64 copies of the three models (every f32 turned to f64 by the
// fixture, the float32 weights converted): within 1e-9 of PyTorch's float64 run. Every
// batch accuracy equal to the float64 run's. The test prints each model's largest relative
// differences and their steps (NNC_PARITY_TRACE=1: every step).
//
// Float32 rounding alone can move the MLP off the reference: a ReLU pre-activation
// within rounding of zero opens the gate in one run and closes it in another, and SGD
// with momentum 0.9 grows the jump to 1e-2 within 30 steps (seed 0: PyTorch's own
// float32 run leaves its float64 run by 2e-2 from step 70). The references use a seed
// whose trajectory is insensitive to that (gen_parity_refs.py --conditioning). A float32
// MLP failure that starts late (after step ~20) with a jump from ~1e-7 to above 1e-4 while
// MlpSgdMomentumFloat64 passes is this effect, not a bug: see docs/parity.md.
#include "AlignedStorage.h"
#include "checkpoint/Npz.h"
#include "data/Dataset.h"
#include "data/Idx.h"
#include "nnc/nnc.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr int kSteps = 100;
constexpr int64_t kBatch = 64;
constexpr double kRelTolerance = 1e-4;
constexpr double kRelToleranceF64 = 1e-9; // the float64 variants

// Frees a status; its message, or "" for success.
std::string messageOf(nnc_status *s) {
  if (!s) return "";
  std::string m = nnc_status_message(s);
  nnc_status_free(s);
  return m.empty() ? "error" : m;
}

#define NNC_OK(call)                                                                                                  \
  do {                                                                                                                \
    std::string m_ = messageOf(call);                                                                                 \
    ASSERT_EQ(m_, "") << #call;                                                                                       \
  } while (0)

std::vector<double> readNumbers(const std::string &path) {
  std::ifstream in(path);
  std::vector<double> v;
  double d;
  while (in >> d) v.push_back(d);
  return v;
}

// The first kSteps·kBatch training examples, as nnc's loaders scale them (pixel / 255).
struct Data {
  std::string skip; // non-empty: why the test skips
  std::string error;
  nnc::rt::Dataset set;
};

const Data &fashionMnist() {
  static const Data data = [] {
    Data d;
    const std::string dir = NNC_PARITY_DATA_DIR;
    const std::string images = dir + "/train-images-idx3-ubyte.gz", labels = dir + "/train-labels-idx1-ubyte.gz";
    if (!std::filesystem::exists(images) || !std::filesystem::exists(labels)) {
      d.skip = "Fashion-MNIST is not installed in " + dir + " (scripts/setup-deps.sh installs it)";
      return d;
    }
    auto x = nnc::rt::loadIdxImages(images);
    auto y = nnc::rt::loadIdxLabels(labels);
    if (!x || !y) {
      d.error = !x ? x.error().str() : y.error().str();
      return d;
    }
    const int64_t n = kSteps * kBatch, size = x->rows * x->cols;
    if (x->count < n || int64_t(y->size()) < n) {
      d.error = "fewer than " + std::to_string(n) + " training examples in " + dir;
      return d;
    }
    std::vector<uint8_t> pixels(x->pixels.begin(), x->pixels.begin() + n * size);
    std::vector<int64_t> classes(y->begin(), y->begin() + n);
    d.set = nnc::rt::datasetFromBytes(n, 1, x->rows, x->cols, pixels, std::move(classes), 10);
    return d;
  }();
  return data;
}

// A shared library the parity_models fixture linked from `nnc compile --emit=obj`.
class Library {
public:
  explicit Library(const std::string &path) : handle_(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {}
  ~Library() {
    if (handle_) dlclose(handle_);
  }
  void *handle() const { return handle_; }

private:
  void *handle_;
};

// One parity run: compiled model `name` (NNC_PARITY_WORK_DIR/name.so, nnc_model_<name>)
// from fixtures/parity_<init>_init.npz, against fixtures/parity_<ref>_*.txt.
struct Case {
  std::string name, ref, init;
  size_t parameters;
  bool f64 = false; // a float64 copy of the model: weights converted, images as double
};

// The float32 weights of `npz` into a float64 session, converted: nnc_session_import_npz
// insists on the state's dtype. Returns how many tensors it wrote, or an error message.
std::string importAsF64(nnc_session *session, const std::string &npz, size_t &loaded) {
  auto set = nnc::rt::importNpz(npz);
  if (!set) return set.error().message;
  for (const nnc::rt::TensorRecord &t : set->tensors) {
    nnc_tensor_info info;
    if (std::string m = messageOf(nnc_session_state_find(session, t.name.c_str(), &info)); !m.empty()) return m;
    if (t.dtype != nnc::rt::DType::F32 || info.dtype != NNC_F64 || info.bytes != t.bytes.size() * 2)
      return npz + ": " + t.name + " is not an f32 tensor of the model's f64 state's shape";
    const auto *from = reinterpret_cast<const float *>(t.bytes.data());
    auto *to = static_cast<double *>(info.data);
    for (size_t i = 0; i < t.bytes.size() / sizeof(float); ++i) to[i] = from[i];
    ++loaded;
  }
  return "";
}

void checkParity(const Case &c) {
  const Data &data = fashionMnist();
  if (!data.skip.empty()) GTEST_SKIP() << data.skip;
  ASSERT_EQ(data.error, "");

  const std::string fixtures = std::string(NNC_SOURCE_DIR) + "/tests/unit/fixtures/parity_";
  const std::vector<double> refLoss = readNumbers(fixtures + c.ref + "_losses.txt");
  const std::vector<double> refLoss32 = readNumbers(fixtures + c.ref + "_losses_f32.txt");
  const std::vector<double> refAccuracy = readNumbers(fixtures + c.ref + "_accuracy.txt");
  ASSERT_EQ(refLoss.size(), size_t(kSteps)) << fixtures << c.ref << "_losses.txt";
  ASSERT_EQ(refLoss32.size(), size_t(kSteps)) << fixtures << c.ref << "_losses_f32.txt";
  ASSERT_EQ(refAccuracy.size(), size_t(kSteps)) << fixtures << c.ref << "_accuracy.txt";
  const double tolerance = c.f64 ? kRelToleranceF64 : kRelTolerance;

  const std::string so = std::string(NNC_PARITY_WORK_DIR) + "/" + c.name + ".so";
  Library lib(so);
  ASSERT_NE(lib.handle(), nullptr) << "dlopen " << so << ": " << dlerror()
                                   << " (ctest runs the parity_models fixture first)";
  auto *compiled = static_cast<const nnc_compiled_model *>(dlsym(lib.handle(), ("nnc_model_" + c.name).c_str()));
  ASSERT_NE(compiled, nullptr) << "no nnc_model_" << c.name << " in " << so;

  nnc_model *model = nullptr;
  nnc_session *session = nullptr;
  NNC_OK(nnc_model_from_compiled(compiled, &model));
  std::unique_ptr<nnc_model, void (*)(nnc_model *)> modelOwner(model, nnc_model_free);
  NNC_OK(nnc_session_create(model, 0, &session));
  std::unique_ptr<nnc_session, void (*)(nnc_session *)> sessionOwner(session, nnc_session_free);
  size_t loaded = 0;
  const std::string npz = fixtures + c.init + "_init.npz";
  if (c.f64)
    ASSERT_EQ(importAsF64(session, npz, loaded), "");
  else
    NNC_OK(nnc_session_import_npz(session, npz.c_str(), /*allow_unknown=*/0, &loaded));
  ASSERT_EQ(loaded, c.parameters) << "tensors imported from " << npz;

  // train_step(x, y) -> (loss, accuracy): x and the loss in the model's float type
  nnc_entry_info entry;
  NNC_OK(nnc_model_entry_find(model, "train_step", &entry));
  ASSERT_EQ(entry.input_count, 2u);
  ASSERT_EQ(entry.result_count, 2u);
  nnc_value_info xInfo, loss, accuracy;
  NNC_OK(nnc_model_entry_input(model, "train_step", 0, &xInfo));
  NNC_OK(nnc_model_entry_result(model, "train_step", 0, &loss));
  NNC_OK(nnc_model_entry_result(model, "train_step", 1, &accuracy));
  ASSERT_EQ(loss.role, NNC_ROLE_LOSS);
  ASSERT_EQ(accuracy.role, NNC_ROLE_METRIC);
  const nnc_dtype floatType = c.f64 ? NNC_F64 : NNC_F32;
  ASSERT_EQ(xInfo.dtype, floatType);
  ASSERT_EQ(loss.dtype, floatType);
  ASSERT_EQ(accuracy.dtype, NNC_F32); // metrics are f32 whatever the model's type
  const size_t example = size_t(data.set.exampleSize());
  ASSERT_EQ(xInfo.bytes, kBatch * example * (c.f64 ? sizeof(double) : sizeof(float)));

  Aligned x(xInfo.bytes), y(kBatch * sizeof(int64_t)), lossOut(sizeof(double)), accuracyOut(sizeof(double));
  const void *inputs[] = {x.p.get(), y.p.get()};
  void *results[] = {lossOut.p.get(), accuracyOut.p.get()};

  struct Worst {
    double rel = 0;
    int step = 0;
    void add(double r, int s) {
      if (!(r <= rel)) rel = r, step = s; // NaN sticks
    }
  } worst64, worst32;
  int accuracyMismatches = 0;
  std::ostringstream trace;
  trace.precision(c.f64 ? 17 : 9);
  for (int step = 0; step < kSteps; ++step) {
    const float *images = data.set.image(step * kBatch);
    if (c.f64)
      for (size_t i = 0; i < kBatch * example; ++i) x.as<double>()[i] = images[i];
    else
      std::memcpy(x.as<float>(), images, xInfo.bytes);
    std::memcpy(y.as<int64_t>(), data.set.labels.data() + step * kBatch, kBatch * sizeof(int64_t));
    NNC_OK(nnc_session_run(session, "train_step", inputs, 2, results, 2));
    const double got = c.f64 ? *lossOut.as<double>() : double(*lossOut.as<float>());
    const double rel64 = std::fabs(got - refLoss[step]) / std::fabs(refLoss[step]);
    const double rel32 = std::fabs(got - refLoss32[step]) / std::fabs(refLoss32[step]);
    worst64.add(rel64, step + 1);
    worst32.add(rel32, step + 1);
    EXPECT_LE(rel64, tolerance) << c.name << " step " << step + 1 << ": loss " << got << ", PyTorch float64 "
                                << refLoss[step];
    if (!c.f64)
      EXPECT_LE(rel32, kRelTolerance) << c.name << " step " << step + 1 << ": loss " << got << ", PyTorch float32 "
                                      << refLoss32[step];
    const double acc = *accuracyOut.as<float>();
    EXPECT_EQ(acc, refAccuracy[step]) << c.name << " step " << step + 1 << ": batch accuracy";
    accuracyMismatches += acc != refAccuracy[step];
    trace << "  step " << step + 1 << ": loss " << got << " (PyTorch float64 " << refLoss[step] << ", rel " << rel64
          << "; float32 " << refLoss32[step] << ", rel " << rel32 << "), accuracy " << acc << "\n";
  }
  std::printf("%s: max relative loss difference %.2e (step %d) from PyTorch float64, %.2e (step %d) from "
              "PyTorch float32; batch accuracy differs on %d of %d steps\n",
              c.name.c_str(), worst64.rel, worst64.step, worst32.rel, worst32.step, accuracyMismatches, kSteps);
  if (std::getenv("NNC_PARITY_TRACE")) std::printf("%s", trace.str().c_str());
}

TEST(Parity, MlpSgdMomentum) { checkParity({"mlp", "mlp", "mlp", 6}); }

TEST(Parity, Lenet5SgdMomentum) { checkParity({"lenet5", "lenet5", "lenet5", 10}); }

// models/lenet5.graph with `optimizer adam(lr=0.001)` (the parity_models fixture).
TEST(Parity, Lenet5Adam) { checkParity({"lenet5_adam", "lenet5_adam", "lenet5", 10}); }

// The same three in float64 (the fixture's copies with every f32 turned to f64), against
// PyTorch's float64 run: no float32 rounding on either side, so nothing can move the
// trajectory and the tolerance is tight.
TEST(Parity, MlpSgdMomentumFloat64) { checkParity({"mlp_f64", "mlp", "mlp", 6, true}); }

TEST(Parity, Lenet5SgdMomentumFloat64) { checkParity({"lenet5_f64", "lenet5", "lenet5", 10, true}); }

TEST(Parity, Lenet5AdamFloat64) { checkParity({"lenet5_adam_f64", "lenet5_adam", "lenet5", 10, true}); }

} // namespace
