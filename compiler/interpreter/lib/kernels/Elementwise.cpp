// Elementwise kernels: unary math, broadcasting binary ops, compare, select and cast.
#include "KernelSupport.h"

namespace nnc::interp {
using namespace kernel;

namespace {

template <typename Fn> Kernel unary(Fn fn) {
  return [fn](Operation *, Operands in, Results &out) -> LogicalResult {
    Tensor r = *in[0];
    for (double &v : r.data) v = fn(v);
    out.push_back(std::move(r));
    return success();
  };
}

// Applies fn to the broadcast pairs of two operands; the result has `lhs`'s dtype unless
// `resultType` says otherwise.
template <typename Fn>
FailureOr<Tensor> broadcastBinary(Operation *op, const Tensor &lhs, const Tensor &rhs,
                                  std::optional<DType> resultType, Fn fn) {
  auto shape = broadcastOperands(op, {&lhs, &rhs});
  if (mlir::failed(shape)) return failure();
  Tensor r = Tensor::zeros(resultType.value_or(lhs.dtype), *shape);
  std::vector<int64_t> li = broadcastIndices(lhs.shape, *shape);
  std::vector<int64_t> ri = broadcastIndices(rhs.shape, *shape);
  for (size_t i = 0; i < r.data.size(); ++i) r.data[i] = fn(lhs.data[li[i]], rhs.data[ri[i]]);
  return r;
}

template <typename Fn> Kernel binary(Fn fn) {
  return [fn](Operation *op, Operands in, Results &out) -> LogicalResult {
    auto r = broadcastBinary(op, *in[0], *in[1], std::nullopt, fn);
    if (mlir::failed(r)) return failure();
    out.push_back(std::move(*r));
    return success();
  };
}

// max/min that propagate NaN, as torch.maximum/minimum do.
double maximum(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b); }
double minimum(double a, double b) { return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b); }

double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  double e = std::exp(x);
  return e / (1.0 + e);
}

LogicalResult leakyRelu(Operation *op, Operands in, Results &out) {
  double slope = floatAttr(op, "slope");
  Tensor r = *in[0];
  for (double &v : r.data) v = v > 0 ? v : slope * v;
  out.push_back(std::move(r));
  return success();
}

LogicalResult compare(Operation *op, Operands in, Results &out) {
  llvm::StringRef p = stringAttr(op, "predicate");
  int code = p == "lt" ? 0 : p == "le" ? 1 : p == "gt" ? 2 : p == "ge" ? 3 : p == "eq" ? 4 : p == "ne" ? 5 : -1;
  if (code < 0) return kernelError(op) << "unknown predicate '" << p << "'";
  auto r = broadcastBinary(op, *in[0], *in[1], DType::I1, [code](double a, double b) -> double {
    switch (code) {
    case 0: return a < b;
    case 1: return a <= b;
    case 2: return a > b;
    case 3: return a >= b;
    case 4: return a == b;
    default: return a != b;
    }
  });
  if (mlir::failed(r)) return failure();
  out.push_back(std::move(*r));
  return success();
}

LogicalResult select(Operation *op, Operands in, Results &out) {
  auto shape = broadcastOperands(op, in);
  if (mlir::failed(shape)) return failure();
  Tensor r = Tensor::zeros(in[1]->dtype, *shape);
  std::vector<int64_t> ci = broadcastIndices(in[0]->shape, *shape);
  std::vector<int64_t> ti = broadcastIndices(in[1]->shape, *shape);
  std::vector<int64_t> fi = broadcastIndices(in[2]->shape, *shape);
  for (size_t i = 0; i < r.data.size(); ++i)
    r.data[i] = in[0]->data[ci[i]] != 0 ? in[1]->data[ti[i]] : in[2]->data[fi[i]];
  out.push_back(std::move(r));
  return success();
}

// Floats convert to integers by truncation toward zero, anything to i1 by `!= 0`.
LogicalResult cast(Operation *op, Operands in, Results &out) {
  auto dtype = parseDType(stringAttr(op, "dtype"));
  if (!dtype) return kernelError(op) << "unsupported dtype '" << stringAttr(op, "dtype") << "'";
  Tensor r = *in[0];
  r.dtype = *dtype;
  // Values outside the target's range (i64: outside the exactly held |v| < 2^53) fail.
  double limit = *dtype == DType::I32 ? 2147483648.0 : 9007199254740992.0;
  if (*dtype == DType::I32 || *dtype == DType::I64)
    for (double v : r.data)
      if (!(std::trunc(v) >= -limit && std::trunc(v) < limit))
        return kernelError(op) << "value " << v << " does not convert to " << dtypeName(*dtype);
  out.push_back(std::move(r)); // roundToDType (after every kernel) truncates or makes 0/1
  return success();
}

} // namespace

void registerElementwiseKernels(KernelTable &table) {
  table["nn.neg"] = unary([](double x) { return -x; });
  table["nn.exp"] = unary([](double x) { return std::exp(x); });
  table["nn.log"] = unary([](double x) { return std::log(x); });
  table["nn.sqrt"] = unary([](double x) { return std::sqrt(x); });
  table["nn.rsqrt"] = unary([](double x) { return 1.0 / std::sqrt(x); });
  table["nn.abs"] = unary([](double x) { return std::abs(x); });
  table["nn.step"] = unary([](double x) { return x > 0 ? 1.0 : 0.0; });
  table["nn.sigmoid"] = unary([](double x) { return sigmoid(x); });
  table["nn.tanh"] = unary([](double x) { return std::tanh(x); });
  table["nn.relu"] = unary([](double x) { return x < 0 ? 0.0 : x; });
  table["nn.leaky_relu"] = leakyRelu;
  table["nn.add"] = binary([](double a, double b) { return a + b; });
  table["nn.sub"] = binary([](double a, double b) { return a - b; });
  table["nn.mul"] = binary([](double a, double b) { return a * b; });
  table["nn.div"] = binary([](double a, double b) { return a / b; });
  table["nn.pow"] = binary([](double a, double b) { return std::pow(a, b); });
  table["nn.maximum"] = binary(maximum);
  table["nn.minimum"] = binary(minimum);
  table["nn.compare"] = compare;
  table["nn.select"] = select;
  table["nn.cast"] = cast;
}

} // namespace nnc::interp
