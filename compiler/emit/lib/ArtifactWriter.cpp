// The artifact writer: walks the module's nn.param, func and nn.train ops into the
// FlatBuffers schema shared with the runtime.
#include "emit/ArtifactWriter.h"

#include "nn/NNDialect.h"
#include "nn/Optimizers.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Path.h"

#include <schemas/artifact_generated.h>

namespace nnc {
namespace {

namespace fb = flatbuffers;
namespace sc = nnc::schema;

constexpr uint32_t kArtifactVersion = 1;

std::optional<sc::DType> dtypeOf(mlir::Type element) {
  if (element.isF32()) return sc::DType::F32;
  if (element.isF64()) return sc::DType::F64;
  if (element.isInteger(32)) return sc::DType::I32;
  if (element.isInteger(64)) return sc::DType::I64;
  if (element.isInteger(1)) return sc::DType::I1;
  return std::nullopt;
}

std::optional<sc::TensorRole> roleOf(llvm::StringRef role, bool isArgument) {
  if (role.empty()) return isArgument ? sc::TensorRole::Input : std::optional<sc::TensorRole>();
  return llvm::StringSwitch<std::optional<sc::TensorRole>>(role)
      .Case("hyperparameter", sc::TensorRole::Hyperparameter)
      .Case("step", sc::TensorRole::Step)
      .Case("seed", sc::TensorRole::Seed)
      .Case("output", sc::TensorRole::Output)
      .Case("loss", sc::TensorRole::Loss)
      .Case("metric", sc::TensorRole::Metric)
      .Case("input_gradient", sc::TensorRole::InputGradient)
      .Default(std::nullopt);
}

class Writer {
public:
  Writer(std::string symbolPrefix, std::string device, uint64_t arenaBytes)
      : symbolPrefix_(std::move(symbolPrefix)), device_(std::move(device)), arenaBytes_(arenaBytes) {}
  mlir::FailureOr<std::string> run(mlir::ModuleOp module);

private:
  fb::Offset<sc::SourceLocation> location(mlir::Location loc);
  mlir::FailureOr<fb::Offset<sc::StateTensor>> state(mlir::nn::ParamOp param, const llvm::StringSet<> &frozen);
  mlir::FailureOr<fb::Offset<sc::Value>> value(mlir::Operation *at, llvm::StringRef name, mlir::Type type,
                                               llvm::StringRef role, bool isArgument);
  mlir::FailureOr<fb::Offset<sc::EntryPoint>> entryPoint(mlir::func::FuncOp f);
  fb::Offset<sc::Optimizer> optimizer(mlir::nn::TrainOp train, mlir::func::FuncOp step);

  fb::FlatBufferBuilder b_{1 << 16};
  std::string symbolPrefix_;
  std::string device_;
  uint64_t arenaBytes_;
};

fb::Offset<sc::SourceLocation> Writer::location(mlir::Location loc) {
  while (auto site = llvm::dyn_cast<mlir::CallSiteLoc>(loc)) loc = site.getCallee();
  auto file = llvm::dyn_cast<mlir::FileLineColLoc>(loc);
  if (!file) return 0;
  return sc::CreateSourceLocation(b_, b_.CreateString(file.getFilename().str()), file.getLine(),
                                  file.getColumn());
}

mlir::FailureOr<fb::Offset<sc::StateTensor>> Writer::state(mlir::nn::ParamOp param,
                                                           const llvm::StringSet<> &frozen) {
  auto type = llvm::cast<mlir::RankedTensorType>(param.getType());
  auto dtype = dtypeOf(type.getElementType());
  if (!dtype) return param.emitError() << "the artifact cannot hold element type " << type.getElementType();
  std::vector<fb::Offset<sc::NamedValue>> args;
  for (mlir::NamedAttribute arg : param.getInitArgs()) {
    auto name = b_.CreateString(arg.getName().str());
    if (auto number = llvm::dyn_cast<mlir::FloatAttr>(arg.getValue()))
      args.push_back(sc::CreateNamedValue(b_, name, number.getValueAsDouble()));
    else if (auto text = llvm::dyn_cast<mlir::StringAttr>(arg.getValue()))
      args.push_back(sc::CreateNamedValue(b_, name, 0.0, b_.CreateString(text.getValue().str())));
  }
  auto init = sc::CreateInitializer(b_, b_.CreateString(param.getInit().str()), b_.CreateVector(args));
  auto owner = param->getAttrOfType<mlir::FlatSymbolRefAttr>("nn.state_of");
  sc::TensorRole role = param.getTrainable() ? sc::TensorRole::Parameter
                        : owner             ? sc::TensorRole::OptimizerState
                                            : sc::TensorRole::Buffer;
  auto name = b_.CreateString(param.getSymName().str());
  auto shape = b_.CreateVector(type.getShape().data(), type.getShape().size());
  auto stateOf = owner ? b_.CreateString(owner.getValue().str()) : 0;
  auto loc = location(param.getLoc());
  return sc::CreateStateTensor(b_, name, *dtype, shape, role, frozen.contains(param.getSymName()),
                               stateOf, init, loc);
}

mlir::FailureOr<fb::Offset<sc::Value>> Writer::value(mlir::Operation *at, llvm::StringRef name, mlir::Type type,
                                                     llvm::StringRef role, bool isArgument) {
  auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
  auto dtype = tensor ? dtypeOf(tensor.getElementType()) : std::nullopt;
  auto kind = roleOf(role, isArgument);
  if (!dtype || !kind || name.empty())
    return at->emitError() << "entry point value '" << name << "' has no artifact form (type " << type
                           << ", role '" << role << "')";
  return sc::CreateValue(b_, b_.CreateString(name.str()), *dtype,
                         b_.CreateVector(tensor.getShape().data(), tensor.getShape().size()), *kind);
}

mlir::FailureOr<fb::Offset<sc::EntryPoint>> Writer::entryPoint(mlir::func::FuncOp f) {
  auto text = [](mlir::DictionaryAttr attrs, llvm::StringRef key) {
    auto s = attrs ? attrs.getAs<mlir::StringAttr>(key) : mlir::StringAttr();
    return s ? s.getValue() : llvm::StringRef();
  };
  std::vector<fb::Offset<sc::Value>> arguments, results;
  for (unsigned i = 0; i < f.getNumArguments(); ++i) {
    auto v = value(f, text(f.getArgAttrDict(i), "nn.name"), f.getArgumentTypes()[i],
                   text(f.getArgAttrDict(i), "nn.role"), true);
    if (mlir::failed(v)) return mlir::failure();
    arguments.push_back(*v);
  }
  for (unsigned i = 0; i < f.getNumResults(); ++i) {
    auto v = value(f, text(f.getResultAttrDict(i), "nn.name"), f.getResultTypes()[i],
                   text(f.getResultAttrDict(i), "nn.role"), false);
    if (mlir::failed(v)) return mlir::failure();
    results.push_back(*v);
  }
  llvm::SetVector<llvm::StringRef> reads, writes;
  f.walk([&](mlir::nn::LoadOp load) { reads.insert(load.getName()); });
  f.walk([&](mlir::nn::StoreOp store) { writes.insert(store.getName()); });
  auto strings = [&](const llvm::SetVector<llvm::StringRef> &names) {
    std::vector<fb::Offset<fb::String>> out;
    for (llvm::StringRef n : names) out.push_back(b_.CreateString(n.str()));
    return b_.CreateVector(out);
  };
  auto name = b_.CreateString(f.getSymName().str());
  auto args = b_.CreateVector(arguments), res = b_.CreateVector(results);
  auto r = strings(reads), w = strings(writes);
  fb::Offset<fb::String> symbol = 0;
  if (!symbolPrefix_.empty()) symbol = b_.CreateString(symbolPrefix_ + "_" + f.getSymName().str());
  return sc::CreateEntryPoint(b_, name, symbol, args, res, r, w);
}

fb::Offset<sc::Optimizer> Writer::optimizer(mlir::nn::TrainOp train, mlir::func::FuncOp step) {
  mlir::DictionaryAttr settings = train.getHyperparameters();
  std::vector<fb::Offset<sc::NamedValue>> hyper, flags;
  // The run-time scalars, by the train step's argument names (betas split in two).
  for (unsigned i = 0; step && i < step.getNumArguments(); ++i) {
    auto role = step.getArgAttrOfType<mlir::StringAttr>(i, "nn.role");
    if (!role || role.getValue() != "hyperparameter") continue;
    llvm::StringRef name = step.getArgAttrOfType<mlir::StringAttr>(i, "nn.name").getValue();
    double value = train.hyperparameterDefault(name);
    hyper.push_back(sc::CreateNamedValue(b_, b_.CreateString(name.str()), value));
  }
  for (mlir::NamedAttribute s : settings)
    if (auto flag = llvm::dyn_cast<mlir::BoolAttr>(s.getValue()))
      flags.push_back(sc::CreateNamedValue(b_, b_.CreateString(s.getName().str()), flag.getValue() ? 1.0 : 0.0));
  auto name = b_.CreateString(train.getOptimizer().str());
  auto h = b_.CreateVector(hyper), f = b_.CreateVector(flags);
  return sc::CreateOptimizer(b_, name, h, f);
}

mlir::FailureOr<std::string> Writer::run(mlir::ModuleOp module) {
  auto trains = module.getOps<mlir::nn::TrainOp>();
  mlir::nn::TrainOp train = trains.empty() ? mlir::nn::TrainOp() : *trains.begin();
  llvm::StringSet<> frozen;
  if (train)
    for (mlir::Attribute f : train.getFrozen()) frozen.insert(llvm::cast<mlir::FlatSymbolRefAttr>(f).getValue());

  std::vector<fb::Offset<sc::StateTensor>> states;
  for (mlir::nn::ParamOp param : module.getOps<mlir::nn::ParamOp>()) {
    auto s = state(param, frozen);
    if (mlir::failed(s)) return mlir::failure();
    states.push_back(*s);
  }
  std::vector<fb::Offset<sc::EntryPoint>> entries;
  for (const char *name : {"train_step", "forward", "predict", "input_gradient"})
    if (auto f = module.lookupSymbol<mlir::func::FuncOp>(name)) {
      auto e = entryPoint(f);
      if (mlir::failed(e)) return mlir::failure();
      entries.push_back(*e);
    }

  auto sourceAttr = module->getAttrOfType<mlir::StringAttr>("nn.source");
  std::string source = sourceAttr ? sourceAttr.getValue().str() : "";
  auto batchAttr = module->getAttrOfType<mlir::IntegerAttr>("nn.batch");
  fb::Offset<sc::Optimizer> opt = 0;
  fb::Offset<fb::String> loss = 0;
  fb::Offset<fb::Vector<fb::Offset<fb::String>>> metrics = 0;
  if (train) {
    opt = optimizer(train, module.lookupSymbol<mlir::func::FuncOp>("train_step"));
    loss = b_.CreateString(train.getLoss().str());
    std::vector<fb::Offset<fb::String>> names;
    for (mlir::Attribute m : train.getMetrics()) names.push_back(b_.CreateString(llvm::cast<mlir::StringAttr>(m).str()));
    metrics = b_.CreateVector(names);
  }
  auto modelName = b_.CreateString(llvm::sys::path::stem(source).str());
  auto sourceName = b_.CreateString(source);
  auto stateVector = b_.CreateVector(states);
  auto entryVector = b_.CreateVector(entries);
  auto device = b_.CreateString(device_);
  flatbuffers::Offset<sc::MemoryPlan> memoryPlan;
  if (arenaBytes_) memoryPlan = sc::CreateMemoryPlan(b_, arenaBytes_);
  sc::ModelBuilder model(b_);
  model.add_version(kArtifactVersion);
  model.add_name(modelName);
  model.add_source(sourceName);
  model.add_batch(batchAttr ? batchAttr.getInt() : 0);
  model.add_state(stateVector);
  model.add_entry_points(entryVector);
  model.add_device(device);
  if (arenaBytes_) model.add_memory_plan(memoryPlan);
  if (train) {
    model.add_optimizer(opt);
    model.add_loss(loss);
    model.add_metrics(metrics);
  }
  sc::FinishSizePrefixedModelBuffer(b_, model.Finish());
  return std::string(reinterpret_cast<const char *>(b_.GetBufferPointer()), b_.GetSize());
}

} // namespace

mlir::FailureOr<std::string> writeArtifact(mlir::ModuleOp module, const std::string &symbolPrefix,
                                           const std::string &device, uint64_t arenaBytes) {
  return Writer(symbolPrefix, device, arenaBytes).run(module);
}

} // namespace nnc
