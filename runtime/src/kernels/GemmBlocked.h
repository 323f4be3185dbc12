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
  // cut into chunks of kDotChunk (shared out over the threads; a chunk of a tile's rows
  // stays in L1), each chunk's dot products are summed in registers, kDotRows rows of A
  // × kDotCols rows of B at a time with one vector of lanes along k per pair (exact-size
  // tiles at the edges: nothing computed twice), and the chunks' partial sums are added
  // to C in chunk order.
  static constexpr int64_t kDotChunk = 1024;
  static constexpr int kDotRows = 4, kDotCols = 6, kLanes = 64 / int(sizeof(T));
  static bool wantsDotProducts(const GemmProblem &p) {
    return !p.transA && p.transB && p.batch == 1 && p.m <= 32 && p.n <= 256 && p.k >= 2 * kDotChunk;
  }
  // A vector of kLanes elements (512 bits; the compiler splits it where registers are
  // narrower), loaded from unaligned memory.
  using Lanes = T __attribute__((vector_size(64)));
  static Lanes loadLanes(const T *p) {
    Lanes v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  template <int R, int C>
  static void dotTile(const T *a, const T *b, int64_t k, int64_t from, int64_t to, T *out, int64_t ldOut) {
    Lanes acc[R][C];
#pragma clang loop unroll(full)
    for (int r = 0; r < R; ++r)
#pragma clang loop unroll(full)
      for (int c = 0; c < C; ++c) acc[r][c] = Lanes{};
    int64_t q = from;
    for (; q + kLanes <= to; q += kLanes) {
      Lanes av[R];
#pragma clang loop unroll(full)
      for (int r = 0; r < R; ++r) av[r] = loadLanes(a + r * k + q);
#pragma clang loop unroll(full)
      for (int c = 0; c < C; ++c) {
        Lanes bv = loadLanes(b + c * k + q);
#pragma clang loop unroll(full)
        for (int r = 0; r < R; ++r) acc[r][c] += av[r] * bv;
      }
    }
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        T sum = 0;
        for (int l = 0; l < kLanes; ++l) sum += acc[r][c][l];
        for (int64_t t = q; t < to; ++t) sum += a[r * k + t] * b[c * k + t];
        out[r * ldOut + c] = sum;
      }
  }
  // The tile for `rows` × `cols` (at most kDotRows × kDotCols), sizes fixed at compile time.
  template <int R = kDotRows>
  static void dotTileOf(int rows, int cols, const T *a, const T *b, int64_t k, int64_t from, int64_t to, T *out,
                        int64_t ldOut) {
    if constexpr (R > 1)
      if (rows < R) return dotTileOf<R - 1>(rows, cols, a, b, k, from, to, out, ldOut);
    dotColumns<R>(cols, a, b, k, from, to, out, ldOut);
  }
  template <int R, int C = kDotCols>
  static void dotColumns(int cols, const T *a, const T *b, int64_t k, int64_t from, int64_t to, T *out,
                         int64_t ldOut) {
    if constexpr (C > 1)
      if (cols < C) return dotColumns<R, C - 1>(cols, a, b, k, from, to, out, ldOut);
    dotTile<R, C>(a, b, k, from, to, out, ldOut);
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
      for (int64_t i = 0; i < p.m; i += kDotRows)
        for (int64_t j = 0; j < p.n; j += kDotCols)
          dotTileOf(int(std::min<int64_t>(kDotRows, p.m - i)), int(std::min<int64_t>(kDotCols, p.n - j)),
                    a + i * p.k, b + j * p.k, p.k, from, to, out + i * p.n + j, p.n);
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
