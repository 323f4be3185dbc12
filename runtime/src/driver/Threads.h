// Worker threads of the compiled code: generated loops run on OpenMP (libomp), whose
// thread count the training binary sets from --threads (0 = all cores).
#pragma once

#include <cstdint>

namespace nnc::rt::driver {

// Sets the number of threads for compiled code (when `requested` > 0) and returns the
// number that will be used; 1 when the program has no OpenMP runtime linked.
int64_t applyThreads(int64_t requested);

} // namespace nnc::rt::driver
