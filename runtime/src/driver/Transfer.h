// Transfer learning in the training binary: `--init-from` (weights by name from another
// model's checkpoint or a .npz, `--init-exclude` for a replaced head) and `--classes`
// (train or evaluate on a subset of the classes, relabelled 0..k-1).
#pragma once

#include "driver/DataFolder.h"
#include "driver/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace nnc::rt::driver {

// Session::initFrom with the driver's errors (a bad --init-exclude is a usage error) and
// a summary line on stdout unless `quiet`.
Status initFromFile(Model &model, const std::string &path, const std::vector<std::string> &exclude, bool quiet);

// The label bound for loadDataFolder: the model's classes, or with --classes (whose
// model may have fewer outputs than the file has classes) the data set's 10 classes.
int64_t labelBound(const Model &model, const std::vector<int64_t> &classes);

// Replaces the folder's training and test sets by their examples of `classes` (no-op
// when empty); errors name --classes.
Status keepClasses(DataFolder &folder, const std::vector<int64_t> &classes);

} // namespace nnc::rt::driver
