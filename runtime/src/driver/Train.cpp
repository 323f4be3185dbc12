// `train`: epochs of shuffled train steps, evaluation on the validation split and the
// test set after each, a checkpoint, a metrics row and a plot per epoch. A run resumed
// from last.nnck continues with the next epoch and reproduces the uninterrupted run: the
// shuffle order depends only on (seed, epoch), the split and the statistics only on the
// seed and the data, and the checkpoint holds all state (optimizer moments included).
// Augmentation draws depend only on (seed, epoch, example); the lr schedule and early
// stopping only on the flags and the losses so far, which a resumed run replays from
// DIR/history.csv (every epoch's metrics row, written before last.nnck).
#include "data/Augment.h"
#include "data/Batch.h"
#include "data/Shuffle.h"
#include "data/Split.h"
#include "driver/Commands.h"
#include "driver/EarlyStopping.h"
#include "driver/Errors.h"
#include "driver/Evaluate.h"
#include "driver/MetricsLog.h"
#include "driver/Plot.h"
#include "driver/Progress.h"
#include "driver/Setup.h"
#include "driver/TrainBatches.h"
#include "driver/TrainFlags.h"
#include "driver/TrainReport.h"
#include "driver/Transfer.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

namespace nnc::rt::driver {

namespace fs = std::filesystem;

namespace {

// Rows of epochs 1..epoch from DIR/history.csv, which a resumed run replays (the file is
// written before last.nnck, so it may hold one epoch more).
Expected<std::vector<MetricsRow>> historyUpTo(const std::string &path, int64_t epoch, const std::string &why) {
  std::error_code ec;
  if (!fs::exists(path, ec))
    return fileError(ErrorCode::Io, path, fmt::format("--resume with {} replays the losses of this file, which is missing", why));
  auto rows = readMetrics(path, MetricsFormat::Csv);
  if (!rows) return std::move(rows).takeError();
  std::vector<MetricsRow> out;
  for (MetricsRow &r : *rows)
    if (valueOf(r, "epoch") <= double(epoch)) out.push_back(std::move(r));
  for (size_t i = 0; i < out.size(); ++i)
    if (valueOf(out[i], "epoch") != double(i + 1)) out.clear();
  if (int64_t(out.size()) != epoch)
    return fileError(ErrorCode::Format, path,
                     fmt::format("does not hold epochs 1 to {} (the checkpoint's), needed by --resume with {}", epoch, why));
  return out;
}

// A copy of every state tensor: the best epoch's weights for early stopping.
using StateCopy = std::vector<std::vector<std::byte>>;
StateCopy copyState(const Session &s) {
  StateCopy copy;
  for (const StateTensor &t : s.state()) copy.emplace_back(t.buffer.data(), t.buffer.data() + t.bytes);
  return copy;
}
void restoreState(Session &s, const StateCopy &copy) {
  for (size_t i = 0; i < copy.size(); ++i) std::memcpy(s.state()[i].buffer.data(), copy[i].data(), copy[i].size());
}

} // namespace

Status runTrain(const nnc_compiled_model *compiled, const TrainOptions &o) {
  if (auto s = checkOptions(o); !s) return s;
  const AugmentOptions augment = *augmentOptions(o);
  auto opened = openModel(compiled, o);
  if (!opened) return std::move(opened).takeError();
  Model &model = *opened.value();
  Session &session = model.session();
  if (!model.hasEntry("train_step"))
    return dataError(fmt::format("model '{}' has no train_step (its .graph has no train section)", model.artifact().name));
  if (!model.hasEntry("forward"))
    return dataError(fmt::format("model '{}' has no forward entry point to evaluate with", model.artifact().name));
  if (auto s = setHyperparameters(model, o); !s) return s;

  const std::string checkpoint = o.checkpointDir.empty() ? "" : (fs::path(o.checkpointDir) / "last.nnck").string();
  const std::string bestCheckpoint = o.checkpointDir.empty() ? "" : (fs::path(o.checkpointDir) / "best.nnck").string();
  const std::string historyPath = o.checkpointDir.empty() ? "" : (fs::path(o.checkpointDir) / "history.csv").string();
  if (o.resume) {
    std::error_code ec;
    if (!fs::exists(checkpoint, ec))
      return fileError(ErrorCode::Io, checkpoint, "--resume: no checkpoint to resume from (train without --resume first)");
    if (auto s = loadCheckpointInto(model, checkpoint); !s) return s;
    if (o.seedGiven && o.seed != session.seed)
      std::fprintf(stderr, "warning: --seed %llu ignored: resuming with the checkpoint's seed %llu\n",
                   static_cast<unsigned long long>(o.seed), static_cast<unsigned long long>(session.seed));
  }

  if (!o.checkpointDir.empty()) {
    std::error_code ec;
    fs::create_directories(o.checkpointDir, ec);
    if (!fs::is_directory(o.checkpointDir, ec))
      return fileError(ErrorCode::Io, o.checkpointDir, "--checkpoint-dir: cannot create this folder");
  }

  // Transfer learning: another model's weights by name (a resumed run has its own).
  if (!o.initFrom.empty() && !o.resume)
    if (auto s = initFromFile(model, o.initFrom, o.initExclude, o.quiet); !s) return s;

  // Data: the split and the statistics depend only on the seed and the files.
  auto folder = loadDataFolder(o.data, labelBound(model, o.classes), true, true);
  if (!folder) return std::move(folder).takeError();
  if (auto s = keepClasses(*folder, o.classes); !s) return s;
  Dataset train = std::move(folder->train), test = std::move(folder->test);
  if (auto s = model.checkData(train, folder->trainImages); !s) return s;
  if (auto s = model.checkData(test, folder->testImages); !s) return s;
  std::optional<Dataset> val;
  if (o.valSplit > 0) {
    auto split = splitDataset(train, o.valSplit, session.seed);
    if (!split) return usageError(fmt::format("--val-split {}: {}", o.valSplit, split.error().message));
    train = std::move(split->train);
    val = std::move(split->val);
  }
  auto normalization = computeNormalization(train, *parseNormalize(o.standardize));
  if (!normalization) return std::move(normalization).takeError();
  for (Dataset *d : {&train, &test, val ? &*val : nullptr})
    if (d)
      if (auto s = applyNormalization(*normalization, *d); !s) return s;
  if (!checkpoint.empty())
    if (auto s = saveNormalization(normalizationPathFor(checkpoint), *normalization); !s) return s;
  // Augmentation acts on the standardized training batches as if on raw pixels (Augment.h).
  const ImageLayout layout{train.channels, train.height, train.width, *normalization ? &**normalization : nullptr};
  for (auto [flag, shift] : {std::pair<const char *, int64_t>{"--crop-padding", augment.cropPadding},
                             {"--translate", augment.translate}})
    if (shift >= std::min(train.height, train.width))
      return usageError(fmt::format("{} {}: the shift must be smaller than the {}x{} images", flag, shift,
                                    train.height, train.width));
  if (augment.saturation > 0 && train.channels != 3)
    std::fprintf(stderr, "note: --color-jitter: saturation changes only 3-channel images; these have %lld\n",
                 static_cast<long long>(train.channels));

  const int64_t B = model.batch();
  const int64_t steps = trainBatchCount(train.count, B, o.dropLast);
  if (steps == 0)
    return dataError(fmt::format("{}: {} training examples are fewer than one batch of {} and --drop-last drops them",
                                 folder->trainImages, train.count, B));
  auto scheduler = makeScheduler(model, o, steps);
  if (!scheduler) return std::move(scheduler).takeError();
  std::optional<EarlyStopping> stopper;
  if (o.earlyStopping) stopper = EarlyStopping{*o.earlyStopping, o.minDelta.value_or(0.0)};
  // What plateau monitors: the validation loss when there is a split.
  const char *monitored = val ? "val_loss" : "train_loss";

  std::vector<MetricsRow> history;
  const auto metricsFormat = o.metrics.empty() ? std::nullopt : metricsFormatFor(o.metrics);
  std::error_code metricsEc;
  if (o.resume && metricsFormat && fs::exists(o.metrics, metricsEc)) {
    auto rows = readMetrics(o.metrics, *metricsFormat);
    if (!rows) return std::move(rows).takeError();
    for (MetricsRow &r : *rows)
      if (valueOf(r, "epoch") <= double(session.epoch)) history.push_back(std::move(r));
  }
  // Every epoch's row for DIR/history.csv; a resumed run replays the plateau and early
  // stopping decisions from it, and the best weights come from DIR/best.nnck.
  std::vector<MetricsRow> saved;
  StateCopy best;
  const bool plateau = *scheduler && (*scheduler)->schedule().kind == LrScheduleKind::Plateau;
  if (session.epoch > 0 && !historyPath.empty()) {
    std::error_code ec;
    if (plateau || stopper || fs::exists(historyPath, ec)) {
      auto rows = historyUpTo(historyPath, session.epoch,
                              plateau ? "--lr-schedule plateau" : stopper ? "--early-stopping" : "--checkpoint-dir");
      if (!rows) {
        if (plateau || stopper) return std::move(rows).takeError();
      } else {
        saved = std::move(*rows);
      }
    }
    for (const MetricsRow &r : saved) {
      if (*scheduler) (*scheduler)->endEpoch(valueOf(r, monitored));
      if (stopper) stopper->update(int64_t(valueOf(r, "epoch")), valueOf(r, "val_loss"));
    }
    if (stopper && stopper->bestEpoch == session.epoch) {
      best = copyState(session);
    } else if (stopper && stopper->bestEpoch > 0) {
      // The best epoch's state, then back to the last one.
      const int64_t step = session.step, epoch = session.epoch;
      if (auto s = loadCheckpointInto(model, bestCheckpoint); !s) return s;
      if (session.epoch != stopper->bestEpoch)
        return fileError(ErrorCode::Format, bestCheckpoint,
                         fmt::format("holds epoch {} but the best epoch in {} is {}", session.epoch, historyPath,
                                     stopper->bestEpoch));
      best = copyState(session);
      if (auto s = loadCheckpointInto(model, checkpoint); !s) return s;
      if (session.step != step || session.epoch != epoch)
        return fileError(ErrorCode::Format, checkpoint, "changed while resuming");
    }
  }
  const bool hasLr = session.hyperparameter("lr") != nullptr;

  if (!o.quiet) {
    std::printf("model %s: %lld parameters, batch %lld, %s; data %s (%s): %lld train%s, %lld test; threads %lld\n",
                model.artifact().name.c_str(), static_cast<long long>(model.artifact().parameterCount()),
                static_cast<long long>(B), model.inputDescription().c_str(), o.data.c_str(), folder->format.c_str(),
                static_cast<long long>(train.count),
                val ? fmt::format(", {} validation", val->count).c_str() : "", static_cast<long long>(test.count),
                static_cast<long long>(o.threads));
    if (o.resume)
      std::printf("resuming from %s: epoch %lld, step %lld\n", checkpoint.c_str(),
                  static_cast<long long>(session.epoch), static_cast<long long>(session.step));
    std::fflush(stdout);
  }

  Progress progress(Progress::detect(o.quiet));
  const int acc = accuracyIndex(model);
  std::vector<float> mask(static_cast<size_t>(B));
  std::optional<Evaluation> lastTest;
  bool plotFailed = false;
  int64_t stoppedAt = stopper && stopper->shouldStop() ? session.epoch : 0; // a resumed run that had stopped
  for (int64_t epoch = session.epoch + 1; epoch <= o.epochs && stoppedAt == 0; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    const std::vector<int64_t> order = epochPermutation(train.count, session.seed, uint64_t(epoch));
    progress.startEpoch(epoch, o.epochs, steps);
    StepValues sum;
    sum.metrics.assign(model.metricNames().size(), 0.0);
    int64_t examples = 0;
    for (int64_t k = 0; k < steps; ++k) {
      TrainBatch batch = trainBatch(order, k, B);
      if (auto s = fillBatch(train, batch.indices, 0, B, LastBatch::Pad, model.x(), model.y(), mask); !s)
        return std::move(s).takeError();
      if (augment.enabled())
        if (auto s = augmentBatch(augment, model.x(), batch.indices, layout, session.seed, uint64_t(epoch)); !s)
          return s;
      if (*scheduler) session.setHyperparameter("lr", (*scheduler)->lr(epoch, session.step + 1));
      auto values = model.trainStep();
      if (!values) return std::move(values).takeError();
      if (!std::isfinite(values->loss))
        return dataError(fmt::format("epoch {} step {}: the loss is {}: training diverged (try a lower --lr)", epoch,
                                     session.step, values->loss));
      // Epoch means weight each batch by its real examples (the padding rows repeat others).
      sum.loss += values->loss * double(batch.real);
      for (size_t i = 0; i < sum.metrics.size(); ++i) sum.metrics[i] += values->metrics[i] * double(batch.real);
      examples += batch.real;
      std::optional<double> runningAcc;
      if (acc >= 0) runningAcc = sum.metrics[size_t(acc)] / double(examples);
      progress.update(k + 1, sum.loss / double(examples), runningAcc, examples);
    }
    const double trainSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    StepValues trainMean = sum;
    trainMean.loss /= double(examples);
    for (double &m : trainMean.metrics) m /= double(examples);

    std::optional<StepValues> valMean;
    if (val) {
      auto v = evaluate(model, *val, [&](int64_t done, int64_t total) {
        progress.status(fmt::format("evaluating validation {}/{}", done, total));
      });
      if (!v) return std::move(v).takeError();
      valMean = v->mean;
    }
    auto t = evaluate(model, test, [&](int64_t done, int64_t total) {
      progress.status(fmt::format("evaluating test {}/{}", done, total));
    });
    if (!t) return std::move(t).takeError();
    lastTest = *t;
    progress.endEpoch();

    session.epoch = epoch;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double rate = trainSeconds > 0 ? double(steps * B) / trainSeconds : 0;
    const std::optional<double> lr = hasLr ? std::optional<double>(*session.hyperparameter("lr")) : std::nullopt;
    MetricsRow row = metricsRow(model, epoch, session.step, lr, trainMean, valMean, t->mean, seconds, rate);
    if (*scheduler) (*scheduler)->endEpoch(valueOf(row, monitored));
    const bool improved = stopper && stopper->update(epoch, valueOf(row, "val_loss"));
    if (improved) best = copyState(session);
    // history.csv, last.nnck, best.nnck in this order: a crash in between leaves files a
    // resume can use (history rows past last.nnck's epoch are ignored; a best epoch equal
    // to last.nnck's is taken from last.nnck).
    if (!checkpoint.empty()) {
      saved.push_back(row);
      if (auto s = writeMetrics(historyPath, MetricsFormat::Csv, saved); !s) return s;
      if (auto s = session.saveCheckpoint(checkpoint); !s) return fromCheckpoint(s.error());
      if (improved)
        if (auto s = session.saveCheckpoint(bestCheckpoint); !s) return fromCheckpoint(s.error());
    }
    history.push_back(std::move(row));
    if (metricsFormat)
      if (auto s = writeMetrics(o.metrics, *metricsFormat, history); !s) return s;
    if (!o.plot.empty() && !plotFailed)
      if (auto warning = plotMetrics(o.plot, history, model.metricNames())) {
        std::fprintf(stderr, "warning: %s; training goes on\n", warning->c_str());
        plotFailed = true;
      }
    if (!o.quiet) {
      std::printf("epoch %lld/%lld: train loss %.4f%s%s | test loss %.4f%s | %.1f s, %.0f examples/s\n",
                  static_cast<long long>(epoch), static_cast<long long>(o.epochs), trainMean.loss,
                  describeMetrics(model, trainMean).c_str(),
                  valMean ? fmt::format(" | val loss {:.4f}{}", valMean->loss, describeMetrics(model, *valMean)).c_str()
                          : "",
                  t->mean.loss, describeMetrics(model, t->mean).c_str(), seconds, rate);
      std::fflush(stdout);
    }
    if (stopper && stopper->shouldStop()) stoppedAt = epoch;
  }
  if (stopper && stopper->bestEpoch > 0) {
    // The run ends with the best epoch's weights, evaluated again on the test set.
    restoreState(session, best);
    if (!o.quiet) {
      if (stoppedAt > 0)
        std::printf("early stopping at epoch %lld: best epoch %lld (val loss %.4f) restored\n",
                    static_cast<long long>(stoppedAt), static_cast<long long>(stopper->bestEpoch), stopper->bestLoss);
      else
        std::printf("no early stop in %lld epochs: best epoch %lld (val loss %.4f) restored\n",
                    static_cast<long long>(session.epoch), static_cast<long long>(stopper->bestEpoch),
                    stopper->bestLoss);
    }
    auto t = evaluate(model, test);
    if (!t) return std::move(t).takeError();
    lastTest = *t;
  }
  if (!lastTest) {
    std::printf("%s is at epoch %lld of %lld: nothing left to train\n", checkpoint.c_str(),
                static_cast<long long>(session.epoch), static_cast<long long>(o.epochs));
    auto t = evaluate(model, test);
    if (!t) return std::move(t).takeError();
    lastTest = *t;
  }
  std::printf("%s\n", finalLine(model, *lastTest).c_str());
  return okStatus();
}

} // namespace nnc::rt::driver
