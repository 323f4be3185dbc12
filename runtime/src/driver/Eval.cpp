// `eval`: loss and metrics of a checkpoint (or of the initial weights) on the test set.
#include "driver/Commands.h"
#include "driver/Evaluate.h"
#include "driver/Setup.h"
#include "driver/Transfer.h"

#include <fmt/format.h>

#include <cstdio>

namespace nnc::rt::driver {

Status runEval(const nnc_compiled_model *compiled, const EvalOptions &o) {
  auto opened = openModel(compiled, o);
  if (!opened) return std::move(opened).takeError();
  Model &model = *opened.value();
  if (!o.checkpoint.empty())
    if (auto s = loadCheckpointInto(model, o.checkpoint); !s) return s;
  auto normalization = findNormalization(model, o.checkpoint, o.data, o.standardize);
  if (!normalization) return std::move(normalization).takeError();
  auto folder = loadDataFolder(o.data, labelBound(model, o.classes), false, true);
  if (!folder) return std::move(folder).takeError();
  if (auto s = keepClasses(*folder, o.classes); !s) return s;
  Dataset &test = folder->test;
  if (auto s = model.checkData(test, folder->testImages); !s) return s;
  if (auto s = applyNormalization(*normalization, test); !s) return s;
  auto result = evaluate(model, test);
  if (!result) return std::move(result).takeError();
  std::printf("test loss: %.6f\n", result->mean.loss);
  for (size_t i = 0; i < model.metricNames().size(); ++i)
    std::printf("test %s: %.6f\n", model.metricNames()[i].c_str(), result->mean.metrics[i]);
  std::printf("examples: %lld\n", static_cast<long long>(result->count));
  return okStatus();
}

} // namespace nnc::rt::driver
