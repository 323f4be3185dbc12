// Errors of the training driver: the data layer's Error (a message naming the file or flag)
// with the exit status it maps to. Usage errors (bad flags, a --batch the model was not
// compiled for) are ErrorCode::InvalidArgument and exit with 2; data, checkpoint and model
// errors exit with 1. Nothing in the driver exits or aborts on bad input.
#pragma once

#include "checkpoint/CheckpointError.h"
#include "data/Error.h"

#include <string>

namespace nnc::rt::driver {

constexpr int kExitData = 1;  // a file, a checkpoint or the model is wrong
constexpr int kExitUsage = 2; // the command line is wrong

inline Error usageError(std::string message) { return Error{ErrorCode::InvalidArgument, std::move(message)}; }
inline Error dataError(std::string message) { return Error{ErrorCode::Format, std::move(message)}; }
// A checkpoint-layer error (its message already names the file) as a data error.
inline Error fromCheckpoint(const CheckpointError &e) {
  return Error{e.code == CheckpointErrorCode::Io || e.code == CheckpointErrorCode::NotFound ? ErrorCode::Io
                                                                                             : ErrorCode::Format,
               e.message};
}
inline int exitCodeOf(const Error &e) { return e.code == ErrorCode::InvalidArgument ? kExitUsage : kExitData; }

} // namespace nnc::rt::driver
