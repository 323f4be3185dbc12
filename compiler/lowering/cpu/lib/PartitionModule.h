// Splits a compiled model's LLVM module into parts that are optimized and turned into
// object code on separate threads (EmitObject.cpp), each in its own LLVMContext.
#pragma once

#include "llvm/ADT/SmallVector.h"

#include <string>

namespace llvm {
class Module;
}

namespace nnc {

// Cuts `m` into at most `parts` modules, returned as bitcode. A cluster of functions
// that must stay together (an entry point with its wrapper, a kernel with the OpenMP
// regions outlined from it, helpers they call privately) goes whole into one part; the
// cut is between an entry and its kernels (`*_kernel<N>` functions, nn-outline-kernels),
// and clusters are spread largest first over the least loaded part (by instruction
// count, loop bodies weighted by depth: vectorization and unrolling multiply them).
// Local functions that end up called from another part become hidden global symbols
// named `<symbolPrefix>.<name>` (unique among models linked together). Global variables
// with external linkage (the model descriptor) stay in part 0; local ones (constants)
// are copied into every part, where those unused disappear in optimization.
llvm::SmallVector<std::string> partitionModule(llvm::Module &m, unsigned parts, const std::string &symbolPrefix);

} // namespace nnc
