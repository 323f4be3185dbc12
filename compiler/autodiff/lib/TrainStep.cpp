// The train-step builder: training forms, gradients, optimizer updates, and the
// predict and input-gradient functions.
#include "autodiff/TrainStep.h"

#include "autodiff/Gradient.h"
#include "autodiff/OptimizerUpdates.h"
#include "nn/NNBuilder.h"
#include "nn/NNDialect.h"
#include "nn/RuleSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/StringSet.h"

namespace nnc {
namespace {

using mlir::Value;

llvm::StringRef resultName(mlir::func::FuncOp f, unsigned i) {
  auto name = f.getResultAttrOfType<mlir::StringAttr>(i, "nn.name");
  return name ? name.getValue() : llvm::StringRef();
}
llvm::StringRef resultRole(mlir::func::FuncOp f, unsigned i) {
  auto role = f.getResultAttrOfType<mlir::StringAttr>(i, "nn.role");
  return role ? role.getValue() : llvm::StringRef();
}

// Keeps the results whose role passes `keep`, and refreshes the signature.
void keepResults(mlir::func::FuncOp f, llvm::function_ref<bool(llvm::StringRef role)> keep) {
  auto ret = llvm::cast<mlir::func::ReturnOp>(f.front().getTerminator());
  llvm::SmallVector<Value> values;
  llvm::SmallVector<mlir::DictionaryAttr> attrs;
  for (unsigned i = 0; i < ret.getNumOperands(); ++i)
    if (keep(resultRole(f, i))) {
      values.push_back(ret.getOperand(i));
      attrs.push_back(f.getResultAttrDict(i));
    }
  mlir::OpBuilder b(ret);
  b.create<mlir::func::ReturnOp>(ret.getLoc(), values);
  ret.erase();
  llvm::SmallVector<mlir::Type> types;
  for (Value v : values) types.push_back(v.getType());
  llvm::SmallVector<mlir::Type> args(f.front().getArgumentTypes());
  f.setType(mlir::FunctionType::get(f.getContext(), args, types));
  f.setAllResultAttrs(attrs);
}

mlir::func::FuncOp cloneFunction(mlir::ModuleOp module, mlir::func::FuncOp f, llvm::StringRef name) {
  mlir::func::FuncOp copy = f.clone();
  copy.setName(name);
  module.insert(std::next(mlir::Block::iterator(f)), copy);
  return copy;
}

Value addArgument(mlir::func::FuncOp f, mlir::Type type, llvm::StringRef name, llvm::StringRef role) {
  mlir::BlockArgument arg = f.front().addArgument(type, f.getLoc());
  llvm::SmallVector<mlir::Type> args(f.front().getArgumentTypes());
  f.setType(mlir::FunctionType::get(f.getContext(), args, f.getResultTypes()));
  mlir::Builder b(f.getContext());
  f.setArgAttr(arg.getArgNumber(), "nn.name", b.getStringAttr(name));
  f.setArgAttr(arg.getArgNumber(), "nn.role", b.getStringAttr(role));
  return arg;
}

// Removes the arguments nothing uses (predict needs no labels).
void eraseUnusedArguments(mlir::func::FuncOp f) {
  llvm::BitVector unused(f.getNumArguments());
  for (mlir::BlockArgument arg : f.getArguments())
    if (arg.use_empty()) unused.set(arg.getArgNumber());
  f.eraseArguments(unused);
}

mlir::LogicalResult buildPredict(mlir::ModuleOp module, mlir::func::FuncOp forward) {
  bool hasOutput = false;
  for (unsigned i = 0; i < forward.getNumResults(); ++i) hasOutput |= resultRole(forward, i) == "output";
  if (!hasOutput) return mlir::success(); // nothing to predict
  mlir::func::FuncOp predict = cloneFunction(module, forward, "predict");
  keepResults(predict, [](llvm::StringRef role) { return role == "output"; });
  eraseDeadOps(predict.front());
  eraseUnusedArguments(predict);
  return mlir::success();
}

// torch.nn.utils.clip_grad_norm_: the gradients scale together by
// min(1, max_norm / (norm + 1e-6)), where norm is the L2 norm of all of them as one vector.
// Frozen parameters have no gradient and do not count, as in PyTorch when they are left
// out of the optimizer's parameters.
void clipByGlobalNorm(mlir::nn::NNBuilder &b, llvm::MutableArrayRef<Value> grads, Value maxNorm) {
  mlir::Type element = mlir::getElementTypeOrSelf(maxNorm.getType());
  Value total;
  for (Value g : grads) {
    if (!g) continue;
    int64_t rank = llvm::cast<mlir::RankedTensorType>(g.getType()).getRank();
    Value square = b.mul(g, g);
    Value sum = rank == 0 ? square : b.sum(square, llvm::to_vector(llvm::seq<int64_t>(0, rank)), false);
    sum = b.cast(sum, element);
    total = total ? b.add(total, sum) : sum;
  }
  if (!total) return;
  Value coef = b.div(maxNorm, b.add(b.op("sqrt", {total}), b.scalar(1e-6, total)));
  Value one = b.scalar(1.0, coef);
  coef = b.select(b.compare(coef, one, "lt"), coef, one);
  for (Value &g : grads)
    if (g) g = b.mul(g, b.cast(coef, mlir::getElementTypeOrSelf(g.getType())));
}

class TrainStepBuilder {
public:
  TrainStepBuilder(mlir::ModuleOp module, mlir::nn::TrainOp train, mlir::func::FuncOp forward)
      : module_(module), train_(train), forward_(forward) {}

  mlir::LogicalResult build();

private:
  Value loss(mlir::func::FuncOp f) {
    auto ret = llvm::cast<mlir::func::ReturnOp>(f.front().getTerminator());
    for (unsigned i = 0; i < ret.getNumOperands(); ++i)
      if (resultName(f, i) == train_.getLoss()) return ret.getOperand(i);
    return {};
  }
  mlir::nn::ParamOp declareState(mlir::nn::ParamOp param, llvm::StringRef name, double init);

  mlir::ModuleOp module_;
  mlir::nn::TrainOp train_;
  mlir::func::FuncOp forward_;
  mlir::SymbolTable symbols_{module_};
};

mlir::nn::ParamOp TrainStepBuilder::declareState(mlir::nn::ParamOp param, llvm::StringRef name,
                                                 double init) {
  std::string symbol = (param.getSymName() + "." + name).str();
  if (auto existing = symbols_.lookup<mlir::nn::ParamOp>(symbol)) return existing;
  mlir::OpBuilder b(param->getContext());
  b.setInsertionPointAfter(param);
  mlir::NamedAttrList args;
  if (init != 0) args.set("value", b.getF64FloatAttr(init));
  auto state = b.create<mlir::nn::ParamOp>(param.getLoc(), symbol, param.getType(),
                                           init != 0 ? "constant" : "zeros",
                                           args.getDictionary(b.getContext()), false);
  state->setAttr("nn.state_of", mlir::FlatSymbolRefAttr::get(param.getSymNameAttr()));
  symbols_.insert(state);
  return state;
}

mlir::LogicalResult TrainStepBuilder::build() {
  mlir::func::FuncOp step = cloneFunction(module_, forward_, "train_step");
  mlir::Block &body = step.front();
  Value lossValue = loss(step);
  auto lossType = llvm::cast<mlir::RankedTensorType>(lossValue.getType());
  mlir::Type element = lossType.getElementType();
  auto scalarType = mlir::RankedTensorType::get({}, element);
  auto counterType = mlir::RankedTensorType::get({}, mlir::IntegerType::get(step.getContext(), 64));

  // Run-time arguments: hyperparameters, the step counter (1 for the first step), the seed.
  llvm::StringMap<Value> hyper;
  for (const std::string &name : runtimeHyperparameters(train_.getOptimizer()))
    hyper[name] = addArgument(step, scalarType, name, "hyperparameter");
  if (train_.getMaxGradNorm())
    hyper["max_grad_norm"] = addArgument(step, scalarType, "max_grad_norm", "hyperparameter");
  Value stepArg = addArgument(step, counterType, "step", "step");
  Value seedArg = addArgument(step, counterType, "seed", "seed");

  // Training forms (batch statistics, dropout masks), each with its own random stream.
  mlir::OpBuilder builder(step.getContext());
  llvm::SmallVector<mlir::nn::TrainingForm> forms;
  step.walk([&](mlir::nn::TrainingForm op) { forms.push_back(op); });
  int64_t stream = 0;
  for (mlir::nn::TrainingForm op : forms) {
    builder.setInsertionPoint(op);
    auto replacement = op.buildTrainingForm(builder, seedArg, stepArg, stream++);
    if (mlir::failed(replacement)) return mlir::failure();
    op->getResult(0).replaceAllUsesWith(*replacement);
    op->erase();
  }

  // The parameters to update: trainable, not frozen, loaded in the step.
  llvm::StringSet<> frozen;
  for (mlir::Attribute f : train_.getFrozen()) frozen.insert(llvm::cast<mlir::FlatSymbolRefAttr>(f).getValue());
  llvm::SmallVector<mlir::nn::LoadOp> loads;
  llvm::SmallVector<Value> wrt;
  step.walk([&](mlir::nn::LoadOp load) {
    auto param = symbols_.lookup<mlir::nn::ParamOp>(load.getName());
    if (param && param.getTrainable() && !frozen.contains(load.getName())) {
      loads.push_back(load);
      wrt.push_back(load.getResult());
    }
  });
  builder.setInsertionPoint(body.getTerminator());
  auto grads = buildGradients(builder, loss(step), wrt);
  if (mlir::failed(grads)) return mlir::failure();
  if (llvm::all_of(*grads, [](Value g) { return !g; }))
    return train_.emitError() << "the loss '" << train_.getLoss()
                              << "' does not depend on any trainable parameter";

  mlir::nn::NNBuilder b(builder, train_.getLoc());
  if (train_.getMaxGradNorm()) clipByGlobalNorm(b, *grads, hyper.lookup("max_grad_norm"));

  // One update per parameter, in the order the forward pass loads them.
  Value t = b.cast(stepArg, element);
  for (auto [load, grad] : llvm::zip(loads, *grads)) {
    if (!grad) continue; // the loss does not depend on it: PyTorch skips it too
    auto param = symbols_.lookup<mlir::nn::ParamOp>(load.getName());
    mlir::nn::NNBuilder pb(builder, load.getLoc());
    auto hyperOf = [&](llvm::StringRef name) -> Value { return hyper.lookup(name); };
    auto loadState = [&](llvm::StringRef name, double init) -> Value {
      mlir::nn::ParamOp state = declareState(param, name, init);
      return builder.create<mlir::nn::LoadOp>(load.getLoc(), state.getType(), state.getSymName());
    };
    auto storeState = [&](llvm::StringRef name, Value value) {
      builder.create<mlir::nn::StoreOp>(load.getLoc(), (param.getSymName() + "." + name).str(), value);
    };
    ParamUpdate update{pb, load.getResult(), grad, pb.cast(t, mlir::getElementTypeOrSelf(grad.getType())),
                       train_.getHyperparameters(), hyperOf, loadState, storeState};
    auto updated = buildOptimizerUpdate(train_.getOptimizer(), update);
    if (mlir::failed(updated)) return mlir::failure();
    builder.create<mlir::nn::StoreOp>(load.getLoc(), load.getName(), *updated);
  }
  if (b.failed()) return mlir::failure();

  keepResults(step, [](llvm::StringRef role) { return role == "loss" || role == "metric"; });
  eraseDeadOps(body);
  return mlir::success();
}

mlir::LogicalResult buildInputGradient(mlir::ModuleOp module, mlir::nn::TrainOp train,
                                       mlir::func::FuncOp forward, llvm::ArrayRef<std::string> names) {
  mlir::func::FuncOp f = cloneFunction(module, forward, "input_gradient");
  llvm::SmallVector<Value> wrt;
  for (const std::string &name : names) {
    Value found;
    for (mlir::BlockArgument arg : f.getArguments()) {
      auto argName = f.getArgAttrOfType<mlir::StringAttr>(arg.getArgNumber(), "nn.name");
      if (argName && argName.getValue() == name) found = arg;
    }
    if (!found) return train.emitError() << "--grad-wrt: the model has no input '" << name << "'";
    if (!llvm::isa<mlir::FloatType>(mlir::getElementTypeOrSelf(found.getType())))
      return train.emitError() << "--grad-wrt: input '" << name << "' is not floating-point";
    wrt.push_back(found);
  }
  auto ret = llvm::cast<mlir::func::ReturnOp>(f.front().getTerminator());
  Value lossValue;
  for (unsigned i = 0; i < ret.getNumOperands(); ++i)
    if (resultName(f, i) == train.getLoss()) lossValue = ret.getOperand(i);
  mlir::OpBuilder builder(ret);
  auto grads = buildGradients(builder, lossValue, wrt);
  if (mlir::failed(grads)) return mlir::failure();
  llvm::SmallVector<Value> results{lossValue};
  mlir::nn::NNBuilder b(builder, f.getLoc());
  for (auto [g, x] : llvm::zip(*grads, wrt)) results.push_back(g ? g : b.zerosLike(x));
  if (b.failed()) return mlir::failure();
  builder.create<mlir::func::ReturnOp>(ret.getLoc(), results);
  ret.erase();
  llvm::SmallVector<mlir::Type> types;
  for (Value v : results) types.push_back(v.getType());
  llvm::SmallVector<mlir::Type> args(f.getArgumentTypes());
  f.setType(mlir::FunctionType::get(f.getContext(), args, types));
  mlir::Builder attrs(f.getContext());
  f.setResultAttr(0, "nn.name", attrs.getStringAttr(train.getLoss()));
  f.setResultAttr(0, "nn.role", attrs.getStringAttr("loss"));
  for (auto [i, name] : llvm::enumerate(names)) {
    f.setResultAttr(i + 1, "nn.name", attrs.getStringAttr("d_" + name));
    f.setResultAttr(i + 1, "nn.role", attrs.getStringAttr("input_gradient"));
  }
  eraseDeadOps(f.front());
  return mlir::success();
}

} // namespace

mlir::LogicalResult buildTrainingFunctions(mlir::ModuleOp module, const TrainStepOptions &options) {
  auto forward = module.lookupSymbol<mlir::func::FuncOp>("forward");
  auto trains = module.getOps<mlir::nn::TrainOp>();
  if (!forward) return mlir::success();
  if (trains.empty()) {
    if (!options.gradWrt.empty())
      return forward.emitError() << "--grad-wrt needs a train section (the loss to differentiate)";
    return buildPredict(module, forward);
  }
  mlir::nn::TrainOp train = *trains.begin();
  if (mlir::failed(buildPredict(module, forward))) return mlir::failure();
  if (!options.gradWrt.empty() && mlir::failed(buildInputGradient(module, train, forward, options.gradWrt)))
    return mlir::failure();
  return TrainStepBuilder(module, train, forward).build();
}

} // namespace nnc
