// The op cases shared by the gradient checks (gradient_check_test.cpp) and the CPU
// backend's op tests (codegen_test.cpp): each is a small function @f(args...) -> y in
// MLIR text with how to fill its arguments, plus the helpers that turn it into the
// objective s = sum(y * R) and fill its inputs reproducibly.
#pragma once

#include "autodiff/Gradient.h"
#include "interpreter/Interpreter.h"
#include "nn/NNBuilder.h"
#include "nn/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nnc_test {

using nnc::interp::Tensor;

constexpr double kStep = 1e-6; // h of the central difference

//===----------------------------------------------------------------------===//
// Deterministic random numbers (the same on every platform)
//===----------------------------------------------------------------------===//

class Random {
public:
  explicit Random(llvm::StringRef key) {
    state_ = 1469598103934665603ull; // FNV-1a of the key
    for (char c : key) state_ = (state_ ^ uint8_t(c)) * 1099511628211ull;
  }
  uint64_t next() { // splitmix64
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; } // [0, 1)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  int64_t integer(int64_t lo, int64_t hi) { return lo + int64_t(next() % uint64_t(hi - lo)); } // [lo, hi)

private:
  uint64_t state_;
};

//===----------------------------------------------------------------------===//
// Cases
//===----------------------------------------------------------------------===//

// How one argument is filled.
struct Input {
  enum Kind { Uniform, Away, Distinct, Ints, Bools, Pick, Fixed, Dyadic } kind = Uniform;
  double lo = -1, hi = 1;
  std::vector<double> values;
};
inline Input U(double lo, double hi) { return {Input::Uniform, lo, hi, {}}; }
// |x| in [lo, hi] with a random sign.
inline Input Away(double lo, double hi) { return {Input::Away, lo, hi, {}}; }
// A random permutation of evenly spaced values in [lo, hi): no ties. All Distinct
// arguments of a case share one pool, so no value repeats across them either.
inline Input Distinct(double lo = -2, double hi = 2) { return {Input::Distinct, lo, hi, {}}; }
inline Input Ints(int64_t lo, int64_t hi) { return {Input::Ints, double(lo), double(hi), {}}; }
inline Input Bools() { return {Input::Bools, 0, 2, {}}; }
// Each element one of `values`, at random.
inline Input Pick(std::vector<double> values) { return {Input::Pick, 0, 0, std::move(values)}; }
inline Input Fixed(std::vector<double> values) { return {Input::Fixed, 0, 0, std::move(values)}; }
// Multiples of 2^-10 in [lo, hi).
inline Input Dyadic(double lo, double hi) { return {Input::Dyadic, lo, hi, {}}; }

struct Case {
  std::string name;
  std::string text;                   // func.func @f(...) -> one floating-point tensor
  std::vector<Input> inputs = {};     // per argument; missing float arguments: U(-1, 1)
  std::vector<unsigned> noGrad = {};  // float arguments the rule leaves without a gradient
  std::string surrogate = "";         // the finite differences come from this @f instead
  double h = kStep;
};

inline void PrintTo(const Case &c, std::ostream *os) { *os << c.name; }

// clang-format off
inline const std::vector<Case> &cases() {
  static const std::vector<Case> all = {
  //===--- unary elementwise -------------------------------------------------===//
  {"neg", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.neg %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"exp", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.exp %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"log", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.log %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {U(0.5, 2)}},
  {"sqrt", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.sqrt %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {U(0.5, 2)}},
  {"rsqrt", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.rsqrt %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {U(0.5, 2)}},
  {"abs", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.abs %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {Away(0.1, 1)}},
  // Straight-through: compared with the identity's finite differences.
  {"step_straight_through", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.step %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {Away(0.1, 1)}, {},
   R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> { return %x : tensor<2x3xf64> })"},
  {"sigmoid", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.sigmoid %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {U(-3, 3)}},
  {"tanh", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.tanh %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {U(-2, 2)}},
  {"relu", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.relu %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {Away(0.1, 1)}},
  {"leaky_relu", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.leaky_relu %x {slope = 2.000000e-01 : f64} : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {Away(0.1, 1)}},
  {"leaky_relu_default_slope", R"(func.func @f(%x: tensor<3x4xf64>) -> tensor<3x4xf64> {
    %y = nn.leaky_relu %x : (tensor<3x4xf64>) -> tensor<3x4xf64>
    return %y : tensor<3x4xf64> })", {Away(0.1, 1)}},

  //===--- binary elementwise (with broadcasting) ----------------------------===//
  {"add_broadcast_row", R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<3xf64>) -> tensor<2x3xf64> {
    %y = nn.add %a, %b : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"add_scalar", R"(func.func @f(%a: tensor<f64>, %b: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.add %a, %b : (tensor<f64>, tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"sub_broadcast_column", R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<2x1xf64>) -> tensor<2x3xf64> {
    %y = nn.sub %a, %b : (tensor<2x3xf64>, tensor<2x1xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"mul_broadcast_both", R"(func.func @f(%a: tensor<2x1xf64>, %b: tensor<1x3xf64>) -> tensor<2x3xf64> {
    %y = nn.mul %a, %b : (tensor<2x1xf64>, tensor<1x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"div", R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<3xf64>) -> tensor<2x3xf64> {
    %y = nn.div %a, %b : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {U(-1, 1), Away(0.5, 2)}},
  {"pow", R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<3xf64>) -> tensor<2x3xf64> {
    %y = nn.pow %a, %b : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {U(0.5, 2), U(-1.5, 1.5)}},
  {"maximum", R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<3xf64>) -> tensor<2x3xf64> {
    %y = nn.maximum %a, %b : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {Distinct(), Distinct()}},
  {"minimum", R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.minimum %a, %b : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {Distinct(), Distinct()}},
  {"select_broadcast", R"(func.func @f(%c: tensor<2x3xi1>, %a: tensor<2x3xf64>, %b: tensor<3xf64>) -> tensor<2x3xf64> {
    %y = nn.select %c, %a, %b : (tensor<2x3xi1>, tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {Bools()}},
  // x on a 2^-10 grid, h = 2^-20: x ± h is exact in f32 (see the file comment).
  {"cast_f64_f32_f64", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %a = nn.cast %x {dtype = "f32"} : (tensor<2x3xf64>) -> tensor<2x3xf32>
    %b = nn.neg %a : (tensor<2x3xf32>) -> tensor<2x3xf32>
    %y = nn.cast %b {dtype = "f64"} : (tensor<2x3xf32>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })", {Dyadic(-1, 1)}, {}, "", 0x1.0p-20},

  //===--- linear algebra ----------------------------------------------------===//
  {"linear_bias", R"(func.func @f(%x: tensor<2x3xf64>, %w: tensor<4x3xf64>, %b: tensor<4xf64>) -> tensor<2x4xf64> {
    %y = nn.linear %x, %w, %b : (tensor<2x3xf64>, tensor<4x3xf64>, tensor<4xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })"},
  {"linear_no_bias", R"(func.func @f(%x: tensor<2x3xf64>, %w: tensor<4x3xf64>) -> tensor<2x4xf64> {
    %y = nn.linear %x, %w : (tensor<2x3xf64>, tensor<4x3xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })"},
  {"linear_rank3_bias", R"(func.func @f(%x: tensor<2x2x3xf64>, %w: tensor<4x3xf64>, %b: tensor<4xf64>) -> tensor<2x2x4xf64> {
    %y = nn.linear %x, %w, %b : (tensor<2x2x3xf64>, tensor<4x3xf64>, tensor<4xf64>) -> tensor<2x2x4xf64>
    return %y : tensor<2x2x4xf64> })"},
  {"matmul", R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<3x4xf64>) -> tensor<2x4xf64> {
    %y = nn.matmul %a, %b : (tensor<2x3xf64>, tensor<3x4xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })"},
  {"matmul_transpose_a", R"(func.func @f(%a: tensor<3x2xf64>, %b: tensor<3x4xf64>) -> tensor<2x4xf64> {
    %y = nn.matmul %a, %b {transpose_a = true} : (tensor<3x2xf64>, tensor<3x4xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })"},
  {"matmul_transpose_b", R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<4x3xf64>) -> tensor<2x4xf64> {
    %y = nn.matmul %a, %b {transpose_b = true} : (tensor<2x3xf64>, tensor<4x3xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })"},
  {"matmul_transpose_both", R"(func.func @f(%a: tensor<3x2xf64>, %b: tensor<4x3xf64>) -> tensor<2x4xf64> {
    %y = nn.matmul %a, %b {transpose_a = true, transpose_b = true} : (tensor<3x2xf64>, tensor<4x3xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })"},
  {"batch_matmul", R"(func.func @f(%a: tensor<2x2x3xf64>, %b: tensor<2x3x4xf64>) -> tensor<2x2x4xf64> {
    %y = nn.batch_matmul %a, %b : (tensor<2x2x3xf64>, tensor<2x3x4xf64>) -> tensor<2x2x4xf64>
    return %y : tensor<2x2x4xf64> })"},
  {"batch_matmul_broadcast", R"(func.func @f(%a: tensor<2x1x2x3xf64>, %b: tensor<3x3x4xf64>) -> tensor<2x3x2x4xf64> {
    %y = nn.batch_matmul %a, %b : (tensor<2x1x2x3xf64>, tensor<3x3x4xf64>) -> tensor<2x3x2x4xf64>
    return %y : tensor<2x3x2x4xf64> })"},
  {"batch_matmul_broadcast_transpose_a", R"(func.func @f(%a: tensor<1x3x2xf64>, %b: tensor<2x3x4xf64>) -> tensor<2x2x4xf64> {
    %y = nn.batch_matmul %a, %b {transpose_a = true} : (tensor<1x3x2xf64>, tensor<2x3x4xf64>) -> tensor<2x2x4xf64>
    return %y : tensor<2x2x4xf64> })"},
  {"batch_matmul_broadcast_transpose_b", R"(func.func @f(%a: tensor<2x1x2x3xf64>, %b: tensor<1x2x4x3xf64>) -> tensor<2x2x2x4xf64> {
    %y = nn.batch_matmul %a, %b {transpose_b = true} : (tensor<2x1x2x3xf64>, tensor<1x2x4x3xf64>) -> tensor<2x2x2x4xf64>
    return %y : tensor<2x2x2x4xf64> })"},
  {"batch_matmul_transpose_both", R"(func.func @f(%a: tensor<2x3x2xf64>, %b: tensor<1x4x3xf64>) -> tensor<2x2x4xf64> {
    %y = nn.batch_matmul %a, %b {transpose_a = true, transpose_b = true} : (tensor<2x3x2xf64>, tensor<1x4x3xf64>) -> tensor<2x2x4xf64>
    return %y : tensor<2x2x4xf64> })"},

  //===--- softmax and reductions --------------------------------------------===//
  {"softmax", R"(func.func @f(%x: tensor<2x4xf64>) -> tensor<2x4xf64> {
    %y = nn.softmax %x : (tensor<2x4xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })", {U(-2, 2)}},
  {"softmax_axis0", R"(func.func @f(%x: tensor<3x2x2xf64>) -> tensor<3x2x2xf64> {
    %y = nn.softmax %x {axis = 0 : i64} : (tensor<3x2x2xf64>) -> tensor<3x2x2xf64>
    return %y : tensor<3x2x2xf64> })", {U(-2, 2)}},
  {"log_softmax", R"(func.func @f(%x: tensor<2x4xf64>) -> tensor<2x4xf64> {
    %y = nn.log_softmax %x : (tensor<2x4xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })", {U(-2, 2)}},
  {"log_softmax_axis1", R"(func.func @f(%x: tensor<2x3x4xf64>) -> tensor<2x3x4xf64> {
    %y = nn.log_softmax %x {axis = 1 : i64} : (tensor<2x3x4xf64>) -> tensor<2x3x4xf64>
    return %y : tensor<2x3x4xf64> })", {U(-2, 2)}},
  {"sum_axis1", R"(func.func @f(%x: tensor<2x3x4xf64>) -> tensor<2x4xf64> {
    %y = nn.sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })"},
  {"sum_axes_keepdims", R"(func.func @f(%x: tensor<2x3x4xf64>) -> tensor<1x3x1xf64> {
    %y = nn.sum %x {axes = array<i64: 0, -1>, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x3x1xf64>
    return %y : tensor<1x3x1xf64> })"},
  {"sum_all", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<f64> {
    %y = nn.sum %x : (tensor<2x3xf64>) -> tensor<f64>
    return %y : tensor<f64> })"},
  {"mean_last_keepdims", R"(func.func @f(%x: tensor<2x3x4xf64>) -> tensor<2x3x1xf64> {
    %y = nn.mean %x {axes = array<i64: -1>, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<2x3x1xf64>
    return %y : tensor<2x3x1xf64> })"},
  {"mean_all", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<f64> {
    %y = nn.mean %x : (tensor<2x3xf64>) -> tensor<f64>
    return %y : tensor<f64> })"},
  {"max_axis1", R"(func.func @f(%x: tensor<2x3x4xf64>) -> tensor<2x4xf64> {
    %y = nn.max %x {axes = array<i64: 1>} : (tensor<2x3x4xf64>) -> tensor<2x4xf64>
    return %y : tensor<2x4xf64> })", {Distinct()}},
  {"max_axes_keepdims", R"(func.func @f(%x: tensor<2x3x4xf64>) -> tensor<1x3x1xf64> {
    %y = nn.max %x {axes = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x3x1xf64>
    return %y : tensor<1x3x1xf64> })", {Distinct()}},
  {"max_all", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<f64> {
    %y = nn.max %x : (tensor<2x3xf64>) -> tensor<f64>
    return %y : tensor<f64> })", {Distinct()}},

  //===--- shape ops ---------------------------------------------------------===//
  {"reshape", R"(func.func @f(%x: tensor<2x3x4xf64>) -> tensor<4x6xf64> {
    %y = nn.reshape %x {shape = array<i64: 4, -1>} : (tensor<2x3x4xf64>) -> tensor<4x6xf64>
    return %y : tensor<4x6xf64> })"},
  {"flatten", R"(func.func @f(%x: tensor<2x3x2x2xf64>) -> tensor<2x12xf64> {
    %y = nn.flatten %x : (tensor<2x3x2x2xf64>) -> tensor<2x12xf64>
    return %y : tensor<2x12xf64> })"},
  {"flatten_leading", R"(func.func @f(%x: tensor<2x3x2x2xf64>) -> tensor<6x2x2xf64> {
    %y = nn.flatten %x {start_axis = 0 : i64, end_axis = 1 : i64} : (tensor<2x3x2x2xf64>) -> tensor<6x2x2xf64>
    return %y : tensor<6x2x2xf64> })"},
  {"transpose", R"(func.func @f(%x: tensor<2x3x4xf64>) -> tensor<4x2x3xf64> {
    %y = nn.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf64>) -> tensor<4x2x3xf64>
    return %y : tensor<4x2x3xf64> })"},
  {"transpose_reverse", R"(func.func @f(%x: tensor<2x3x4xf64>) -> tensor<4x3x2xf64> {
    %y = nn.transpose %x : (tensor<2x3x4xf64>) -> tensor<4x3x2xf64>
    return %y : tensor<4x3x2xf64> })"},
  {"concat", R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<2x2xf64>, %c: tensor<2x1xf64>) -> tensor<2x6xf64> {
    %y = nn.concat %a, %b, %c {axis = 1 : i64} : (tensor<2x3xf64>, tensor<2x2xf64>, tensor<2x1xf64>) -> tensor<2x6xf64>
    return %y : tensor<2x6xf64> })"},
  {"concat_axis0", R"(func.func @f(%a: tensor<1x3xf64>, %b: tensor<2x3xf64>) -> tensor<3x3xf64> {
    %y = nn.concat %a, %b : (tensor<1x3xf64>, tensor<2x3xf64>) -> tensor<3x3xf64>
    return %y : tensor<3x3xf64> })"},
  {"slice_step2_negative_start", R"(func.func @f(%x: tensor<2x8xf64>) -> tensor<2x3xf64> {
    %y = nn.slice %x {axis = 1 : i64, start = -6 : i64, end = 7 : i64, step = 2 : i64} : (tensor<2x8xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"slice_axis0", R"(func.func @f(%x: tensor<4x3xf64>) -> tensor<2x3xf64> {
    %y = nn.slice %x {axis = 0 : i64, start = 1 : i64, end = 3 : i64} : (tensor<4x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"pad", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<3x6xf64> {
    %y = nn.pad %x {low = array<i64: 1, 0>, high = array<i64: 0, 3>, value = 1.5 : f64} : (tensor<2x3xf64>) -> tensor<3x6xf64>
    return %y : tensor<3x6xf64> })"},
  {"split_one_unused", R"(func.func @f(%x: tensor<2x8xf64>) -> tensor<2x5xf64> {
    %a, %b = nn.split %x {axis = 1 : i64, sections = array<i64: 3, 5>} : (tensor<2x8xf64>) -> (tensor<2x3xf64>, tensor<2x5xf64>)
    return %b : tensor<2x5xf64> })"},
  {"split_three", R"(func.func @f(%x: tensor<6x2xf64>) -> tensor<2x2xf64> {
    %a, %b, %c = nn.split %x {sections = array<i64: 2, 1, 3>} : (tensor<6x2xf64>) -> (tensor<2x2xf64>, tensor<1x2xf64>, tensor<3x2xf64>)
    %s = nn.slice %c {axis = 0 : i64, start = 0 : i64, end = 2 : i64} : (tensor<3x2xf64>) -> tensor<2x2xf64>
    %y = nn.mul %a, %s : (tensor<2x2xf64>, tensor<2x2xf64>) -> tensor<2x2xf64>
    return %y : tensor<2x2xf64> })"},
  {"broadcast_to", R"(func.func @f(%x: tensor<2x1xf64>) -> tensor<3x2x4xf64> {
    %y = nn.broadcast_to %x {shape = array<i64: 3, 2, 4>} : (tensor<2x1xf64>) -> tensor<3x2x4xf64>
    return %y : tensor<3x2x4xf64> })"},

  //===--- convolution and pooling -------------------------------------------===//
  {"conv1d_groups_stride_pad_bias", R"(func.func @f(%x: tensor<2x4x7xf64>, %w: tensor<6x2x3xf64>, %b: tensor<6xf64>) -> tensor<2x6x4xf64> {
    %y = nn.conv1d %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>, groups = 2 : i64} : (tensor<2x4x7xf64>, tensor<6x2x3xf64>, tensor<6xf64>) -> tensor<2x6x4xf64>
    return %y : tensor<2x6x4xf64> })"},
  {"conv1d_dilation", R"(func.func @f(%x: tensor<2x2x8xf64>, %w: tensor<3x2x3xf64>) -> tensor<2x3x4xf64> {
    %y = nn.conv1d %x, %w {dilation = array<i64: 2>} : (tensor<2x2x8xf64>, tensor<3x2x3xf64>) -> tensor<2x3x4xf64>
    return %y : tensor<2x3x4xf64> })"},
  {"conv2d_bias", R"(func.func @f(%x: tensor<2x2x5x5xf64>, %w: tensor<3x2x3x3xf64>, %b: tensor<3xf64>) -> tensor<2x3x3x3xf64> {
    %y = nn.conv2d %x, %w, %b : (tensor<2x2x5x5xf64>, tensor<3x2x3x3xf64>, tensor<3xf64>) -> tensor<2x3x3x3xf64>
    return %y : tensor<2x3x3x3xf64> })"},
  {"conv2d_stride_padding", R"(func.func @f(%x: tensor<2x2x6x5xf64>, %w: tensor<3x2x3x2xf64>) -> tensor<2x3x3x6xf64> {
    %y = nn.conv2d %x, %w {stride = array<i64: 2, 1>, padding = array<i64: 1>} : (tensor<2x2x6x5xf64>, tensor<3x2x3x2xf64>) -> tensor<2x3x3x6xf64>
    return %y : tensor<2x3x3x6xf64> })"},
  {"conv2d_dilation_padding", R"(func.func @f(%x: tensor<1x2x6x6xf64>, %w: tensor<2x2x3x3xf64>) -> tensor<1x2x4x4xf64> {
    %y = nn.conv2d %x, %w {dilation = array<i64: 2>, padding = array<i64: 1>} : (tensor<1x2x6x6xf64>, tensor<2x2x3x3xf64>) -> tensor<1x2x4x4xf64>
    return %y : tensor<1x2x4x4xf64> })"},
  {"conv2d_groups2_stride_padding_bias", R"(func.func @f(%x: tensor<2x4x5x5xf64>, %w: tensor<6x2x3x3xf64>, %b: tensor<6xf64>) -> tensor<2x6x3x3xf64> {
    %y = nn.conv2d %x, %w, %b {stride = array<i64: 2>, padding = array<i64: 1>, groups = 2 : i64} : (tensor<2x4x5x5xf64>, tensor<6x2x3x3xf64>, tensor<6xf64>) -> tensor<2x6x3x3xf64>
    return %y : tensor<2x6x3x3xf64> })"},
  {"max_pool1d", R"(func.func @f(%x: tensor<2x3x8xf64>) -> tensor<2x3x4xf64> {
    %y = nn.max_pool1d %x {kernel = array<i64: 2>} : (tensor<2x3x8xf64>) -> tensor<2x3x4xf64>
    return %y : tensor<2x3x4xf64> })", {Distinct()}},
  {"max_pool1d_stride_padding", R"(func.func @f(%x: tensor<2x2x8xf64>) -> tensor<2x2x4xf64> {
    %y = nn.max_pool1d %x {kernel = array<i64: 3>, stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<2x2x8xf64>) -> tensor<2x2x4xf64>
    return %y : tensor<2x2x4xf64> })", {Distinct()}},
  {"max_pool2d", R"(func.func @f(%x: tensor<2x2x4x4xf64>) -> tensor<2x2x2x2xf64> {
    %y = nn.max_pool2d %x {kernel = array<i64: 2>} : (tensor<2x2x4x4xf64>) -> tensor<2x2x2x2xf64>
    return %y : tensor<2x2x2x2xf64> })", {Distinct()}},
  {"max_pool2d_padding", R"(func.func @f(%x: tensor<2x2x5x5xf64>) -> tensor<2x2x3x3xf64> {
    %y = nn.max_pool2d %x {kernel = array<i64: 3>, stride = array<i64: 2>, padding = array<i64: 1>} : (tensor<2x2x5x5xf64>) -> tensor<2x2x3x3xf64>
    return %y : tensor<2x2x3x3xf64> })", {Distinct()}},
  {"avg_pool2d", R"(func.func @f(%x: tensor<2x2x4x4xf64>) -> tensor<2x2x2x2xf64> {
    %y = nn.avg_pool2d %x {kernel = array<i64: 2>} : (tensor<2x2x4x4xf64>) -> tensor<2x2x2x2xf64>
    return %y : tensor<2x2x2x2xf64> })"},
  // Windows that tile the input except a last row/column no window covers (its gradient
  // is zero): the CPU lowering writes each input gradient once from its window.
  {"max_pool2d_uncovered_edge", R"(func.func @f(%x: tensor<2x2x5x7xf64>) -> tensor<2x2x2x2xf64> {
    %y = nn.max_pool2d %x {kernel = array<i64: 2, 3>} : (tensor<2x2x5x7xf64>) -> tensor<2x2x2x2xf64>
    return %y : tensor<2x2x2x2xf64> })", {Distinct()}},
  {"avg_pool2d_uncovered_edge", R"(func.func @f(%x: tensor<2x2x5x5xf64>) -> tensor<2x2x2x2xf64> {
    %y = nn.avg_pool2d %x {kernel = array<i64: 2>} : (tensor<2x2x5x5xf64>) -> tensor<2x2x2x2xf64>
    return %y : tensor<2x2x2x2xf64> })"},
  {"avg_pool2d_padding_include_pad", R"(func.func @f(%x: tensor<2x2x5x5xf64>) -> tensor<2x2x3x3xf64> {
    %y = nn.avg_pool2d %x {kernel = array<i64: 3>, stride = array<i64: 2>, padding = array<i64: 1>, count_include_pad = true} : (tensor<2x2x5x5xf64>) -> tensor<2x2x3x3xf64>
    return %y : tensor<2x2x3x3xf64> })"},
  {"avg_pool2d_padding_exclude_pad", R"(func.func @f(%x: tensor<2x2x5x5xf64>) -> tensor<2x2x3x3xf64> {
    %y = nn.avg_pool2d %x {kernel = array<i64: 3>, stride = array<i64: 2>, padding = array<i64: 1>, count_include_pad = false} : (tensor<2x2x5x5xf64>) -> tensor<2x2x3x3xf64>
    return %y : tensor<2x2x3x3xf64> })"},
  {"avg_pool2d_rect_exclude_pad", R"(func.func @f(%x: tensor<1x2x4x5xf64>) -> tensor<1x2x5x3xf64> {
    %y = nn.avg_pool2d %x {kernel = array<i64: 2, 3>, stride = array<i64: 1, 2>, padding = array<i64: 1, 1>, count_include_pad = false} : (tensor<1x2x4x5xf64>) -> tensor<1x2x5x3xf64>
    return %y : tensor<1x2x5x3xf64> })"},
  {"global_avg_pool", R"(func.func @f(%x: tensor<2x3x4x4xf64>) -> tensor<2x3xf64> {
    %y = nn.global_avg_pool %x : (tensor<2x3x4x4xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"global_avg_pool_1d", R"(func.func @f(%x: tensor<2x3x5xf64>) -> tensor<2x3xf64> {
    %y = nn.global_avg_pool %x : (tensor<2x3x5xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},

  //===--- normalization, dropout, embedding ---------------------------------===//
  // Evaluation form: the running statistics (arguments 3 and 4) get no gradient.
  {"batch_norm_eval", R"(func.func @f(%x: tensor<2x3x2x2xf64>, %g: tensor<3xf64>, %b: tensor<3xf64>, %m: tensor<3xf64>, %v: tensor<3xf64>) -> tensor<2x3x2x2xf64> {
    %y = nn.batch_norm %x, %g, %b, %m, %v {eps = 1.0e-05 : f64, momentum = 1.0e-01 : f64} : (tensor<2x3x2x2xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> tensor<2x3x2x2xf64>
    return %y : tensor<2x3x2x2xf64> })", {U(-1, 1), U(0.5, 1.5), U(-1, 1), U(-0.5, 0.5), U(0.5, 2)}, {3, 4}},
  {"batch_norm_eval_rank2", R"(func.func @f(%x: tensor<4x3xf64>, %g: tensor<3xf64>, %b: tensor<3xf64>, %m: tensor<3xf64>, %v: tensor<3xf64>) -> tensor<4x3xf64> {
    %y = nn.batch_norm %x, %g, %b, %m, %v : (tensor<4x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> tensor<4x3xf64>
    return %y : tensor<4x3xf64> })", {U(-1, 1), U(0.5, 1.5), U(-1, 1), U(-0.5, 0.5), U(0.5, 2)}, {3, 4}},
  // Training form: the objective uses only the normalized result.
  {"batch_norm_train", R"(func.func @f(%x: tensor<2x3x2x2xf64>, %g: tensor<3xf64>, %b: tensor<3xf64>) -> tensor<2x3x2x2xf64> {
    %y, %mean, %var = nn.batch_norm_train %x, %g, %b {eps = 1.0e-05 : f64} : (tensor<2x3x2x2xf64>, tensor<3xf64>, tensor<3xf64>) -> (tensor<2x3x2x2xf64>, tensor<3xf64>, tensor<3xf64>)
    return %y : tensor<2x3x2x2xf64> })", {U(-1, 1), U(0.5, 1.5), U(-1, 1)}},
  {"batch_norm_train_rank2", R"(func.func @f(%x: tensor<4x3xf64>, %g: tensor<3xf64>, %b: tensor<3xf64>) -> tensor<4x3xf64> {
    %y, %mean, %var = nn.batch_norm_train %x, %g, %b : (tensor<4x3xf64>, tensor<3xf64>, tensor<3xf64>) -> (tensor<4x3xf64>, tensor<3xf64>, tensor<3xf64>)
    return %y : tensor<4x3xf64> })", {U(-1, 1), U(0.5, 1.5), U(-1, 1)}},
  {"layer_norm_two_axes", R"(func.func @f(%x: tensor<2x3x4xf64>, %g: tensor<3x4xf64>, %b: tensor<3x4xf64>) -> tensor<2x3x4xf64> {
    %y = nn.layer_norm %x, %g, %b {eps = 1.0e-05 : f64} : (tensor<2x3x4xf64>, tensor<3x4xf64>, tensor<3x4xf64>) -> tensor<2x3x4xf64>
    return %y : tensor<2x3x4xf64> })", {U(-1, 1), U(0.5, 1.5), U(-1, 1)}},
  {"layer_norm_last_axis", R"(func.func @f(%x: tensor<2x2x5xf64>, %g: tensor<5xf64>, %b: tensor<5xf64>) -> tensor<2x2x5xf64> {
    %y = nn.layer_norm %x, %g, %b : (tensor<2x2x5xf64>, tensor<5xf64>, tensor<5xf64>) -> tensor<2x2x5xf64>
    return %y : tensor<2x2x5xf64> })", {U(-1, 1), U(0.5, 1.5), U(-1, 1)}},
  {"dropout_eval", R"(func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
    %y = nn.dropout %x {p = 5.000000e-01 : f64} : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  // What dropout's training form builds: a product with a fixed mask.
  {"dropout_mask_product", R"(func.func @f(%x: tensor<4x5xf64>) -> tensor<4x5xf64> {
    %seed = nn.constant {value = dense<7> : tensor<i64>} : () -> tensor<i64>
    %step = nn.constant {value = dense<3> : tensor<i64>} : () -> tensor<i64>
    %m = nn.dropout_mask %seed, %step {p = 5.000000e-01 : f64, shape = array<i64: 4, 5>, stream = 1 : i64, dtype = "f64"} : (tensor<i64>, tensor<i64>) -> tensor<4x5xf64>
    %y = nn.mul %x, %m : (tensor<4x5xf64>, tensor<4x5xf64>) -> tensor<4x5xf64>
    return %y : tensor<4x5xf64> })"},
  {"embedding_repeated_indices", R"(func.func @f(%i: tensor<2x3xi64>, %t: tensor<4x5xf64>) -> tensor<2x3x5xf64> {
    %y = nn.embedding %i, %t : (tensor<2x3xi64>, tensor<4x5xf64>) -> tensor<2x3x5xf64>
    return %y : tensor<2x3x5xf64> })", {Fixed({1, 3, 1, 0, 3, 3})}},

  //===--- losses ------------------------------------------------------------===//
  {"cross_entropy_mean", R"(func.func @f(%x: tensor<3x4xf64>, %l: tensor<3xi64>) -> tensor<f64> {
    %y = nn.cross_entropy %x, %l : (tensor<3x4xf64>, tensor<3xi64>) -> tensor<f64>
    return %y : tensor<f64> })", {U(-2, 2), Ints(0, 4)}},
  {"cross_entropy_sum", R"(func.func @f(%x: tensor<3x4xf64>, %l: tensor<3xi64>) -> tensor<f64> {
    %y = nn.cross_entropy %x, %l {reduction = "sum"} : (tensor<3x4xf64>, tensor<3xi64>) -> tensor<f64>
    return %y : tensor<f64> })", {U(-2, 2), Ints(0, 4)}},
  {"cross_entropy_none", R"(func.func @f(%x: tensor<3x4xf64>, %l: tensor<3xi64>) -> tensor<3xf64> {
    %y = nn.cross_entropy %x, %l {reduction = "none"} : (tensor<3x4xf64>, tensor<3xi64>) -> tensor<3xf64>
    return %y : tensor<3xf64> })", {U(-2, 2), Ints(0, 4)}},
  {"cross_entropy_label_smoothing", R"(func.func @f(%x: tensor<3x4xf64>, %l: tensor<3xi64>) -> tensor<f64> {
    %y = nn.cross_entropy %x, %l {label_smoothing = 1.0e-01 : f64} : (tensor<3x4xf64>, tensor<3xi64>) -> tensor<f64>
    return %y : tensor<f64> })", {U(-2, 2), Ints(0, 4)}},
  {"cross_entropy_rank3_none_smoothing", R"(func.func @f(%x: tensor<2x2x4xf64>, %l: tensor<2x2xi64>) -> tensor<2x2xf64> {
    %y = nn.cross_entropy %x, %l {reduction = "none", label_smoothing = 2.0e-01 : f64} : (tensor<2x2x4xf64>, tensor<2x2xi64>) -> tensor<2x2xf64>
    return %y : tensor<2x2xf64> })", {U(-2, 2), Ints(0, 4)}},
  {"nll_mean", R"(func.func @f(%x: tensor<3x4xf64>, %l: tensor<3xi64>) -> tensor<f64> {
    %y = nn.nll %x, %l : (tensor<3x4xf64>, tensor<3xi64>) -> tensor<f64>
    return %y : tensor<f64> })", {U(-2, 0), Ints(0, 4)}},
  {"nll_sum", R"(func.func @f(%x: tensor<3x4xf64>, %l: tensor<3xi64>) -> tensor<f64> {
    %y = nn.nll %x, %l {reduction = "sum"} : (tensor<3x4xf64>, tensor<3xi64>) -> tensor<f64>
    return %y : tensor<f64> })", {U(-2, 0), Ints(0, 4)}},
  {"nll_none_after_log_softmax", R"(func.func @f(%x: tensor<3x4xf64>, %l: tensor<3xi64>) -> tensor<3xf64> {
    %p = nn.log_softmax %x : (tensor<3x4xf64>) -> tensor<3x4xf64>
    %y = nn.nll %p, %l {reduction = "none"} : (tensor<3x4xf64>, tensor<3xi64>) -> tensor<3xf64>
    return %y : tensor<3xf64> })", {U(-2, 2), Ints(0, 4)}},
  {"mse_mean", R"(func.func @f(%x: tensor<3x2xf64>, %t: tensor<3x2xf64>) -> tensor<f64> {
    %y = nn.mse %x, %t : (tensor<3x2xf64>, tensor<3x2xf64>) -> tensor<f64>
    return %y : tensor<f64> })"},
  {"mse_sum", R"(func.func @f(%x: tensor<3x2xf64>, %t: tensor<3x2xf64>) -> tensor<f64> {
    %y = nn.mse %x, %t {reduction = "sum"} : (tensor<3x2xf64>, tensor<3x2xf64>) -> tensor<f64>
    return %y : tensor<f64> })"},
  {"mse_none", R"(func.func @f(%x: tensor<3x2xf64>, %t: tensor<3x2xf64>) -> tensor<3x2xf64> {
    %y = nn.mse %x, %t {reduction = "none"} : (tensor<3x2xf64>, tensor<3x2xf64>) -> tensor<3x2xf64>
    return %y : tensor<3x2xf64> })"},
  {"bce_with_logits_mean", R"(func.func @f(%x: tensor<3x2xf64>, %t: tensor<3x2xf64>) -> tensor<f64> {
    %y = nn.bce_with_logits %x, %t : (tensor<3x2xf64>, tensor<3x2xf64>) -> tensor<f64>
    return %y : tensor<f64> })", {Away(0.1, 3), U(0, 1)}},
  {"bce_with_logits_sum", R"(func.func @f(%x: tensor<3x2xf64>, %t: tensor<3x2xf64>) -> tensor<f64> {
    %y = nn.bce_with_logits %x, %t {reduction = "sum"} : (tensor<3x2xf64>, tensor<3x2xf64>) -> tensor<f64>
    return %y : tensor<f64> })", {Away(0.1, 3), U(0, 1)}},
  {"bce_with_logits_none", R"(func.func @f(%x: tensor<3x2xf64>, %t: tensor<3x2xf64>) -> tensor<3x2xf64> {
    %y = nn.bce_with_logits %x, %t {reduction = "none"} : (tensor<3x2xf64>, tensor<3x2xf64>) -> tensor<3x2xf64>
    return %y : tensor<3x2xf64> })", {Away(0.1, 3), U(0, 1)}},
  // Margin 1: inputs keep away from 0 and ±1, so 1 - t·x keeps away from 0 (t = ±1).
  {"hinge_margin1_mean", R"(func.func @f(%x: tensor<4x2xf64>, %t: tensor<4x2xf64>) -> tensor<f64> {
    %y = nn.hinge %x, %t : (tensor<4x2xf64>, tensor<4x2xf64>) -> tensor<f64>
    return %y : tensor<f64> })", {Pick({-1.7, -1.3, -0.6, -0.3, 0.2, 0.5, 0.7, 1.4, 1.8}), Pick({-1, 1})}},
  {"hinge_margin1_none", R"(func.func @f(%x: tensor<4x2xf64>, %t: tensor<4x2xf64>) -> tensor<4x2xf64> {
    %y = nn.hinge %x, %t {reduction = "none"} : (tensor<4x2xf64>, tensor<4x2xf64>) -> tensor<4x2xf64>
    return %y : tensor<4x2xf64> })", {Pick({-1.7, -1.3, -0.6, -0.3, 0.2, 0.5, 0.7, 1.4, 1.8}), Pick({-1, 1})}},
  {"hinge_margin0_sum", R"(func.func @f(%x: tensor<4x2xf64>, %t: tensor<4x2xf64>) -> tensor<f64> {
    %y = nn.hinge %x, %t {reduction = "sum", margin = 0.0 : f64} : (tensor<4x2xf64>, tensor<4x2xf64>) -> tensor<f64>
    return %y : tensor<f64> })", {Away(0.1, 1.5), Pick({-1, 1})}},

  //===--- composites --------------------------------------------------------===//
  {"fan_out", R"(func.func @f(%x: tensor<2x3xf64>, %w: tensor<3x3xf64>) -> tensor<2x3xf64> {
    %a = nn.mul %x, %x : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
    %b = nn.tanh %x : (tensor<2x3xf64>) -> tensor<2x3xf64>
    %c = nn.linear %x, %w : (tensor<2x3xf64>, tensor<3x3xf64>) -> tensor<2x3xf64>
    %d = nn.add %a, %b : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
    %y = nn.mul %d, %c : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
    return %y : tensor<2x3xf64> })"},
  {"chain_conv_relu_pool_linear_cross_entropy", R"(func.func @f(%x: tensor<2x1x6x6xf64>, %w: tensor<3x1x3x3xf64>, %b: tensor<3xf64>, %w2: tensor<4x12xf64>, %b2: tensor<4xf64>, %l: tensor<2xi64>) -> tensor<f64> {
    %c = nn.conv2d %x, %w, %b : (tensor<2x1x6x6xf64>, tensor<3x1x3x3xf64>, tensor<3xf64>) -> tensor<2x3x4x4xf64>
    %r = nn.relu %c : (tensor<2x3x4x4xf64>) -> tensor<2x3x4x4xf64>
    %p = nn.max_pool2d %r {kernel = array<i64: 2>} : (tensor<2x3x4x4xf64>) -> tensor<2x3x2x2xf64>
    %f = nn.flatten %p : (tensor<2x3x2x2xf64>) -> tensor<2x12xf64>
    %z = nn.linear %f, %w2, %b2 : (tensor<2x12xf64>, tensor<4x12xf64>, tensor<4xf64>) -> tensor<2x4xf64>
    %y = nn.cross_entropy %z, %l : (tensor<2x4xf64>, tensor<2xi64>) -> tensor<f64>
    return %y : tensor<f64> })", {U(-1, 1), U(-1, 1), U(-1, 1), U(-1, 1), U(-1, 1), Ints(0, 4)}},
  };
  return all;
}
// clang-format on

//===----------------------------------------------------------------------===//
// Building and filling a case
//===----------------------------------------------------------------------===//

// An MLIR context with the nn and func dialects whose diagnostics collect in `log`.
struct Context {
  Context() : context(mlir::MLIRContext::Threading::DISABLED) {
    context.loadDialect<mlir::nn::NNDialect, mlir::func::FuncDialect>();
    handler = std::make_unique<mlir::ScopedDiagnosticHandler>(&context, [this](mlir::Diagnostic &d) {
      llvm::raw_string_ostream os(log);
      os << d.getLocation() << ": " << d << "\n";
      return mlir::success();
    });
  }
  mlir::MLIRContext context;
  std::string log;
  std::unique_ptr<mlir::ScopedDiagnosticHandler> handler;
};

inline mlir::RankedTensorType tensorType(mlir::Value v) { return llvm::cast<mlir::RankedTensorType>(v.getType()); }

// Replaces the function's result types with those of its return.
inline void refreshSignature(mlir::func::FuncOp f) {
  auto ret = llvm::cast<mlir::func::ReturnOp>(f.front().getTerminator());
  f.setType(mlir::FunctionType::get(f.getContext(), f.getArgumentTypes(), ret.getOperandTypes()));
}

// Makes @f return s = sum(y * R) for its single result y.
inline void appendObjective(mlir::func::FuncOp f, llvm::ArrayRef<double> weights) {
  auto ret = llvm::cast<mlir::func::ReturnOp>(f.front().getTerminator());
  mlir::Value y = ret.getOperand(0);
  mlir::OpBuilder b(ret);
  auto attr = mlir::DenseElementsAttr::get(tensorType(y), weights);
  mlir::Value r = b.create<mlir::nn::ConstantOp>(ret.getLoc(), tensorType(y), attr);
  mlir::nn::NNBuilder nb(b, ret.getLoc());
  mlir::Value s = nb.sum(nb.mul(y, r), {}, false);
  b.create<mlir::func::ReturnOp>(ret.getLoc(), s);
  ret.erase();
  refreshSignature(f);
}

inline Tensor makeInput(mlir::Type type, const Input &spec, Random &rng, std::vector<double> &distinctPool) {
  auto ranked = llvm::cast<mlir::RankedTensorType>(type);
  Tensor t = Tensor::zeros(nnc::interp::dtypeOf(ranked.getElementType()), ranked.getShape());
  for (size_t i = 0; i < t.data.size(); ++i) {
    double &v = t.data[i];
    switch (spec.kind) {
    case Input::Uniform: v = rng.uniform(spec.lo, spec.hi); break;
    case Input::Away: v = rng.uniform(spec.lo, spec.hi) * (rng.next() & 1 ? 1 : -1); break;
    case Input::Distinct:
      v = distinctPool.back();
      distinctPool.pop_back();
      break;
    case Input::Ints:
    case Input::Bools: v = double(rng.integer(int64_t(spec.lo), int64_t(spec.hi))); break;
    case Input::Pick: v = spec.values[rng.integer(0, int64_t(spec.values.size()))]; break;
    case Input::Fixed: v = spec.values.at(i); break;
    case Input::Dyadic: v = std::floor(rng.uniform(spec.lo, spec.hi) * 1024.0) / 1024.0; break;
    }
  }
  return t;
}

// An evenly spaced, shuffled pool for the Distinct arguments of a case: spacing
// (hi - lo) / n, far above h, with a little jitter that keeps every gap above half of it.
inline std::vector<double> distinctPool(const Case &c, mlir::func::FuncOp f, Random &rng) {
  int64_t n = 0;
  double lo = -2, hi = 2;
  for (auto [i, arg] : llvm::enumerate(f.getArguments()))
    if (i < c.inputs.size() && c.inputs[i].kind == Input::Distinct) {
      n += tensorType(arg).getNumElements();
      lo = c.inputs[i].lo, hi = c.inputs[i].hi;
    }
  std::vector<double> pool;
  double spacing = n ? (hi - lo) / double(n) : 0;
  for (int64_t k = 0; k < n; ++k) pool.push_back(lo + spacing * (double(k) + 0.5 + rng.uniform(-0.25, 0.25)));
  for (int64_t k = n - 1; k > 0; --k) std::swap(pool[k], pool[rng.integer(0, k + 1)]);
  return pool;
}

// Clones @f (returning the objective) into @grad, which returns the objective and the
// gradients of the float arguments that are not in c.noGrad (their argument numbers go
// to `returned`). Returns what went wrong, or an empty string; non-fatal findings (a
// gradient where the case expects none) go to `notes`.
inline std::string addGradFunction(mlir::ModuleOp module, mlir::func::FuncOp f, const Case &c,
                                   std::vector<unsigned> &returned, std::vector<std::string> &notes) {
  mlir::func::FuncOp g = f.clone();
  g.setName("grad");
  module.push_back(g);
  auto ret = llvm::cast<mlir::func::ReturnOp>(g.front().getTerminator());
  llvm::SmallVector<mlir::Value> wrt;
  std::vector<unsigned> wrtArgs;
  for (mlir::BlockArgument arg : g.getArguments())
    if (llvm::isa<mlir::FloatType>(tensorType(arg).getElementType())) {
      wrt.push_back(arg);
      wrtArgs.push_back(arg.getArgNumber());
    }
  mlir::OpBuilder builder(ret);
  auto grads = nnc::buildGradients(builder, ret.getOperand(0), wrt);
  if (mlir::failed(grads)) return "buildGradients failed";
  llvm::SmallVector<mlir::Value> results{ret.getOperand(0)};
  for (auto [arg, grad] : llvm::zip(wrtArgs, *grads)) {
    if (llvm::is_contained(c.noGrad, arg)) {
      if (grad) notes.push_back("argument " + std::to_string(arg) + " should get no gradient");
      continue;
    }
    if (!grad) return "no gradient for argument " + std::to_string(arg);
    if (grad.getType() != g.getArgument(arg).getType())
      return "the gradient of argument " + std::to_string(arg) + " has the wrong type";
    results.push_back(grad);
    returned.push_back(arg);
  }
  builder.create<mlir::func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  refreshSignature(g);
  nnc::eraseDeadOps(g.front());
  return "";
}

// The module the backends' op tests compile for case `c`: @predict (the case's
// function) and @input_gradient (the gradients of s = sum(y · R) for fixed random R,
// which exercises the adjoint ops), with the case's inputs drawn into `args`. Empty on
// success, else what failed.
inline std::string buildBackendCase(const Case &c, Context &ctx, mlir::OwningOpRef<mlir::ModuleOp> &module,
                                    std::vector<Tensor> &args) {
  module = mlir::parseSourceString<mlir::ModuleOp>(c.text, mlir::ParserConfig(&ctx.context));
  if (!module) return "parse: " + ctx.log;
  auto f = module->lookupSymbol<mlir::func::FuncOp>("f");
  auto yType = llvm::cast<mlir::RankedTensorType>(f.getResultTypes()[0]);
  Random rng(c.name);
  std::vector<double> weights(size_t(yType.getNumElements()));
  for (double &w : weights) w = rng.uniform(0.25, 1.0) * (rng.next() & 1 ? 1 : -1);
  mlir::func::FuncOp predict = f.clone();
  predict.setName("predict");
  module->push_back(predict);
  appendObjective(f, weights);
  std::vector<unsigned> returned;
  std::vector<std::string> notes;
  if (std::string e = addGradFunction(*module, f, c, returned, notes); !e.empty()) return "gradient: " + e + ctx.log;
  mlir::SymbolTable::setSymbolName(module->lookupSymbol<mlir::func::FuncOp>("grad"), "input_gradient");
  std::vector<double> pool = distinctPool(c, f, rng);
  args.clear();
  for (auto [i, arg] : llvm::enumerate(f.getArguments()))
    args.push_back(makeInput(arg.getType(), i < c.inputs.size() ? c.inputs[i] : U(-1, 1), rng, pool));
  return "";
}

} // namespace nnc_test
