// The CPU backend's matrix-product kernels (what nn-gemm-to-call's calls reach).
//
// C (m×n) += op(A) · op(B) for `batch` matrices stored one after another, row-major and
// contiguous; op(A) is A (m×k) or, with transA, the transpose of A stored as k×m, and
// likewise op(B) (k×n, or n×k with transB). With `accumulate`, C holds the accumulator's
// starting value (a linear layer's bias) and the product is added to it; without, C is
// overwritten (C = op(A) · op(B): no zero fill needed first). An overwriting product may
// add a bias vector on the way out (C = op(A) · op(B) + bias, bias[i] per row or bias[j]
// per column, the same for every matrix of the batch): the epilogue of a linear layer
// or a convolution, computed on each tile while it is in registers.
//
// Results do not depend on the thread count: every element of C is summed by one
// thread in the same order of k (fixed blocks of kKc, each summed from zero, added to C
// in order).
#pragma once

#include <cstdint>

namespace nnc::rt::kernels {

struct GemmProblem {
  int64_t batch = 1, m = 0, n = 0, k = 0;
  bool transA = false, transB = false;
  bool accumulate = true;
  const void *bias = nullptr; // T[m] or T[n]; only without `accumulate`
  bool biasPerColumn = false;
};

// One implementation of the blocked product (packing, cache blocks, micro-kernel) per
// instruction set; `threads` splits the work (1: the calling thread alone).
void gemmAvx512F32(const GemmProblem &p, const float *a, const float *b, float *c, int threads);
void gemmAvx512F64(const GemmProblem &p, const double *a, const double *b, double *c, int threads);
void gemmGenericF32(const GemmProblem &p, const float *a, const float *b, float *c, int threads);
void gemmGenericF64(const GemmProblem &p, const double *a, const double *b, double *c, int threads);

// The straightforward triple loop: what the tests compare the fast kernels with.
void gemmReferenceF32(const GemmProblem &p, const float *a, const float *b, float *c);
void gemmReferenceF64(const GemmProblem &p, const double *a, const double *b, double *c);

// Whether this CPU runs the AVX-512 kernels (AVX-512 F; checked once).
bool cpuHasAvx512();

} // namespace nnc::rt::kernels

extern "C" {
// The entry points compiled models call (sizes, orientations, whether C accumulates, then
// the buffers' addresses as integers, as nn-gemm-to-call passes them). They pick the AVX-512 kernels
// where the CPU has them (NNC_GEMM_ISA=generic forces the portable ones) and use the
// OpenMP threads of the compiled code.
void nnc_cpu_gemm_f32(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                      int64_t accumulate, int64_t a, int64_t b, int64_t c);
void nnc_cpu_gemm_f64(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                      int64_t accumulate, int64_t a, int64_t b, int64_t c);
// C = op(A) · op(B) + bias, bias[i] along the rows (biasPerColumn = 0) or bias[j] along
// the columns (1): what nn-gemm-to-call emits for a product whose C was a broadcast
// bias, instead of the broadcast pass and an accumulating product.
void nnc_cpu_gemm_bias_f32(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                           int64_t biasPerColumn, int64_t a, int64_t b, int64_t c, int64_t bias);
void nnc_cpu_gemm_bias_f64(int64_t batch, int64_t m, int64_t n, int64_t k, int64_t transA, int64_t transB,
                           int64_t biasPerColumn, int64_t a, int64_t b, int64_t c, int64_t bias);
}
