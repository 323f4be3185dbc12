// The subcommands of a training binary (`nnc compile` links Main.cpp's main() with the
// model's object): their options as parsed by Main.cpp and one function each. A command
// returns an Error naming the file or flag at fault; Main.cpp prints it and exits with
// exitCodeOf (1: data, checkpoint, model; 2: usage).
#pragma once

#include "data/Augment.h"
#include "data/Error.h"
#include "driver/DataFolder.h"
#include "driver/LrSchedule.h"

#include "nnc/compiled_model.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nnc::rt::driver {

// Options every command that builds a session shares.
struct CommonOptions {
  uint64_t seed = 0;
  bool seedGiven = false;
  int64_t threads = 0; // OpenMP threads of the compiled code; 0 = all cores (set in main)
  std::optional<int64_t> batch; // must equal the compiled batch
  std::string device;           // cpu or cuda: must be the device the model was compiled for
};

struct TrainOptions : CommonOptions {
  std::string data = kDefaultDataDir;
  int64_t epochs = 10;
  std::optional<double> lr;
  std::vector<std::string> hyperparameters; // NAME=VALUE
  double valSplit = 0;
  std::string checkpointDir;
  bool resume = false;
  std::string metrics, plot;
  bool dropLast = false;
  std::string standardize = "per-channel";
  bool quiet = false;
  std::string initFrom;                 // --init-from: weights by name (transfer learning)
  std::vector<std::string> initExclude; // --init-exclude: names that keep their initial values
  std::vector<int64_t> classes;         // --classes: train and test on these, relabelled 0..k-1
  AugmentOptions augment;                // --flip, --crop-padding, --translate, --color-jitter
  std::vector<double> colorJitter;       // --color-jitter S or B,C,S (checked by runTrain)
  LrScheduleOptions lrSchedule;          // --lr-schedule and its flags, --warmup-*
  std::optional<int64_t> earlyStopping;  // --early-stopping PATIENCE
  std::optional<double> minDelta;        // --min-delta
};

struct EvalOptions : CommonOptions {
  std::string data = kDefaultDataDir;
  std::vector<int64_t> classes; // --classes: as train's
  std::string checkpoint;
  std::string standardize = "per-channel"; // when no standardize.npz is next to the checkpoint
};

struct PredictOptions : CommonOptions {
  std::string input, output, checkpoint;
  std::string data = kDefaultDataDir;      // statistics when no standardize.npz is found
  std::string standardize = "per-channel";
};

struct WeightsOptions : CommonOptions {
  std::string file;       // the .npz
  std::string checkpoint; // export: the state to write; import: the state to start from
  std::string output;     // import: the checkpoint to write
  bool allState = false, allowUnknown = false;
};

struct BenchOptions : CommonOptions {
  int64_t steps = 100, warmup = 10;
  bool json = false;
};

// `filters` and `dream` (Filters.cpp, Dream.cpp; docs/runtime.md "Pictures").
struct FiltersOptions : CommonOptions {
  std::string checkpoint, output, param; // param: a 4-d state tensor; empty = the first convolution's
  int64_t scale = 8;                     // pixels per weight
};

struct DreamOptions : CommonOptions {
  int64_t classIndex = 0;
  std::string checkpoint, output;
  std::string data = kDefaultDataDir;      // statistics when no standardize.npz is found
  std::string standardize = "per-channel";
  int64_t steps = 200, scale = 8;
  double lr = 0.1, l2 = 1e-3;
};

Status runTrain(const nnc_compiled_model *model, const TrainOptions &options);
Status runBench(const nnc_compiled_model *model, const BenchOptions &options);
Status runEval(const nnc_compiled_model *model, const EvalOptions &options);
Status runPredict(const nnc_compiled_model *model, const PredictOptions &options);
Status runInfo(const nnc_compiled_model *model);
Status runExportNpz(const nnc_compiled_model *model, const WeightsOptions &options);
Status runImportNpz(const nnc_compiled_model *model, const WeightsOptions &options);
Status runFilters(const nnc_compiled_model *model, const FiltersOptions &options);
Status runDream(const nnc_compiled_model *model, const DreamOptions &options);

} // namespace nnc::rt::driver
