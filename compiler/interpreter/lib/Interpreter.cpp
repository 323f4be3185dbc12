// The interpreter loop (load/store/constant/return, a kernel for every other op) and
// the parameter initializers.
#include "interpreter/Interpreter.h"

#include "nnc/initializers.h"

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

// Fills `t` from nn.param's initializer through the runtime's shared implementation
// (nnc/initializers.h: the draws and fans are documented there), so interpreter and
// runtime start from identical weights. Arguments missing from init_args take the
// defaults of the initializer table (nn/Initializers.h).
mlir::LogicalResult initializeParam(mlir::nn::ParamOp param, Tensor &t, uint64_t seed, uint64_t stream) {
  llvm::StringRef init = param.getInit();
  const mlir::nn::InitializerSpec *spec = mlir::nn::findInitializer(init);
  if (!spec) return param.emitError() << "unknown initializer '" << init << "'";
  mlir::DictionaryAttr args = param.getInitArgs();
  auto number = [&](std::string_view name) {
    if (auto value = llvm::dyn_cast_or_null<mlir::FloatAttr>(args ? args.get(name) : nullptr))
      return value.getValueAsDouble();
    for (auto &[argName, value] : spec->numericArgs)
      if (argName == llvm::StringRef(name)) return value;
    return llvm::StringRef(name) == "gain" ? spec->defaultGain : 0.0;
  };
  auto mode = llvm::dyn_cast_or_null<mlir::StringAttr>(args ? args.get("mode") : nullptr);
  bool fanOut = mode && mode.getValue() == "fan_out";
  if (!init::fill(std::string_view(init.data(), init.size()), number, fanOut, t.shape, seed, stream, t.data))
    return param.emitError() << "the interpreter has no initializer '" << init << "'";
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
    (void)initializeParam(param, t, seed, stream++); // on failure: zeros, error emitted
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
