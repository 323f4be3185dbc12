// The blocked matrix product every instruction set shares (included by one .cpp per
// instruction set, compiled with its flags). Goto/BLIS structure: C is cut into blocks
// of kMc rows × kNc columns and k into blocks of kKc; each block of op(B) is packed into
// panels of NR columns and each block of op(A) into panels of MR rows (zero-padded, in
// the order the micro-kernel reads them), and the micro-kernel computes one MR×NR tile
// of C from a pair of panels in registers.
//
// Kernel provides: T (the element type), MR, NR, and
//   run(kc, packedA, b, ldb, c, ldc, rows, cols, overwrite): adds the MR×NR product of
//   the A panel and NR columns of B (row p of them at b + p·ldb: a packed panel has
//   ldb = NR), each summed from zero over kc, to the first rows×cols elements of the
//   tile at c, or stores it there with `overwrite` (the first k block of C = A·B), plus
//   rowBias[i] or colBias[j] where given (the bias epilogue);
// optionally packTransposedPanel(b, ld, kc, cols, out): one panel of a transposed B.
// Everything here is a member of the class template, so each instruction set's copy is
// its own (no inline function shared between objects compiled with different flags).
#pragma once

#include "kernels/Gemm.h"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace nnc::rt::kernels {

template <class Kernel> struct BlockedGemm {
  using T = typename Kernel::T;
  static constexpr int64_t kMr = Kernel::MR, kNr = Kernel::NR;
  // A block (kMc×kKc) stays in L2 while the ir loop streams it; one B panel (kKc×NR)
  // stays in L1; the B block (kKc×kNc) in L3.
  static constexpr int64_t kKc = 256;
  static constexpr int64_t kMc = std::max<int64_t>(kMr, (144 / kMr) * kMr);
  static constexpr int64_t kNc = 2048 / kNr * kNr;
  // Below this many multiply-adds a product runs on one thread (waking the others costs
  // more than it saves).
  static constexpr int64_t kMinParallelWork = 1 << 17;

  // Packing buffers, per thread and kept between calls: the step allocates nothing and
  // touches the same pages every time.
  struct Scratch {
    T *a = nullptr, *b = nullptr;
    Scratch() {
      a = static_cast<T *>(std::aligned_alloc(64, sizeof(T) * kMc * kKc));
      b = static_cast<T *>(std::aligned_alloc(64, sizeof(T) * kKc * kNc));
    }
    ~Scratch() {
      std::free(a);
      std::free(b);
    }
  };
  static Scratch &scratch() {
    thread_local Scratch s;
    return s;
  }

  // op(A)(i, p) = a[i * rowStride + p * colStride], for a panel block of mc rows.
  static void packA(const T *a, int64_t rowStride, int64_t colStride, int64_t mc, int64_t kc, T *out) {
    for (int64_t i0 = 0; i0 < mc; i0 += kMr, out += kMr * kc) {
      int64_t rows = std::min(kMr, mc - i0);
      if (colStride == 1) {
        for (int64_t i = 0; i < rows; ++i) {
          const T *src = a + (i0 + i) * rowStride;
          for (int64_t p = 0; p < kc; ++p) out[p * kMr + i] = src[p];
        }
      } else {
        for (int64_t p = 0; p < kc; ++p)
          for (int64_t i = 0; i < rows; ++i) out[p * kMr + i] = a[(i0 + i) * rowStride + p * colStride];
      }
      for (int64_t i = rows; i < kMr; ++i)
        for (int64_t p = 0; p < kc; ++p) out[p * kMr + i] = T(0);
    }
  }

  // op(B)(p, j) = b[p * rowStride + j * colStride], for a block of nc columns.
  static void packB(const T *b, int64_t rowStride, int64_t colStride, int64_t kc, int64_t nc, T *out) {
    for (int64_t j0 = 0; j0 < nc; j0 += kNr, out += kNr * kc) {
      int64_t cols = std::min(kNr, nc - j0);
      if (colStride == 1) {
        for (int64_t p = 0; p < kc; ++p) {
          const T *src = b + p * rowStride + j0;
          T *dst = out + p * kNr;
          for (int64_t j = 0; j < cols; ++j) dst[j] = src[j];
          for (int64_t j = cols; j < kNr; ++j) dst[j] = T(0);
        }
      } else if constexpr (requires { Kernel::packTransposedPanel(b, colStride, kc, int(cols), out); }) {
        if (rowStride == 1) {
          Kernel::packTransposedPanel(b + j0 * colStride, colStride, kc, int(cols), out);
          continue;
        }
        packStridedPanel(b + j0 * colStride, rowStride, colStride, kc, cols, out);
      } else {
        packStridedPanel(b + j0 * colStride, rowStride, colStride, kc, cols, out);
      }
    }
  }
  // One panel of `cols` columns of a B stored with both strides (transposed).
  static void packStridedPanel(const T *b, int64_t rowStride, int64_t colStride, int64_t kc, int64_t cols, T *out) {
    for (int64_t j = 0; j < cols; ++j) {
      const T *src = b + j * colStride;
      for (int64_t p = 0; p < kc; ++p) out[p * kNr + j] = src[p * rowStride];
    }
    for (int64_t p = 0; p < kc; ++p)
      for (int64_t j = cols; j < kNr; ++j) out[p * kNr + j] = T(0);
  }

  // With few rows of C, each column of B serves at most kDirectBMaxRows rows: packing
  // B (a pass over it and a copy larger than L2) costs more than it saves, so the
  // micro-kernel reads a row-major B where it lies (convolutions' W·col: 6 or 16
  // output channels over long im2col columns). Only a ragged last panel is packed.
  static constexpr int64_t kDirectBMaxRows = 2 * kMr;
  static bool readsBInPlace(const GemmProblem &p) { return !p.transB && p.m <= kDirectBMaxRows; }

  // C[i0:i1, j0:j1] += op(A) · op(B) for one matrix of the batch.
  static void block(const GemmProblem &p, const T *a, const T *b, T *c, int64_t i0, int64_t i1, int64_t j0,
                    int64_t j1) {
    Scratch &s = scratch();
    auto *bias = static_cast<const T *>(p.bias);
    int64_t aRow = p.transA ? 1 : p.k, aCol = p.transA ? p.m : 1;
    int64_t bRow = p.transB ? 1 : p.n, bCol = p.transB ? p.k : 1;
    const bool direct = readsBInPlace(p);
    for (int64_t jc = j0; jc < j1; jc += kNc) {
      int64_t nc = std::min(kNc, j1 - jc);
      for (int64_t pc = 0; pc < p.k; pc += kKc) {
        int64_t kc = std::min(kKc, p.k - pc);
        const T *bBlock = b + pc * bRow + jc * bCol;
        int64_t fullColumns = nc / kNr * kNr;
        if (!direct) packB(bBlock, bRow, bCol, kc, nc, s.b);
        else if (fullColumns < nc) packB(bBlock + fullColumns, bRow, bCol, kc, nc - fullColumns, s.b);
        for (int64_t ic = i0; ic < i1; ic += kMc) {
          int64_t mc = std::min(kMc, i1 - ic);
          packA(a + ic * aRow + pc * aCol, aRow, aCol, mc, kc, s.a);
          for (int64_t jr = 0; jr < nc; jr += kNr) {
            const T *panel = s.b + jr * kc;
            int64_t ldb = kNr;
            if (direct) {
              panel = jr < fullColumns ? bBlock + jr : s.b;
              ldb = jr < fullColumns ? p.n : kNr;
            }
            for (int64_t ir = 0; ir < mc; ir += kMr) {
              bool overwrite = !p.accumulate && pc == 0;
              const T *rowBias = overwrite && bias && !p.biasPerColumn ? bias + ic + ir : nullptr;
              const T *colBias = overwrite && bias && p.biasPerColumn ? bias + jc + jr : nullptr;
              Kernel::run(kc, s.a + ir * kc, panel, ldb, c + (ic + ir) * p.n + jc + jr, p.n,
                          int(std::min(kMr, mc - ir)), int(std::min(kNr, nc - jr)), overwrite, rowBias, colBias);
            }
          }
        }
      }
    }
  }

  // Small C from a long k with both operands contiguous along k (A row-major, B
  // transposed): a convolution's weight gradient. Tiles would be mostly padding and
  // packing would cost more than the products, so each element is a dot product: k is
  // cut into chunks of kDotChunk (shared out over the threads; a chunk of 8 rows stays
  // in L1), each chunk's dot products are summed in registers (4 rows × 4 columns at a
  // time, SIMD lanes along k), and the chunks' partial sums are added to C in chunk order.
  static constexpr int64_t kDotChunk = 1024;
  static bool wantsDotProducts(const GemmProblem &p) {
    return !p.transA && p.transB && p.batch == 1 && p.m <= 32 && p.n <= 256 && p.k >= 2 * kDotChunk;
  }
  static void dotBlock(const T *a, const T *b, int64_t k, int64_t from, int64_t to, int rows, int cols, T *out,
                       int64_t ldOut) {
    const T *ar[4], *br[4];
    for (int i = 0; i < 4; ++i) ar[i] = a + std::min(i, rows - 1) * k;
    for (int j = 0; j < 4; ++j) br[j] = b + std::min(j, cols - 1) * k;
    T s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    T s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
#pragma omp simd reduction(+ : s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33)
    for (int64_t q = from; q < to; ++q) {
      T b0 = br[0][q], b1 = br[1][q], b2 = br[2][q], b3 = br[3][q];
      T a0 = ar[0][q], a1 = ar[1][q], a2 = ar[2][q], a3 = ar[3][q];
      s00 += a0 * b0, s01 += a0 * b1, s02 += a0 * b2, s03 += a0 * b3;
      s10 += a1 * b0, s11 += a1 * b1, s12 += a1 * b2, s13 += a1 * b3;
      s20 += a2 * b0, s21 += a2 * b1, s22 += a2 * b2, s23 += a2 * b3;
      s30 += a3 * b0, s31 += a3 * b1, s32 += a3 * b2, s33 += a3 * b3;
    }
    const T s[4][4] = {{s00, s01, s02, s03}, {s10, s11, s12, s13}, {s20, s21, s22, s23}, {s30, s31, s32, s33}};
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j) out[i * ldOut + j] = s[i][j];
  }
  static void dotProducts(const GemmProblem &p, const T *a, const T *b, T *c, int threads) {
    int64_t chunks = (p.k + kDotChunk - 1) / kDotChunk;
    // Partial sums, [chunk][m][n]; kept per calling thread between calls.
    thread_local std::vector<T> partial;
    partial.resize(size_t(chunks * p.m * p.n));
    T *sums = partial.data();
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1)
    for (int64_t chunk = 0; chunk < chunks; ++chunk) {
      int64_t from = chunk * kDotChunk, to = std::min(p.k, from + kDotChunk);
      T *out = sums + chunk * p.m * p.n;
      for (int64_t i = 0; i < p.m; i += 4)
        for (int64_t j = 0; j < p.n; j += 4)
          dotBlock(a + i * p.k, b + j * p.k, p.k, from, to, int(std::min<int64_t>(4, p.m - i)),
                   int(std::min<int64_t>(4, p.n - j)), out + i * p.n + j, p.n);
    }
    if (!p.accumulate) startFromBias(p, c);
    for (int64_t chunk = 0; chunk < chunks; ++chunk)
      for (int64_t e = 0; e < p.m * p.n; ++e) c[e] += sums[chunk * p.m * p.n + e];
  }

  // C = the bias (or zero) for every matrix of the batch: where an overwriting product
  // starts when it does not go through the micro-kernel's epilogue.
  static void startFromBias(const GemmProblem &p, T *c) {
    auto *bias = static_cast<const T *>(p.bias);
    for (int64_t s = 0; s < p.batch; ++s)
      for (int64_t i = 0; i < p.m; ++i)
        for (int64_t j = 0; j < p.n; ++j)
          c[(s * p.m + i) * p.n + j] = bias ? bias[p.biasPerColumn ? j : i] : T(0);
  }

  static void run(const GemmProblem &p, const T *a, const T *b, T *c, int threads) {
    if (p.m <= 0 || p.n <= 0 || p.batch <= 0) return;
    if (p.k <= 0) {
      if (!p.accumulate) startFromBias(p, c);
      return;
    }
    if (wantsDotProducts(p)) return dotProducts(p, a, b, c, threads);
    if (p.batch * p.m * p.n * p.k < kMinParallelWork) threads = 1;
    // Each matrix is cut into `parts` rectangles of whole tiles, along n when op(A) is
    // the smaller operand (each thread then packs all of A and its share of B), else
    // along m.
    int64_t parts = p.batch >= threads ? 1 : (threads + p.batch - 1) / p.batch;
    int64_t rowTiles = (p.m + kMr - 1) / kMr, colTiles = (p.n + kNr - 1) / kNr;
    bool splitColumns = p.n >= p.m ? colTiles >= parts || colTiles >= rowTiles : rowTiles < parts && colTiles > rowTiles;
    parts = std::min(parts, splitColumns ? colTiles : rowTiles);
    int64_t items = p.batch * parts;
    const int64_t aSize = p.m * p.k, bSize = p.k * p.n, cSize = p.m * p.n;
#pragma omp parallel for num_threads(threads) schedule(static) if (threads > 1 && items > 1)
    for (int64_t item = 0; item < items; ++item) {
      int64_t matrix = item / parts, part = item % parts;
      int64_t tiles = splitColumns ? colTiles : rowTiles, tile = splitColumns ? kNr : kMr;
      int64_t from = tiles * part / parts * tile, to = std::min(tiles * (part + 1) / parts * tile, splitColumns ? p.n : p.m);
      const T *am = a + matrix * aSize, *bm = b + matrix * bSize;
      T *cm = c + matrix * cSize;
      if (splitColumns) block(p, am, bm, cm, 0, p.m, from, to);
      else block(p, am, bm, cm, from, to, 0, p.n);
    }
  }
};

} // namespace nnc::rt::kernels
