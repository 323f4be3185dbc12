// A class subset of a dataset (`--classes`): transfer learning's "train on some classes,
// then transfer to the rest" and any run on part of a data set.
#pragma once

#include "data/Dataset.h"
#include "data/Error.h"

#include <cstdint>
#include <span>

namespace nnc::rt {

// The examples whose label is one of `classes`, in their original order, relabelled to
// the label's position in `classes` (classes {5, 7} makes 5 -> 0 and 7 -> 1), with
// numClasses = classes.size(). InvalidArgument for an empty list, a class outside
// [0, data.numClasses) or given twice; Mismatch when no example has any of them.
Expected<Dataset> selectClasses(const Dataset &data, std::span<const int64_t> classes);

} // namespace nnc::rt
