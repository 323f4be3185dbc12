// The blocked matrix product every instruction set shares (included by one .cpp per
// instruction set, compiled with its flags). Goto/BLIS structure: C is cut into blocks
// of kMc rows × kNc columns and k into blocks of kKc; each block of op(B) is packed into
// panels of NR columns and each block of op(A) into panels of MR rows (zero-padded, in
// the order the micro-kernel reads them), and the micro-kernel computes one MR×NR tile
// of C from a pair of panels in registers.
//
// Kernel provides: T (the element type), MR, NR, and
//   run(kc, packedA, packedB, c, ldc, rows, cols): adds the MR×NR product of the panels
//   (each summed from zero over kc) to the first rows×cols elements of the tile at c.
// Everything here is a member of the class template, so each instruction set's copy is
// its own (no inline function shared between objects compiled with different flags).
#pragma once

#include "kernels/Gemm.h"

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

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
      } else {
        for (int64_t j = 0; j < cols; ++j) {
          const T *src = b + (j0 + j) * colStride;
          for (int64_t p = 0; p < kc; ++p) out[p * kNr + j] = src[p * rowStride];
        }
        for (int64_t p = 0; p < kc; ++p)
          for (int64_t j = cols; j < kNr; ++j) out[p * kNr + j] = T(0);
      }
    }
  }

  // C[i0:i1, j0:j1] += op(A) · op(B) for one matrix of the batch.
  static void block(const GemmProblem &p, const T *a, const T *b, T *c, int64_t i0, int64_t i1, int64_t j0,
                    int64_t j1) {
    Scratch &s = scratch();
    int64_t aRow = p.transA ? 1 : p.k, aCol = p.transA ? p.m : 1;
    int64_t bRow = p.transB ? 1 : p.n, bCol = p.transB ? p.k : 1;
    for (int64_t jc = j0; jc < j1; jc += kNc) {
      int64_t nc = std::min(kNc, j1 - jc);
      for (int64_t pc = 0; pc < p.k; pc += kKc) {
        int64_t kc = std::min(kKc, p.k - pc);
        packB(b + pc * bRow + jc * bCol, bRow, bCol, kc, nc, s.b);
        for (int64_t ic = i0; ic < i1; ic += kMc) {
          int64_t mc = std::min(kMc, i1 - ic);
          packA(a + ic * aRow + pc * aCol, aRow, aCol, mc, kc, s.a);
          for (int64_t jr = 0; jr < nc; jr += kNr)
            for (int64_t ir = 0; ir < mc; ir += kMr)
              Kernel::run(kc, s.a + ir * kc, s.b + jr * kc, c + (ic + ir) * p.n + jc + jr, p.n,
                          int(std::min(kMr, mc - ir)), int(std::min(kNr, nc - jr)));
        }
      }
    }
  }

  static void run(const GemmProblem &p, const T *a, const T *b, T *c, int threads) {
    if (p.m <= 0 || p.n <= 0 || p.k <= 0 || p.batch <= 0) return;
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
