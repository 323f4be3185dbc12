#include "data/Classes.h"

#include <fmt/format.h>

#include <vector>

namespace nnc::rt {

Expected<Dataset> selectClasses(const Dataset &data, std::span<const int64_t> classes) {
  if (classes.empty()) return Error{ErrorCode::InvalidArgument, "no classes given"};
  std::vector<int64_t> newLabel(size_t(data.numClasses), -1);
  for (size_t i = 0; i < classes.size(); ++i) {
    int64_t c = classes[i];
    if (c < 0 || c >= data.numClasses)
      return Error{ErrorCode::InvalidArgument, fmt::format("class {} is not in the data set's 0..{}", c, data.numClasses - 1)};
    if (newLabel[size_t(c)] >= 0) return Error{ErrorCode::InvalidArgument, fmt::format("class {} is given twice", c)};
    newLabel[size_t(c)] = int64_t(i);
  }
  std::vector<int64_t> keep;
  for (int64_t i = 0; i < data.count; ++i) {
    int64_t label = data.labels[size_t(i)];
    if (label >= 0 && label < data.numClasses && newLabel[size_t(label)] >= 0) keep.push_back(i);
  }
  if (keep.empty()) return Error{ErrorCode::Mismatch, "no example has any of the classes given"};
  auto out = subset(data, keep);
  if (!out) return out;
  for (int64_t &label : out->labels) label = newLabel[size_t(label)];
  out->numClasses = int64_t(classes.size());
  return out;
}

} // namespace nnc::rt
