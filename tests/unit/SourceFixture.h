// Test helper: wraps a string in a SourceMgr and captures every diagnostic it prints.
#pragma once

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace nnc::testing {

struct Source {
  explicit Source(llvm::StringRef text, llvm::StringRef name = "test.graph") {
    id = mgr.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, name), llvm::SMLoc());
    mgr.setDiagHandler(
        [](const llvm::SMDiagnostic &d, void *ctx) {
          llvm::raw_string_ostream os(*static_cast<std::string *>(ctx));
          d.print(nullptr, os, /*ShowColors=*/false);
        },
        &diagnostics);
  }
  llvm::SourceMgr mgr;
  unsigned id;
  std::string diagnostics;
};

} // namespace nnc::testing
