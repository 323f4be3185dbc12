#include "driver/Transfer.h"

#include "data/Classes.h"
#include "driver/Errors.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace nnc::rt::driver {

namespace {

std::string joined(const std::vector<std::string> &names) {
  std::string out;
  for (const std::string &n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

} // namespace

Status initFromFile(Model &model, const std::string &path, const std::vector<std::string> &exclude, bool quiet) {
  auto report = model.session().initFrom(path, exclude);
  if (!report) {
    if (report.error().code == CheckpointErrorCode::InvalidArgument) return usageError(report.error().message);
    return fromCheckpoint(report.error());
  }
  if (!quiet) {
    std::printf("--init-from %s: %zu tensors loaded", path.c_str(), report->loaded.size());
    if (!report->kept.empty()) std::printf("; initial values kept: %s", joined(report->kept).c_str());
    if (report->ignored)
      std::printf("; %zu other tensors there not taken (optimizer state, layers this model lacks)", report->ignored);
    std::printf("\n");
  }
  return okStatus();
}

int64_t labelBound(const Model &model, const std::vector<int64_t> &classes) {
  return classes.empty() ? model.classes() : std::max<int64_t>(10, model.classes());
}

Status keepClasses(DataFolder &folder, const std::vector<int64_t> &classes) {
  if (classes.empty()) return okStatus();
  for (auto [data, where] : {std::pair{&folder.train, &folder.trainImages}, std::pair{&folder.test, &folder.testImages}}) {
    if (data->count == 0) continue; // the part not loaded
    auto kept = selectClasses(*data, classes);
    if (!kept) {
      std::string message = fmt::format("--classes: {} ({})", kept.error().message, *where);
      return kept.error().code == ErrorCode::InvalidArgument ? usageError(message) : dataError(message);
    }
    *data = std::move(kept).value();
  }
  return okStatus();
}

} // namespace nnc::rt::driver
