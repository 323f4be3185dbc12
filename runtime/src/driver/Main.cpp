// main() of a training binary: `nnc compile model.graph -o model` links this library with
// the model's object, which defines nnc_main_model. Parses the subcommands (train, eval,
// predict, info, bench, export-npz, import-npz, filters, dream) with CLI11 and runs one.
// Exit status: 0 on success, 1 for data, checkpoint and model errors, 2 for usage errors.
#include "driver/Commands.h"
#include "driver/Threads.h"
#include "driver/Errors.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <new>

extern "C" const nnc_compiled_model nnc_main_model;

namespace {

using namespace nnc::rt::driver;

// --seed, --threads and --batch of every command that builds a session.
void addCommon(CLI::App *cmd, CommonOptions &o) {
  cmd->add_option("--seed", o.seed, "Seed of the initial weights, the epoch shuffles and the validation split")
      ->capture_default_str()
      ->each([&o](const std::string &) { o.seedGiven = true; });
  cmd->add_option("--threads", o.threads, "Threads of the compiled code (OpenMP); 0 = all cores")
      ->check(CLI::Range(int64_t(0), int64_t(4096)));
  cmd->add_option("--batch", o.batch, "Must equal the batch size the model was compiled for")
      ->check(CLI::Range(int64_t(1), int64_t(1) << 32));
  cmd->add_option("--device", o.device, "cpu or cuda: must be the device the model was compiled for (`nnc compile --target`)")
      ->check(CLI::IsMember({"cpu", "cuda"}));
}

const char *kStandardizeHelp = "Input standardization with training-set statistics: per-channel, per-pixel or none";

// train's augmentation, learning-rate schedule and early-stopping flags (values checked
// by runTrain, so each message names its flag).
void addTrainExtras(CLI::App *cmd, TrainOptions &o) {
  cmd->add_flag("--flip", o.augment.flip, "Augment: random horizontal flip (p = 0.5)");
  cmd->add_option("--crop-padding", o.augment.cropPadding, "Augment: pad N black pixels, random crop back to H x W")
      ->check(CLI::Range(int64_t(0), int64_t(4096)));
  cmd->add_option("--translate", o.augment.translate, "Augment: random shift by up to N pixels in x and y, fill black")
      ->check(CLI::Range(int64_t(0), int64_t(4096)));
  cmd->add_option("--color-jitter", o.colorJitter,
                  "Augment: S or B,C,S: brightness, contrast, saturation factors in [max(0, 1-s), 1+s]")
      ->delimiter(',');
  auto &lr = o.lrSchedule;
  cmd->add_option("--lr-schedule", lr.kind, "none, step, multistep, exponential, cosine or plateau")
      ->capture_default_str()
      ->check(CLI::IsMember({"none", "step", "multistep", "exponential", "cosine", "plateau"}));
  cmd->add_option("--lr-step-size", lr.stepSize, "step: epochs between decays by --lr-gamma");
  cmd->add_option("--lr-milestones", lr.milestones, "multistep: E1,E2,...: epochs after which lr decays")
      ->delimiter(',');
  cmd->add_option("--lr-gamma", lr.gamma, "step, multistep (0.1), exponential: the decay factor");
  cmd->add_option("--lr-t-max", lr.tMax, "cosine: epochs of the half period (default --epochs)");
  cmd->add_option("--lr-min", lr.minLr, "cosine: eta_min; plateau: the smallest lr (0)");
  cmd->add_option("--lr-factor", lr.factor, "plateau: lr factor on a plateau (0.1)");
  cmd->add_option("--lr-patience", lr.patience, "plateau: epochs without improvement before a decay (10)");
  cmd->add_option("--warmup-epochs", lr.warmupEpochs, "Linear per-step lr warm-up over the first N epochs");
  cmd->add_option("--warmup-steps", lr.warmupSteps, "Linear lr warm-up over the first N train steps");
  cmd->add_option("--early-stopping", o.earlyStopping,
                  "Stop after N epochs without a lower validation loss and restore the best epoch (needs --val-split)");
  cmd->add_option("--min-delta", o.minDelta, "Early stopping: the decrease that counts as an improvement (0)");
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"A training binary built by nnc: train, evaluate and run the compiled model"};
  app.require_subcommand(1);
  app.footer("Exit status: 0 on success, 1 for data, checkpoint and model errors, 2 for usage errors.\n"
             "`info` describes the compiled model.");

  TrainOptions train;
  CLI::App *trainCmd = app.add_subcommand("train", "Train on a data folder, evaluating on the test set after each epoch");
  trainCmd->add_option("--data", train.data, "Folder of MNIST-style IDX files or CIFAR-10 binary batches")
      ->capture_default_str();
  trainCmd->add_option("--epochs", train.epochs, "Epochs to train (in all, counting resumed ones)")
      ->capture_default_str()
      ->check(CLI::Range(int64_t(1), int64_t(1000000)));
  trainCmd->add_option("--lr", train.lr, "Learning rate instead of the model's default")->check(CLI::PositiveNumber);
  trainCmd->add_option("--hyperparameter", train.hyperparameters,
                       "NAME=VALUE: another hyperparameter of the optimizer (momentum, beta1, weight_decay, ...)");
  trainCmd->add_option("--val-split", train.valSplit, "Fraction of the training set held out for validation")
      ->capture_default_str();
  trainCmd->add_option("--checkpoint-dir", train.checkpointDir,
                       "Save DIR/last.nnck (and DIR/standardize.npz) after every epoch");
  trainCmd->add_flag("--resume", train.resume, "Continue from --checkpoint-dir's last.nnck with the next epoch");
  trainCmd->add_option("--metrics", train.metrics, "Per-epoch metrics file: .csv or .jsonl");
  trainCmd->add_option("--plot", train.plot, "Loss and accuracy curves (through gnuplot): .svg or .png");
  trainCmd->add_flag("--drop-last", train.dropLast,
                     "Drop the last partial batch instead of padding it with the epoch's first examples");
  trainCmd->add_option("--standardize", train.standardize, kStandardizeHelp)
      ->capture_default_str()
      ->check(CLI::IsMember({"per-channel", "per-pixel", "none"}));
  trainCmd->add_flag("-q,--quiet", train.quiet, "Print only the final summary line");
  trainCmd->add_option("--init-from", train.initFrom,
                       "Start from these weights, by tensor name: a checkpoint of any model or a .npz (transfer learning)");
  trainCmd->add_option("--init-exclude", train.initExclude,
                       "With --init-from: tensors or block instances that keep their initial values (a replaced head)")
      ->delimiter(',');
  trainCmd->add_option("--classes", train.classes,
                       "Train and test on these classes only (comma-separated), relabelled 0, 1, ... in this order")
      ->delimiter(',');
  addTrainExtras(trainCmd, train);
  addCommon(trainCmd, train);

  EvalOptions eval;
  CLI::App *evalCmd = app.add_subcommand("eval", "Loss and metrics on the test set of a data folder");
  evalCmd->add_option("--data", eval.data, "Folder of MNIST-style IDX files or CIFAR-10 binary batches")
      ->capture_default_str();
  evalCmd->add_option("--checkpoint", eval.checkpoint, "Weights to evaluate (default: the initial weights)");
  evalCmd->add_option("--classes", eval.classes, "Evaluate on these classes only, relabelled as train --classes does")
      ->delimiter(',');
  evalCmd->add_option("--standardize", eval.standardize, std::string(kStandardizeHelp) + " (without standardize.npz next to the checkpoint)")
      ->capture_default_str()
      ->check(CLI::IsMember({"per-channel", "per-pixel", "none"}));
  addCommon(evalCmd, eval);

  PredictOptions predict;
  CLI::App *predictCmd = app.add_subcommand("predict", "Print the class index of every image of a file");
  predictCmd->add_option("--input", predict.input, ".npy (f32/f64 pixel values in [0, 1]) or IDX images file")
      ->required();
  predictCmd->add_option("--checkpoint", predict.checkpoint, "Weights to use (default: the initial weights)");
  predictCmd->add_option("--output", predict.output, "Write the indices here, one per line, instead of stdout");
  predictCmd->add_option("--data", predict.data, "Training data for the statistics when no standardize.npz is found")
      ->capture_default_str();
  predictCmd->add_option("--standardize", predict.standardize, std::string(kStandardizeHelp) + " (without standardize.npz next to the checkpoint)")
      ->capture_default_str()
      ->check(CLI::IsMember({"per-channel", "per-pixel", "none"}));
  addCommon(predictCmd, predict);

  CLI::App *infoCmd = app.add_subcommand("info", "Describe the compiled model: tensors, entry points, memory");

  BenchOptions bench;
  CLI::App *benchCmd = app.add_subcommand("bench", "Time train_step on one synthetic batch (no data loading)");
  benchCmd->add_option("--steps", bench.steps, "Timed steps")->capture_default_str()->check(CLI::Range(int64_t(1), int64_t(1000000)));
  benchCmd->add_option("--warmup", bench.warmup, "Untimed steps first")->capture_default_str()->check(CLI::Range(int64_t(0), int64_t(1000000)));
  benchCmd->add_flag("--json", bench.json, "Print one JSON object instead of a sentence");
  addCommon(benchCmd, bench);

  WeightsOptions exportOpts;
  CLI::App *exportCmd = app.add_subcommand("export-npz", "Write the weights to a NumPy .npz archive by tensor name");
  exportCmd->add_option("file", exportOpts.file, "The .npz to write")->required();
  exportCmd->add_option("--checkpoint", exportOpts.checkpoint, "Weights to export (default: the initial weights)");
  exportCmd->add_flag("--all-state", exportOpts.allState, "Also buffers and optimizer state");
  addCommon(exportCmd, exportOpts);

  WeightsOptions importOpts;
  CLI::App *importCmd = app.add_subcommand("import-npz", "Load weights from a NumPy .npz archive into a checkpoint");
  importCmd->add_option("file", importOpts.file, "The .npz to read")->required();
  importCmd->add_option("--output", importOpts.output, "The checkpoint to write")->required();
  importCmd->add_option("--checkpoint", importOpts.checkpoint, "State to start from (default: the initial weights)");
  importCmd->add_flag("--allow-unknown", importOpts.allowUnknown, "Skip archive entries that name no state tensor");
  addCommon(importCmd, importOpts);

  // Pictures (Filters.cpp, Dream.cpp; docs/runtime.md "Pictures").
  FiltersOptions filters;
  CLI::App *filtersCmd = app.add_subcommand("filters", "Draw a convolution's filters as a PNG grid");
  filtersCmd->add_option("--output", filters.output, "The .png to write")->required();
  filtersCmd->add_option("--checkpoint", filters.checkpoint, "Weights to draw (default: the initial weights)");
  filtersCmd->add_option("--param", filters.param, "A 4-d weight (default: the first convolution's, see `info`)");
  filtersCmd->add_option("--scale", filters.scale, "Pixels per weight")->capture_default_str()->check(CLI::Range(int64_t(1), int64_t(64)));
  addCommon(filtersCmd, filters);

  DreamOptions dream;
  CLI::App *dreamCmd = app.add_subcommand(
      "dream", "Draw the input that maximises a class's probability (needs `nnc compile --grad-wrt=x`)");
  dreamCmd->add_option("--class", dream.classIndex, "The class to maximise")->required()->check(CLI::NonNegativeNumber);
  dreamCmd->add_option("--output", dream.output, "The .png to write")->required();
  dreamCmd->add_option("--checkpoint", dream.checkpoint, "Weights to use (default: the initial weights)");
  dreamCmd->add_option("--steps", dream.steps, "Gradient steps on the input")->capture_default_str()->check(CLI::Range(int64_t(0), int64_t(1000000)));
  dreamCmd->add_option("--lr", dream.lr, "Step length per pixel (RMS, in standardized units)")->capture_default_str()->check(CLI::PositiveNumber);
  dreamCmd->add_option("--l2", dream.l2, "Weight of the L2 penalty on the input")->capture_default_str()->check(CLI::NonNegativeNumber);
  dreamCmd->add_option("--scale", dream.scale, "Pixels per input pixel")->capture_default_str()->check(CLI::Range(int64_t(1), int64_t(64)));
  dreamCmd->add_option("--data", dream.data, "Training data for the statistics when no standardize.npz is found")
      ->capture_default_str();
  dreamCmd->add_option("--standardize", dream.standardize, std::string(kStandardizeHelp) + " (without standardize.npz next to the checkpoint)")
      ->capture_default_str()
      ->check(CLI::IsMember({"per-channel", "per-pixel", "none"}));
  addCommon(dreamCmd, dream);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    app.exit(e);
    return kExitUsage;
  }

  try {
    const nnc_compiled_model *model = &nnc_main_model;
    nnc::rt::Status status = nnc::rt::okStatus();
    for (auto [cmd, common] : {std::pair<CLI::App *, CommonOptions *>{trainCmd, &train}, {evalCmd, &eval},
                               {predictCmd, &predict}, {exportCmd, &exportOpts}, {importCmd, &importOpts},
                               {benchCmd, &bench}, {filtersCmd, &filters}, {dreamCmd, &dream}})
      if (cmd->parsed()) common->threads = applyThreads(common->threads);
    if (trainCmd->parsed()) status = runTrain(model, train);
    else if (evalCmd->parsed()) status = runEval(model, eval);
    else if (predictCmd->parsed()) status = runPredict(model, predict);
    else if (infoCmd->parsed()) status = runInfo(model);
    else if (benchCmd->parsed()) status = runBench(model, bench);
    else if (exportCmd->parsed()) status = runExportNpz(model, exportOpts);
    else if (importCmd->parsed()) status = runImportNpz(model, importOpts);
    else if (filtersCmd->parsed()) status = runFilters(model, filters);
    else if (dreamCmd->parsed()) status = runDream(model, dream);
    if (!status) {
      std::fflush(stdout);
      std::fprintf(stderr, "error: %s\n", status.error().message.c_str());
      return exitCodeOf(status.error());
    }
  } catch (const std::bad_alloc &) {
    std::fprintf(stderr, "error: out of memory\n");
    return kExitData;
  } catch (const std::exception &e) { // a bug, but never a crash
    std::fprintf(stderr, "error: internal error: %s\n", e.what());
    return kExitData;
  }
  return 0;
}
