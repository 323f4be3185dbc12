// `nnc run`: the reference interpreter behind a command.
#include "driver/Run.h"

#include "interpreter/Interpreter.h"
#include "nn/NNDialect.h"
#include "nn/Optimizers.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <random>

namespace nnc {
namespace {

using interp::DType;
using interp::Tensor;

llvm::StringRef attrString(mlir::func::FuncOp f, unsigned arg, llvm::StringRef name) {
  auto attr = f.getArgAttrOfType<mlir::StringAttr>(arg, name);
  return attr ? attr.getValue() : llvm::StringRef();
}

// A synthetic input for argument `type`: reproducible from the generator's seed.
Tensor syntheticInput(mlir::RankedTensorType type, std::mt19937_64 &rng, int64_t intRange) {
  Tensor t = Tensor::zeros(interp::dtypeOf(type.getElementType()), type.getShape());
  for (double &v : t.data) {
    uint64_t bits = rng();
    if (interp::isFloat(t.dtype)) v = double(bits >> 11) * 0x1.0p-53 * 2.0 - 1.0;
    else v = double(bits % uint64_t(std::max<int64_t>(intRange, 1)));
  }
  t.roundToDType();
  return t;
}

// The value of a hyperparameter argument: --lr, else the nn.train value.
double hyperparameterValue(mlir::nn::TrainOp train, llvm::StringRef name, const RunOptions &options) {
  if (name == "lr" && options.lr) return *options.lr;
  return train.hyperparameterDefault(name);
}

void printTensor(llvm::raw_ostream &os, const Tensor &t) {
  if (t.numel() == 1) {
    os << llvm::format("%.6g", t.data[0]);
    return;
  }
  os << t.typeString() << " [";
  for (int64_t i = 0; i < std::min<int64_t>(t.numel(), 4); ++i) os << (i ? ", " : "") << llvm::format("%.6g", t.data[i]);
  os << (t.numel() > 4 ? ", ...]" : "]");
}

} // namespace

int run(const RunOptions &options) {
  Pipeline pipeline;
  if (!pipeline.read(options.compile.input)) return 1;
  auto ast = pipeline.parse();
  if (!ast) return 1;
  CompileOptions compileOptions = options.compile;
  compileOptions.emit = Stage::Grad;
  auto module = pipeline.lower(*ast, compileOptions);
  if (!module) return 1;

  std::string name = options.function;
  if (name.empty()) name = module->lookupSymbol("train_step") ? "train_step" : "forward";
  auto f = module->lookupSymbol<mlir::func::FuncOp>(name);
  if (!f) {
    llvm::errs() << options.compile.input << ": error: the model has no function '" << name
                 << "' (forward, predict and, with a train section, train_step)\n";
    return 1;
  }
  auto trains = module->getOps<mlir::nn::TrainOp>();
  mlir::nn::TrainOp train = trains.empty() ? mlir::nn::TrainOp() : *trains.begin();

  interp::Interpreter interpreter(*module);
  interpreter.initialize(options.seed);
  std::mt19937_64 rng(options.seed);
  std::vector<Tensor> args;
  for (unsigned i = 0; i < f.getNumArguments(); ++i) {
    auto type = llvm::cast<mlir::RankedTensorType>(f.getArgument(i).getType());
    llvm::StringRef role = attrString(f, i, "nn.role");
    if (role == "hyperparameter")
      args.push_back(Tensor::scalar(interp::dtypeOf(type.getElementType()),
                                    hyperparameterValue(train, attrString(f, i, "nn.name"), options)));
    else if (role == "step" || role == "seed")
      args.push_back(Tensor::scalar(DType::I64, role == "seed" ? double(options.seed) : 1.0));
    else
      args.push_back(syntheticInput(type, rng, options.intRange));
  }

  int64_t steps = name == "train_step" ? options.steps : 1;
  for (int64_t step = 1; step <= steps; ++step) {
    for (unsigned i = 0; i < f.getNumArguments(); ++i)
      if (attrString(f, i, "nn.role") == "step") args[i].data[0] = double(step);
    auto results = interpreter.run(name, args);
    if (mlir::failed(results)) return 1;
    llvm::outs() << (name == "train_step" ? "step " + std::to_string(step) + ":" : name + ":");
    for (unsigned i = 0; i < results->size(); ++i) {
      auto resultName = f.getResultAttrOfType<mlir::StringAttr>(i, "nn.name");
      llvm::outs() << " " << (resultName ? resultName.getValue() : "result") << "=";
      printTensor(llvm::outs(), (*results)[i]);
    }
    llvm::outs() << "\n";
  }
  return 0;
}

} // namespace nnc
