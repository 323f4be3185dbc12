// The training driver end to end without code generation: nnc_fake_train is the driver's
// main() linked with the fake softmax regression (fake_logistic_model.h) around the
// artifact of models/logistic.graph compiled with --batch 16. The tests run it on small
// generated IDX files (300 training and 100 test images, so both end in a partial batch)
// and check that the loss falls, the metrics file, a resumed run reproducing an
// uninterrupted one, evaluation counting every test example once, predictions, plots,
// and the message and exit status of bad inputs (another model's checkpoint comes from a
// session of models/mlp.graph's artifact).
#include "artifact/Artifact.h"
#include "checkpoint/Npy.h"
#include "checkpoint/Npz.h"
#include "data/Split.h"
#include "session/Session.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

constexpr int kSide = 28, kClasses = 10, kTrain = 300, kTest = 100;
constexpr int kSignal = 45; // over noise in [0, 128): learnable, not trivially

// ---------------------------------------------------------------------------------------
// Data: class c brightens rows 2c and 2c+1 over hashed noise (linearly separable).

uint8_t pixel(uint32_t seed, uint32_t i, int label, int r, int c) {
  uint32_t h = (seed * 7919u + i * 784u + uint32_t(r * kSide + c)) * 2654435761u;
  h ^= h >> 15;
  h *= 0x2c1b3c6du;
  h ^= h >> 12;
  int v = int(h >> 25); // 0..127
  if (r / 2 == label) v += kSignal;
  return uint8_t(v);
}

int labelOf(uint32_t seed, uint32_t i) { return int((i * 7 + seed) % kClasses); }

void appendBe32(Bytes &out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(uint8_t(v >> shift));
}

Bytes idxImages(uint32_t seed, uint32_t n, int side) {
  Bytes out;
  appendBe32(out, 0x803);
  appendBe32(out, n);
  appendBe32(out, uint32_t(side));
  appendBe32(out, uint32_t(side));
  for (uint32_t i = 0; i < n; ++i)
    for (int r = 0; r < side; ++r)
      for (int c = 0; c < side; ++c) out.push_back(pixel(seed, i, labelOf(seed, i), r, c));
  return out;
}

Bytes idxLabels(uint32_t seed, uint32_t n) {
  Bytes out;
  appendBe32(out, 0x801);
  appendBe32(out, n);
  for (uint32_t i = 0; i < n; ++i) out.push_back(uint8_t(labelOf(seed, i)));
  return out;
}

void writeFile(const fs::path &path, const Bytes &bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
}

std::string readText(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines(const std::string &text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.push_back(line);
  return out;
}

std::vector<std::string> split(const std::string &line, char sep) {
  std::vector<std::string> out;
  std::stringstream in(line);
  for (std::string field; std::getline(in, field, sep);) out.push_back(field);
  return out;
}

// A data folder: train (seed 1) and test (seed 2) images of `side` pixels.
void writeDataFolder(const fs::path &dir, int side = kSide) {
  writeFile(dir / "train-images-idx3-ubyte", idxImages(1, kTrain, side));
  writeFile(dir / "train-labels-idx1-ubyte", idxLabels(1, kTrain));
  writeFile(dir / "t10k-images-idx3-ubyte", idxImages(2, kTest, side));
  writeFile(dir / "t10k-labels-idx1-ubyte", idxLabels(2, kTest));
}

struct Result {
  int status = -1;
  std::string out, err;
};

class TrainDriver : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    root_ = fs::temp_directory_path() / ("nnc_train_driver_test_" + std::to_string(getpid()));
    fs::create_directories(root_);
    writeDataFolder(root_ / "data");
  }
  static void TearDownTestSuite() { fs::remove_all(root_); }

  void SetUp() override {
    ASSERT_TRUE(fs::exists(NNC_TRAIN_TEST_ARTIFACT))
        << NNC_TRAIN_TEST_ARTIFACT << " is missing: ctest runs the train_driver_artifacts fixture first";
    dir_ = root_ / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::create_directories(dir_);
  }

  // Runs the fake training binary in the test's folder with `args`; `env` prefixes it.
  Result run(const std::string &args, const std::string &env = "") {
    Result r;
    std::string command = "cd '" + dir_.string() + "' && env NNC_FAKE_ARTIFACT='" NNC_TRAIN_TEST_ARTIFACT "' " + env +
                          " '" NNC_FAKE_TRAIN "' " + args + " >stdout.txt 2>stderr.txt";
    int status = std::system(command.c_str());
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = readText(dir_ / "stdout.txt");
    r.err = readText(dir_ / "stderr.txt");
    return r;
  }
  std::string data() const { return "--data '" + (root_ / "data").string() + "'"; }

  static fs::path root_;
  fs::path dir_;
};

fs::path TrainDriver::root_;

#define EXPECT_CONTAINS(text, part) EXPECT_NE((text).find(part), std::string::npos) << "missing: " << (part) << "\nin: " << (text)

// CSV rows as column -> text.
std::vector<std::map<std::string, std::string>> csvRows(const fs::path &path) {
  std::vector<std::string> all = lines(readText(path));
  std::vector<std::map<std::string, std::string>> rows;
  if (all.empty()) return rows;
  std::vector<std::string> header = split(all[0], ',');
  for (size_t i = 1; i < all.size(); ++i) {
    std::vector<std::string> fields = split(all[i], ',');
    std::map<std::string, std::string> row;
    for (size_t c = 0; c < header.size() && c < fields.size(); ++c) row[header[c]] = fields[c];
    rows.push_back(row);
  }
  return rows;
}

// "name: value" lines of eval's output.
double valueAfter(const std::string &text, const std::string &label) {
  size_t at = text.find(label);
  return at == std::string::npos ? std::nan("") : std::atof(text.c_str() + at + label.size());
}

// Softmax regression by hand over the test images (pixel / 255, no standardization), or
// over the examples `which` of the training images.
struct HandEval {
  double loss = 0, accuracy = 0;
  std::vector<int> predictions;
};
HandEval evaluateByHand(const fs::path &weights, const std::vector<int64_t> *which = nullptr) {
  HandEval e;
  auto archive = nnc::rt::importNpz(weights.string());
  if (!archive) {
    ADD_FAILURE() << archive.error().message;
    return e;
  }
  const auto *w = archive->find("w"), *b = archive->find("b");
  if (!w || !b) {
    ADD_FAILURE() << "w or b missing in " << weights;
    return e;
  }
  std::vector<float> W(w->bytes.size() / 4), Bv(b->bytes.size() / 4);
  std::memcpy(W.data(), w->bytes.data(), w->bytes.size());
  std::memcpy(Bv.data(), b->bytes.data(), b->bytes.size());
  const uint32_t seed = which ? 1 : 2;
  Bytes images = which ? idxImages(1, kTrain, kSide) : idxImages(2, kTest, kSide);
  std::vector<int64_t> all(kTest);
  for (int i = 0; i < kTest; ++i) all[size_t(i)] = i;
  if (!which) which = &all;
  for (int64_t i : *which) {
    double logits[kClasses];
    for (int k = 0; k < kClasses; ++k) {
      double s = Bv[size_t(k)];
      for (int d = 0; d < kSide * kSide; ++d) s += double(images[16 + size_t(i * 784 + d)]) / 255.0 * W[size_t(k * 784 + d)];
      logits[k] = s;
    }
    int best = 0;
    double m = logits[0], z = 0;
    for (int k = 1; k < kClasses; ++k) {
      if (logits[k] > logits[best]) best = k;
      m = std::max(m, logits[k]);
    }
    for (double l : logits) z += std::exp(l - m);
    int label = labelOf(seed, uint32_t(i));
    e.loss += std::log(z) + m - logits[label];
    e.accuracy += best == label;
    e.predictions.push_back(best);
  }
  e.loss /= double(which->size());
  e.accuracy /= double(which->size());
  return e;
}

// ---------------------------------------------------------------------------------------

TEST_F(TrainDriver, LossFallsAndEveryEpochIsLogged) {
  Result r = run("train " + data() + " --epochs 3 --seed 5 --lr 0.5 --metrics m.csv --checkpoint-dir ck", "NNC_FAKE_LOG=log.txt");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto rows = csvRows(dir_ / "m.csv");
  ASSERT_EQ(rows.size(), 3u) << readText(dir_ / "m.csv");
  for (const char *column : {"epoch", "step", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds",
                             "examples_per_second"})
    EXPECT_TRUE(rows[0].count(column)) << column;
  EXPECT_FALSE(rows[0].count("val_loss"));
  EXPECT_EQ(rows[2]["epoch"], "3");
  EXPECT_EQ(rows[2]["step"], "57"); // ceil(300 / 16) = 19 steps per epoch
  EXPECT_LT(std::stod(rows[2]["train_loss"]), std::stod(rows[0]["train_loss"]));
  EXPECT_GT(std::stod(rows[2]["test_accuracy"]), 0.9) << readText(dir_ / "m.csv");
  EXPECT_TRUE(fs::exists(dir_ / "ck/last.nnck"));
  EXPECT_TRUE(fs::exists(dir_ / "ck/standardize.npz"));
  std::vector<std::string> out = lines(r.out);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back().rfind("test accuracy: ", 0), 0u) << out.back();
  EXPECT_CONTAINS(r.out, "epoch 1/3: train loss");
  EXPECT_CONTAINS(r.out, "epoch 2/3 step "); // plain progress lines when not on a terminal
  // The train step ran as steps 1..57 with the seed and the --lr.
  std::vector<std::string> log = lines(readText(dir_ / "log.txt"));
  ASSERT_EQ(log.size(), 57u);
  EXPECT_EQ(log[0], "step 1 seed 5 lr 0.5");
  EXPECT_EQ(log[56], "step 57 seed 5 lr 0.5");
}

TEST_F(TrainDriver, ResumeReproducesAnUninterruptedRun) {
  Result a = run("train " + data() + " --epochs 4 --seed 3 --val-split 0.1 --metrics a.jsonl --checkpoint-dir ckA -q");
  ASSERT_EQ(a.status, 0) << a.out << a.err;
  Result b1 = run("train " + data() + " --epochs 2 --seed 3 --val-split 0.1 --metrics b.jsonl --checkpoint-dir ckB -q",
                  "NNC_FAKE_LOG=log.txt");
  ASSERT_EQ(b1.status, 0) << b1.out << b1.err;
  Result b2 = run("train " + data() + " --epochs 4 --resume --val-split 0.1 --metrics b.jsonl --checkpoint-dir ckB",
                  "NNC_FAKE_LOG=log.txt");
  ASSERT_EQ(b2.status, 0) << b2.out << b2.err;
  EXPECT_CONTAINS(b2.out, "resuming from");
  EXPECT_CONTAINS(b2.out, "epoch 3/4: train loss");
  EXPECT_EQ(b2.out.find("epoch 1/4:"), std::string::npos) << b2.out;
  // Every row equal except the timings ("seconds" and "examples_per_second" come last).
  std::vector<std::string> rowsA = lines(readText(dir_ / "a.jsonl")), rowsB = lines(readText(dir_ / "b.jsonl"));
  ASSERT_EQ(rowsA.size(), 4u);
  ASSERT_EQ(rowsB.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_CONTAINS(rowsA[i], "\"val_loss\": ");
    EXPECT_EQ(rowsA[i].substr(0, rowsA[i].find("\"seconds\"")), rowsB[i].substr(0, rowsB[i].find("\"seconds\"")));
  }
  EXPECT_EQ(lines(a.out).back(), lines(b2.out).back());
  // 270 training examples after the split: 17 steps per epoch, numbered on across the resume.
  std::vector<std::string> log = lines(readText(dir_ / "log.txt"));
  ASSERT_EQ(log.size(), 68u);
  for (size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i], "step " + std::to_string(i + 1) + " seed 3 lr 0.01"); // models/logistic.graph
  // Resuming a finished run trains nothing and still reports.
  Result done = run("train " + data() + " --epochs 4 --resume --val-split 0.1 --checkpoint-dir ckB");
  EXPECT_EQ(done.status, 0) << done.err;
  EXPECT_CONTAINS(done.out, "nothing left to train");
  EXPECT_EQ(lines(done.out).back(), lines(a.out).back());
}

TEST_F(TrainDriver, DropLastSkipsThePartialBatch) {
  Result r = run("train " + data() + " --epochs 1 --drop-last -q", "NNC_FAKE_LOG=log.txt");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(lines(readText(dir_ / "log.txt")).size(), 18u); // floor(300 / 16)
  EXPECT_EQ(lines(r.out).size(), 1u) << r.out; // --quiet: only the summary
}

TEST_F(TrainDriver, EvaluationCountsEveryTestExampleOnce) {
  Result t = run("train " + data() + " --epochs 2 --standardize none --metrics m.csv --checkpoint-dir ck -q");
  ASSERT_EQ(t.status, 0) << t.err;
  Result x = run("export-npz w.npz --checkpoint ck/last.nnck");
  ASSERT_EQ(x.status, 0) << x.err;
  HandEval hand = evaluateByHand(dir_ / "w.npz");
  Result e = run("eval " + data() + " --checkpoint ck/last.nnck");
  ASSERT_EQ(e.status, 0) << e.err;
  // 100 test examples in batches of 16: the padded last batch holds 4 real ones.
  EXPECT_NEAR(valueAfter(e.out, "test loss: "), hand.loss, 1e-4) << e.out;
  EXPECT_NEAR(valueAfter(e.out, "test accuracy: "), hand.accuracy, 1e-6) << e.out;
  EXPECT_CONTAINS(e.out, "examples: 100");
  auto rows = csvRows(dir_ / "m.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NEAR(std::stod(rows[1]["test_loss"]), hand.loss, 1e-4);
  EXPECT_NEAR(std::stod(rows[1]["test_accuracy"]), hand.accuracy, 1e-6);

  // predict on an .npy of the first 21 test images (f32 pixel / 255) and on the IDX file.
  Bytes images = idxImages(2, kTest, kSide);
  std::vector<int64_t> shape{21, 1, kSide, kSide};
  std::string npy = nnc::rt::encodeNpyHeader(nnc::rt::DType::F32, shape);
  Bytes file(npy.begin(), npy.end());
  for (int i = 0; i < 21 * 784; ++i) {
    float v = float(images[16 + size_t(i)]) / 255.0f;
    const uint8_t *p = reinterpret_cast<const uint8_t *>(&v);
    file.insert(file.end(), p, p + 4);
  }
  writeFile(dir_ / "x.npy", file);
  Result p = run("predict --input x.npy --checkpoint ck/last.nnck");
  ASSERT_EQ(p.status, 0) << p.err;
  std::vector<std::string> predicted = lines(p.out);
  ASSERT_EQ(predicted.size(), 21u);
  for (size_t i = 0; i < 21; ++i) EXPECT_EQ(predicted[i], std::to_string(hand.predictions[i])) << "image " << i;
  Result q = run("predict --input '" + (root_ / "data/t10k-images-idx3-ubyte").string() +
                 "' --checkpoint ck/last.nnck --output classes.txt");
  ASSERT_EQ(q.status, 0) << q.err;
  std::vector<std::string> all = lines(readText(dir_ / "classes.txt"));
  ASSERT_EQ(all.size(), size_t(kTest));
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], std::to_string(hand.predictions[i])) << "image " << i;
}

TEST_F(TrainDriver, StandardizationStatisticsTravelWithTheCheckpoint) {
  Result t = run("train " + data() + " --epochs 1 --standardize per-pixel --metrics m.csv --checkpoint-dir ck -q");
  ASSERT_EQ(t.status, 0) << t.err;
  // eval finds ck/standardize.npz, so it reproduces the training run's test numbers
  // although its own --standardize default is per-channel.
  Result e = run("eval " + data() + " --checkpoint ck/last.nnck");
  ASSERT_EQ(e.status, 0) << e.err;
  auto rows = csvRows(dir_ / "m.csv");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NEAR(valueAfter(e.out, "test loss: "), std::stod(rows[0]["test_loss"]), 1e-6) << e.out;
  EXPECT_EQ(e.err.find("note:"), std::string::npos) << e.err;
  fs::remove(dir_ / "ck/standardize.npz");
  Result f = run("eval " + data() + " --checkpoint ck/last.nnck");
  ASSERT_EQ(f.status, 0) << f.err;
  EXPECT_CONTAINS(f.err, "note: no ");
}

TEST_F(TrainDriver, PlotsThroughGnuplotOrWarns) {
  if (std::system("command -v gnuplot >/dev/null 2>&1") == 0) {
    Result s = run("train " + data() + " --epochs 2 --val-split 0.2 --plot curves.svg -q");
    ASSERT_EQ(s.status, 0) << s.err;
    EXPECT_CONTAINS(readText(dir_ / "curves.svg"), "<svg");
    Result p = run("train " + data() + " --epochs 1 --plot curves.png -q");
    ASSERT_EQ(p.status, 0) << p.err;
    EXPECT_EQ(readText(dir_ / "curves.png").substr(1, 3), "PNG");
  }
  Result missing = run("train " + data() + " --epochs 2 --plot none.svg -q", "PATH=/nonexistent");
  EXPECT_EQ(missing.status, 0) << missing.err;
  EXPECT_CONTAINS(missing.err, "none.svg: no plot: gnuplot is not installed");
  EXPECT_EQ(missing.err.find("no plot", missing.err.find("no plot") + 1), std::string::npos) << "warned twice";
  EXPECT_FALSE(fs::exists(dir_ / "none.svg"));
}

TEST_F(TrainDriver, InfoDescribesTheModel) {
  Result r = run("info");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_CONTAINS(r.out, "model: logistic");
  EXPECT_CONTAINS(r.out, "parameters: 7850");
  EXPECT_CONTAINS(r.out, "input: x: f32[16, 1, 28, 28]");
  EXPECT_CONTAINS(r.out, "entry train_step:");
  EXPECT_CONTAINS(r.out, "hyperparameter");
}

// The lr of every train step in NNC_FAKE_LOG's "step S seed X lr L" lines (%g).
std::vector<double> loggedLrs(const fs::path &log) {
  std::vector<double> out;
  for (const std::string &line : lines(readText(log))) out.push_back(valueAfter(line, " lr "));
  return out;
}

// The metrics rows without the timings ("seconds" and "examples_per_second" come last).
std::vector<std::string> rowsWithoutTimings(const fs::path &path) {
  std::vector<std::string> out;
  for (const std::string &row : lines(readText(path))) out.push_back(row.substr(0, row.find("\"seconds\"")));
  return out;
}

TEST_F(TrainDriver, LrColumnAndEveryStepFollowTheSchedule) {
  // StepLR(step_size=2, gamma=0.5) over 5 epochs of 19 steps.
  Result r = run("train " + data() + " --epochs 5 --lr 0.5 --lr-schedule step --lr-step-size 2 --lr-gamma 0.5 "
                 "--metrics m.csv -q", "NNC_FAKE_LOG=log.txt");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto rows = csvRows(dir_ / "m.csv");
  ASSERT_EQ(rows.size(), 5u);
  const std::vector<std::string> want = {"0.5", "0.5", "0.25", "0.25", "0.125"};
  for (size_t e = 0; e < 5; ++e) EXPECT_EQ(rows[e]["lr"], want[e]) << "epoch " << e + 1;
  std::vector<double> lrs = loggedLrs(dir_ / "log.txt");
  ASSERT_EQ(lrs.size(), 95u);
  for (size_t s = 0; s < lrs.size(); ++s) EXPECT_EQ(lrs[s], std::stod(want[s / 19])) << "step " << s + 1;

  // One epoch of per-step linear warm-up (19 steps) on a cosine to 0.1 over T_max = 2.
  Result w = run("train " + data() + " --epochs 2 --lr 0.4 --warmup-epochs 1 --lr-schedule cosine --lr-min 0.1 "
                 "--metrics w.csv -q", "NNC_FAKE_LOG=wlog.txt");
  ASSERT_EQ(w.status, 0) << w.out << w.err;
  lrs = loggedLrs(dir_ / "wlog.txt");
  ASSERT_EQ(lrs.size(), 38u);
  for (size_t s = 0; s < 19; ++s) EXPECT_NEAR(lrs[s], 0.4 * double(s + 1) / 19, 1e-6) << "step " << s + 1;
  for (size_t s = 19; s < 38; ++s) EXPECT_NEAR(lrs[s], 0.25, 1e-6) << "step " << s + 1; // 0.1 + 0.3 · (1 + cos(pi/2)) / 2
  rows = csvRows(dir_ / "w.csv");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NEAR(std::stod(rows[0]["lr"]), 0.4, 1e-12);
  EXPECT_NEAR(std::stod(rows[1]["lr"]), 0.25, 1e-12);
}

TEST_F(TrainDriver, ReduceOnPlateauResumesWithTheSameLrSequence) {
  // With shifts of up to 3 rows the training loss wanders, so plateau (monitoring it: no
  // validation split) halves the lr; a run resumed after epoch 3 replays DIR/history.csv.
  const std::string flags = " --lr 5 --translate 3 --lr-schedule plateau --lr-patience 0 --lr-factor 0.5 --seed 2 ";
  Result a = run("train " + data() + " --epochs 8" + flags + "--metrics a.jsonl --checkpoint-dir ckA -q");
  ASSERT_EQ(a.status, 0) << a.out << a.err;
  Result b1 = run("train " + data() + " --epochs 3" + flags + "--metrics b.jsonl --checkpoint-dir ckB -q");
  ASSERT_EQ(b1.status, 0) << b1.out << b1.err;
  Result b2 = run("train " + data() + " --epochs 8 --resume" + flags + "--metrics b.jsonl --checkpoint-dir ckB -q",
                  "NNC_FAKE_LOG=log.txt");
  ASSERT_EQ(b2.status, 0) << b2.out << b2.err;
  EXPECT_EQ(rowsWithoutTimings(dir_ / "a.jsonl"), rowsWithoutTimings(dir_ / "b.jsonl"));
  EXPECT_EQ(lines(a.out).back(), lines(b2.out).back());
  std::set<std::string> lrs;
  for (const auto &row : csvRows(dir_ / "ckA/history.csv")) lrs.insert(row.at("lr"));
  EXPECT_GE(lrs.size(), 2u) << readText(dir_ / "ckA/history.csv"); // the lr did drop
  EXPECT_TRUE(lrs.count("5"));
  // Without the history the plateau state cannot be rebuilt.
  fs::remove(dir_ / "ckB/history.csv");
  Result c = run("train " + data() + " --epochs 9 --resume" + flags + "--checkpoint-dir ckB -q");
  EXPECT_EQ(c.status, 1);
  EXPECT_CONTAINS(c.err, "ckB/history.csv: --resume with --lr-schedule plateau");
}

// The early-stopping rule over the rows' val_loss: (best epoch, epoch it stops at or 0).
std::pair<int, int> earlyStop(const std::vector<std::map<std::string, std::string>> &rows, int patience, double delta) {
  double best = INFINITY;
  int bestEpoch = 0, wait = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    double v = std::stod(rows[i].at("val_loss"));
    if (v < best - delta) {
      best = v;
      bestEpoch = int(i + 1);
      wait = 0;
    } else if (++wait >= patience) {
      return {bestEpoch, int(i + 1)};
    }
  }
  return {bestEpoch, 0};
}

TEST_F(TrainDriver, EarlyStoppingStopsAndRestoresTheBestEpoch) {
  const std::string flags = " --lr 5 --val-split 0.2 --early-stopping 2 --min-delta 0.01 ";
  Result r = run("train " + data() + " --epochs 20" + flags + "--metrics m.csv --checkpoint-dir ck");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto rows = csvRows(dir_ / "m.csv");
  auto [best, stop] = earlyStop(rows, 2, 0.01);
  ASSERT_GT(stop, 0) << "no early stop: " << readText(dir_ / "m.csv");
  ASSERT_EQ(int(rows.size()), stop); // nothing trained after the stop
  ASSERT_LT(best, stop);
  const auto &bestRow = rows[size_t(best - 1)], &lastRow = rows.back();
  EXPECT_CONTAINS(r.out, fmt::format("early stopping at epoch {}: best epoch {} (val loss {:.4f}) restored", stop, best,
                                     std::stod(bestRow.at("val_loss"))));
  // The final line is the best epoch's test evaluation, not the last one's.
  const std::string bestLoss = fmt::format("test loss {:.4f}", std::stod(bestRow.at("test_loss")));
  ASSERT_NE(bestLoss, fmt::format("test loss {:.4f}", std::stod(lastRow.at("test_loss"))));
  EXPECT_CONTAINS(lines(r.out).back(), bestLoss);
  // best.nnck holds exactly the best epoch's weights; last.nnck the last epoch's.
  Result e = run("eval " + data() + " --checkpoint ck/best.nnck");
  ASSERT_EQ(e.status, 0) << e.err;
  EXPECT_NEAR(valueAfter(e.out, "test loss: "), std::stod(bestRow.at("test_loss")), 1e-6) << e.out;
  Result l = run("eval " + data() + " --checkpoint ck/last.nnck");
  EXPECT_NEAR(valueAfter(l.out, "test loss: "), std::stod(lastRow.at("test_loss")), 1e-6) << l.out;

  // Resumed after epoch best + 1, the run stops at the same epoch with the same weights
  // (the best epoch's come from best.nnck).
  Result b1 = run("train " + data() + " --epochs " + std::to_string(best + 1) + flags + "--checkpoint-dir ckB -q");
  ASSERT_EQ(b1.status, 0) << b1.err;
  Result b2 = run("train " + data() + " --epochs 20 --resume" + flags + "--checkpoint-dir ckB");
  ASSERT_EQ(b2.status, 0) << b2.out << b2.err;
  EXPECT_CONTAINS(b2.out, fmt::format("early stopping at epoch {}: best epoch {}", stop, best));
  EXPECT_EQ(lines(b2.out).back(), lines(r.out).back());
}

TEST_F(TrainDriver, AugmentationChangesTrainingButNotEvaluation) {
  const std::string common = "train " + data() + " --epochs 2 --seed 4 --val-split 0.2 --standardize none -q ";
  const std::string augment = " --flip --crop-padding 2 --translate 1 --color-jitter 0.3";
  Result plain = run(common + "--metrics plain.csv");
  ASSERT_EQ(plain.status, 0) << plain.err;
  Result a = run(common + augment + " --metrics a.csv --checkpoint-dir ck");
  ASSERT_EQ(a.status, 0) << a.err;
  Result again = run(common + augment + " --metrics again.csv");
  ASSERT_EQ(again.status, 0) << again.err;
  auto p = csvRows(dir_ / "plain.csv"), rows = csvRows(dir_ / "a.csv"), rows2 = csvRows(dir_ / "again.csv");
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_NE(rows[0]["train_loss"], p[0]["train_loss"]); // the training batches changed
  for (const char *column : {"train_loss", "val_loss", "test_loss"}) // and reproducibly
    EXPECT_EQ(rows[1][column], rows2[1][column]) << column;
  // Validation and test losses are those of the unaugmented examples under the weights.
  Result x = run("export-npz w.npz --checkpoint ck/last.nnck");
  ASSERT_EQ(x.status, 0) << x.err;
  EXPECT_NEAR(std::stod(rows[1]["test_loss"]), evaluateByHand(dir_ / "w.npz").loss, 1e-4);
  auto split = nnc::rt::splitIndices(kTrain, 0.2, 4);
  ASSERT_TRUE(split.ok());
  EXPECT_NEAR(std::stod(rows[1]["val_loss"]), evaluateByHand(dir_ / "w.npz", &split->val).loss, 1e-4);
  // eval and predict take no augmentation flags.
  Result e = run("eval " + data() + " --checkpoint ck/last.nnck --flip");
  EXPECT_EQ(e.status, 2);
}

TEST_F(TrainDriver, UsageErrorsExitWith2) {
  struct Case {
    std::string args, message;
  };
  for (const Case &c : std::vector<Case>{
           {"train " + data() + " --batch 32", "--batch 32: model 'logistic' was compiled for batch 16"},
           {"train " + data() + " --metrics m.txt", "--metrics m.txt: the file name must end in .csv or .jsonl"},
           {"train " + data() + " --plot p.pdf", "--plot p.pdf: the file name must end in .svg or .png"},
           {"train " + data() + " --resume", "--resume needs --checkpoint-dir"},
           {"train " + data() + " --val-split 1.5", "--val-split 1.5"},
           {"train " + data() + " --standardize sometimes", "--standardize"},
           {"train " + data() + " --hyperparameter beta1=0.9", "has no hyperparameter 'beta1'"},
           {"train " + data() + " --epochs 0", "--epochs"},
           {"train --no-such-flag", "--no-such-flag"},
           {"train " + data() + " --color-jitter 0.1,0.2", "--color-jitter 0.1,0.2: expected S or B,C,S"},
           {"train " + data() + " --color-jitter=-1", "--color-jitter -1: expected strengths >= 0"},
           {"train " + data() + " --crop-padding=-1", "--crop-padding"},
           {"train " + data() + " --translate 28", "--translate 28: the shift must be smaller than the 28x28 images"},
           {"train " + data() + " --early-stopping 3", "--early-stopping 3: needs --val-split"},
           {"train " + data() + " --early-stopping 0 --val-split 0.1", "--early-stopping 0"},
           {"train " + data() + " --min-delta 0.1", "--min-delta 0.1: only --early-stopping takes it"},
           {"train " + data() + " --lr-schedule sometimes", "--lr-schedule"},
           {"train " + data() + " --lr-schedule step", "--lr-schedule step needs --lr-step-size"},
           {"train " + data() + " --lr-schedule cosine --lr-gamma 0.5", "--lr-gamma 0.5: only --lr-schedule step"},
           {"train " + data() + " --lr-schedule multistep --lr-milestones 5,3", "--lr-milestones 5,3"},
           {"train " + data() + " --lr-schedule plateau --lr-factor 1.5", "--lr-factor 1.5"},
           {"train " + data() + " --warmup-steps 0", "--warmup-steps 0"},
           {"train " + data() + " --lr 0.1 --lr-schedule cosine --lr-min 0.5", "--lr-min 0.5"},
           {"", "A subcommand is required"},
           {"predict", "--input is required"},
       }) {
    Result r = run(c.args);
    EXPECT_EQ(r.status, 2) << c.args << "\n" << r.out << r.err;
    EXPECT_CONTAINS(r.err, c.message);
  }
}

TEST_F(TrainDriver, BadDataAndCheckpointsExitWith1) {
  // Images of the wrong size, label count mismatch, a truncated images file, a label
  // outside the classes, no data at all.
  writeDataFolder(dir_ / "small", 20);
  writeDataFolder(dir_ / "mismatch");
  writeFile(dir_ / "mismatch/train-labels-idx1-ubyte", idxLabels(1, kTrain - 1));
  writeDataFolder(dir_ / "corrupt");
  Bytes truncated = idxImages(1, kTrain, kSide);
  truncated.resize(truncated.size() - 1000);
  writeFile(dir_ / "corrupt/train-images-idx3-ubyte", truncated);
  writeDataFolder(dir_ / "badlabel");
  Bytes labels = idxLabels(1, kTrain);
  labels[8 + 5] = 12;
  writeFile(dir_ / "badlabel/train-labels-idx1-ubyte", labels);
  fs::create_directories(dir_ / "empty");
  // A corrupt checkpoint and another model's checkpoint (mlp.nnca's state).
  writeFile(dir_ / "garbage.nnck", Bytes(200, 0x42));
  ASSERT_EQ(run("train " + data() + " --epochs 1 --checkpoint-dir ck -q").status, 0);
  Bytes good;
  {
    std::string text = readText(dir_ / "ck/last.nnck");
    good.assign(text.begin(), text.end());
  }
  Bytes flipped = good;
  flipped[flipped.size() / 2] ^= 0xff;
  flipped.resize(flipped.size() - 100);
  writeFile(dir_ / "cut.nnck", flipped);
  {
    auto mlp = nnc::rt::loadArtifact(NNC_TRAIN_TEST_OTHER_ARTIFACT);
    ASSERT_TRUE(mlp.ok()) << mlp.error().message;
    auto session = nnc::rt::Session::create(std::make_shared<const nnc::rt::Artifact>(std::move(mlp).value()), 1);
    ASSERT_TRUE(session.ok());
    ASSERT_TRUE(session.value()->saveCheckpoint((dir_ / "other.nnck").string()).ok());
  }

  struct Case {
    std::string args, message;
  };
  std::string d = dir_.string();
  for (const Case &c : std::vector<Case>{
           {"train --data '" + d + "/small'", "small/train-images-idx3-ubyte: images are 1x20x20 (C x H x W) but model 'logistic' takes x: f32[16, 1, 28, 28]"},
           {"train --data '" + d + "/mismatch'", "mismatch/train-labels-idx1-ubyte"},
           {"train --data '" + d + "/corrupt'", "corrupt/train-images-idx3-ubyte"},
           {"train --data '" + d + "/badlabel'", "badlabel/train-labels-idx1-ubyte"},
           {"train --data '" + d + "/empty'", "empty: no data set here (--data)"},
           {"train --data '" + d + "/nowhere'", "nowhere: no such folder (--data)"},
           {"eval " + data() + " --checkpoint garbage.nnck", "garbage.nnck"},
           {"eval " + data() + " --checkpoint cut.nnck", "cut.nnck"},
           {"eval " + data() + " --checkpoint missing.nnck", "missing.nnck"},
           {"eval " + data() + " --checkpoint other.nnck", "other.nnck"},
           {"train " + data() + " --resume --checkpoint-dir fresh", "fresh/last.nnck: --resume: no checkpoint"},
           {"predict --input garbage.nnck", "garbage.nnck: neither a NumPy .npy array nor an IDX images file"},
           {"predict --input '" + d + "/small/t10k-images-idx3-ubyte'", "images are 1x20x20"},
       }) {
    Result r = run(c.args);
    EXPECT_EQ(r.status, 1) << c.args << "\n" << r.out << r.err;
    EXPECT_CONTAINS(r.err, c.message);
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
  }
  Result other = run("eval " + data() + " --checkpoint other.nnck");
  EXPECT_CONTAINS(other.err, "mlp");
}

} // namespace
