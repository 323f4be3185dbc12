// The interpreter loop (load/store/constant/return, a kernel for every other op) and
// the parameter initializers.
#include "interpreter/Interpreter.h"

#include "nnc/philox.h"

#include "nn/Initializers.h"
#include "nn/NNDialect.h"
#include "nn/RuleSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <optional>

namespace nnc::interp {

const KernelTable &kernels() {
  static const KernelTable table = [] {
    KernelTable t;
    registerElementwiseKernels(t);
    registerLinearAlgebraKernels(t);
    registerReductionKernels(t);
    registerShapeKernels(t);
    registerConvPoolKernels(t);
    registerNormalizationKernels(t);
    registerLossKernels(t);
    registerGradientKernels(t);
    return t;
  }();
  return table;
}

namespace {

std::optional<DType> supportedDType(mlir::Type element) {
  if (element.isF32() || element.isF64() || element.isInteger(1) || element.isInteger(32) ||
      element.isInteger(64))
    return dtypeOf(element);
  return std::nullopt;
}

// Whether `t` has type `type`: the same element type and, where `type` is ranked, the same
// rank and every static size.
bool matchesType(const Tensor &t, mlir::Type type) {
  auto tensor = llvm::dyn_cast<mlir::TensorType>(type);
  if (!tensor || supportedDType(tensor.getElementType()) != t.dtype) return false;
  if (!tensor.hasRank()) return true;
  if (tensor.getRank() != t.rank()) return false;
  for (int64_t i = 0; i < t.rank(); ++i)
    if (!mlir::ShapedType::isDynamic(tensor.getDimSize(i)) && tensor.getDimSize(i) != t.shape[i])
      return false;
  return true;
}

//===----------------------------------------------------------------------===//
// Initializers
//===----------------------------------------------------------------------===//

// PyTorch's _calculate_fan_in_and_fan_out: for [out, in, k...], fan_in = in·prod(k) and
// fan_out = out·prod(k); a 1-d tensor has fan_in = fan_out = its size (PyTorch refuses
// those; biases initialized this way need it), a 0-d one 1.
std::pair<double, double> fans(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty()) return {1.0, 1.0};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  double receptive = 1.0;
  for (int64_t d : shape.drop_front(2)) receptive *= double(d);
  return {double(shape[1]) * receptive, double(shape[0]) * receptive};
}

// Random draws of parameter number `stream` (its position among the module's nn.param
// ops) under `seed`, with Philox step 0:
//   uniform element i:  u_i = uniformFromBits(randomBits(seed, 0, stream, i)), in [0, 1);
//                       value = low + (high - low) · u_i.
//   normal element i:   Box-Muller from words 2i and 2i + 1 of the same stream:
//                       a = uniformFromBits(randomBits(seed, 0, stream, 2i)),
//                       b = uniformFromBits(randomBits(seed, 0, stream, 2i + 1)),
//                       z = sqrt(-2 · ln(1 - a)) · cos(2π · b)  (1 - a is in (0, 1]);
//                       value = mean + std · z.
struct Draws {
  uint64_t seed, stream;
  double uniform(int64_t i) const { return double(uniformFromBits(randomBits(seed, 0, stream, uint64_t(i)))); }
  double normal(int64_t i) const {
    double a = uniform(2 * i), b = uniform(2 * i + 1);
    return std::sqrt(-2.0 * std::log(1.0 - a)) * std::cos(2.0 * M_PI * b);
  }
};

// Fills `t` from nn.param's initializer; arguments missing from init_args take the
// defaults of the initializer table (nn/Initializers.h).
mlir::LogicalResult initializeParam(mlir::nn::ParamOp param, Tensor &t, const Draws &draws) {
  llvm::StringRef init = param.getInit();
  const mlir::nn::InitializerSpec *spec = mlir::nn::findInitializer(init);
  if (!spec) return param.emitError() << "unknown initializer '" << init << "'";
  mlir::DictionaryAttr args = param.getInitArgs();
  auto number = [&](llvm::StringRef name) {
    if (auto value = llvm::dyn_cast_or_null<mlir::FloatAttr>(args ? args.get(name) : nullptr))
      return value.getValueAsDouble();
    for (auto &[argName, value] : spec->numericArgs)
      if (argName == name) return value;
    return name == "gain" ? spec->defaultGain : 0.0;
  };
  auto fillUniform = [&](double low, double high) {
    for (int64_t i = 0; i < t.numel(); ++i) t.data[i] = low + (high - low) * draws.uniform(i);
  };
  auto fillNormal = [&](double mean, double std) {
    for (int64_t i = 0; i < t.numel(); ++i) t.data[i] = mean + std * draws.normal(i);
  };
  auto [fanIn, fanOut] = fans(t.shape);
  if (init == "zeros") t.data.assign(t.data.size(), 0.0);
  else if (init == "ones") t.data.assign(t.data.size(), 1.0);
  else if (init == "constant") t.data.assign(t.data.size(), number("value"));
  else if (init == "uniform") fillUniform(number("low"), number("high"));
  else if (init == "normal") fillNormal(number("mean"), number("std"));
  else if (init == "xavier_uniform" || init == "xavier_normal") {
    // std = gain · sqrt(2 / (fan_in + fan_out)); the uniform bound is sqrt(3)·std.
    double std = number("gain") * std::sqrt(2.0 / (fanIn + fanOut));
    if (init == "xavier_uniform") fillUniform(-std::sqrt(3.0) * std, std::sqrt(3.0) * std);
    else fillNormal(0.0, std);
  } else if (init == "kaiming_uniform" || init == "kaiming_normal") {
    // std = gain / sqrt(fan) with fan = fan_in or fan_out by `mode`.
    auto mode = llvm::dyn_cast_or_null<mlir::StringAttr>(args ? args.get("mode") : nullptr);
    double fan = mode && mode.getValue() == "fan_out" ? fanOut : fanIn;
    double std = number("gain") / std::sqrt(fan);
    if (init == "kaiming_uniform") fillUniform(-std::sqrt(3.0) * std, std::sqrt(3.0) * std);
    else fillNormal(0.0, std);
  } else {
    return param.emitError() << "the interpreter has no initializer '" << init << "'";
  }
  return mlir::success();
}

} // namespace

Interpreter::Interpreter(mlir::ModuleOp module) : module_(module) {}

void Interpreter::initialize(uint64_t seed) {
  uint64_t stream = 0;
  for (mlir::nn::ParamOp param : module_.getOps<mlir::nn::ParamOp>()) {
    mlir::RankedTensorType type = param.getType();
    std::optional<DType> dtype = supportedDType(type.getElementType());
    if (!dtype || !type.hasStaticShape()) {
      param.emitError() << "the interpreter cannot hold " << mlir::nn::formatType(type);
      ++stream;
      continue;
    }
    Tensor t = Tensor::zeros(*dtype, type.getShape());
    (void)initializeParam(param, t, Draws{seed, stream++}); // on failure: zeros, error emitted
    t.roundToDType();
    state_[param.getSymName()] = std::move(t);
  }
}

mlir::FailureOr<std::vector<Tensor>> Interpreter::run(llvm::StringRef function, llvm::ArrayRef<Tensor> args) {
  auto func = module_.lookupSymbol<mlir::func::FuncOp>(function);
  if (!func || func.isExternal())
    return module_.emitError() << "interpreter: no function @" << function << " to run", mlir::failure();
  if (!func.getBody().hasOneBlock())
    return func.emitError() << "interpreter: functions must have one block", mlir::failure();
  mlir::Block &block = func.front();
  if (args.size() != block.getNumArguments())
    return func.emitError() << "interpreter: @" << function << " takes " << block.getNumArguments()
                            << " arguments, got " << args.size(), mlir::failure();

  llvm::DenseMap<mlir::Value, Tensor> values;
  for (auto [i, arg] : llvm::enumerate(block.getArguments())) {
    if (!matchesType(args[i], arg.getType()))
      return func.emitError() << "interpreter: argument " << i << " is " << args[i].typeString()
                              << " but @" << function << " expects " << mlir::nn::formatType(arg.getType()),
             mlir::failure();
    values[arg] = args[i];
  }

  std::vector<std::pair<std::string, Tensor>> stores; // applied when the run succeeds
  std::vector<Tensor> results;
  const KernelTable &table = kernels();
  for (mlir::Operation &op : block) {
    std::vector<const Tensor *> operands;
    for (mlir::Value operand : op.getOperands()) {
      auto it = values.find(operand);
      if (it == values.end()) return op.emitError() << "interpreter: operand has no value", mlir::failure();
      operands.push_back(&it->second);
    }
    if (llvm::isa<mlir::func::ReturnOp>(op)) {
      for (const Tensor *t : operands) results.push_back(*t);
      break;
    }
    if (auto store = llvm::dyn_cast<mlir::nn::StoreOp>(op)) {
      stores.emplace_back(store.getName().str(), *operands[0]);
      continue;
    }
    std::vector<Tensor> produced;
    if (auto load = llvm::dyn_cast<mlir::nn::LoadOp>(op)) {
      auto it = state_.find(load.getName());
      if (it == state_.end())
        return op.emitError() << "interpreter: @" << load.getName()
                              << " has no value (initialize() the state first)", mlir::failure();
      produced.push_back(it->second);
    } else if (auto constant = llvm::dyn_cast<mlir::nn::ConstantOp>(op)) {
      auto type = llvm::dyn_cast<mlir::ShapedType>(constant.getValue().getType());
      if (!type || !supportedDType(type.getElementType()) || !type.hasStaticShape() ||
          !llvm::isa<mlir::DenseElementsAttr>(constant.getValue()))
        return op.emitError() << "interpreter: unsupported constant (dense elements of f32, f64, i1, i32 "
                                 "or i64 expected)", mlir::failure();
      produced.push_back(Tensor::fromElements(constant.getValue()));
    } else {
      auto kernel = table.find(op.getName().getStringRef());
      if (kernel == table.end())
        return op.emitError() << "interpreter: no kernel for '" << op.getName() << "'", mlir::failure();
      if (mlir::failed(kernel->second(&op, operands, produced))) return mlir::failure();
    }
    if (produced.size() != op.getNumResults())
      return op.emitError() << "interpreter: the kernel produced " << produced.size() << " results, the op has "
                            << op.getNumResults(), mlir::failure();
    for (auto [i, result] : llvm::enumerate(op.getResults())) {
      produced[i].roundToDType();
      if (!matchesType(produced[i], result.getType()))
        return op.emitError() << "interpreter: result " << i << " was computed as " << produced[i].typeString()
                              << " but is declared " << mlir::nn::formatType(result.getType()),
               mlir::failure();
      values[result] = std::move(produced[i]);
    }
  }
  for (auto &[name, value] : stores) state_[name] = std::move(value);
  return results;
}

} // namespace nnc::interp
