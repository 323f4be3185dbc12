// NNC_GEMM_PROFILE=1: the time of every matrix-product call, summed per shape and
// printed to standard error when the process exits. A tool for seeing which products
// dominate a CPU step (what to tune next), not for benchmarks.
#pragma once

#include "kernels/Gemm.h"

namespace nnc::rt::kernels {

bool gemmProfiling();
// Adds one call of `p` (element size `bytes`) that took `seconds`.
void recordGemm(const GemmProblem &p, int bytes, double seconds);

} // namespace nnc::rt::kernels
