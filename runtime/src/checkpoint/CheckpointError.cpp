// Names of the checkpoint error codes and the one-line form of an error.
#include "checkpoint/CheckpointError.h"

namespace nnc::rt {

const char *checkpointErrorCodeName(CheckpointErrorCode code) {
  switch (code) {
  case CheckpointErrorCode::NotFound: return "not-found";
  case CheckpointErrorCode::Io: return "io";
  case CheckpointErrorCode::TooLarge: return "too-large";
  case CheckpointErrorCode::Truncated: return "truncated";
  case CheckpointErrorCode::Corrupt: return "corrupt";
  case CheckpointErrorCode::WrongIdentifier: return "wrong-identifier";
  case CheckpointErrorCode::UnsupportedVersion: return "unsupported-version";
  case CheckpointErrorCode::OtherModel: return "other-model";
  case CheckpointErrorCode::Unsupported: return "unsupported";
  case CheckpointErrorCode::Malformed: return "malformed";
  case CheckpointErrorCode::Mismatch: return "mismatch";
  case CheckpointErrorCode::InvalidArgument: return "invalid-argument";
  case CheckpointErrorCode::OutOfMemory: return "out-of-memory";
  }
  return "unknown";
}

std::string CheckpointError::str() const {
  return std::string(checkpointErrorCodeName(code)) + ": " + message;
}

} // namespace nnc::rt
