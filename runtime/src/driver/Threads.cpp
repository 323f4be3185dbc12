// applyThreads: through weak references, so that programs linking the runtime without
// libomp (tests with hand-written fakes) still link and run single-threaded.
#include "driver/Threads.h"

extern "C" {
void omp_set_num_threads(int) __attribute__((weak));
int omp_get_max_threads(void) __attribute__((weak));
}

namespace nnc::rt::driver {

int64_t applyThreads(int64_t requested) {
  if (!omp_set_num_threads || !omp_get_max_threads) return 1;
  if (requested > 0) omp_set_num_threads(int(requested));
  return omp_get_max_threads();
}

} // namespace nnc::rt::driver
