// AST -> nn dialect. Scopes are emitted in graph order (GraphOrder), ops are built by
// name through their registered ODS definition, and each op's shape rule types it as it
// is built, so every error points at the .graph source that caused it.
#include "frontend/Importer.h"

#include "frontend/Constant.h"
#include "frontend/GraphOrder.h"
#include "nn/Initializers.h"
#include "nn/NNDialect.h"
#include "nn/Optimizers.h"
#include "nn/RuleSupport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"

namespace nnc::frontend {
namespace {

using mlir::failure;
using mlir::FailureOr;
using mlir::Value;

// What a name stands for in a scope.
struct Binding {
  std::optional<Constant> constant; // a let, the batch symbol, a block parameter
  Value tensor;                     // otherwise a tensor
};

struct Scope {
  Scope *constants = nullptr;  // where names not bound here are looked up (file lets)
  std::string prefix;          // parameter names are prefix + "." + local name
  llvm::StringMap<Binding> bindings;

  const Binding *find(llvm::StringRef name) const {
    auto it = bindings.find(name);
    if (it != bindings.end()) return &it->second;
    return constants ? constants->find(name) : nullptr;
  }
};

class Importer {
public:
  Importer(const Module &ast, llvm::SourceMgr &sourceMgr, mlir::MLIRContext &context,
           const ImportOptions &options)
      : ast_(ast), sourceMgr_(sourceMgr), ctx_(&context), options_(options), builder_(&context) {}

  mlir::OwningOpRef<mlir::ModuleOp> run();

private:
  // ---- locations and messages ----
  mlir::Location loc(llvm::SMLoc at) const {
    if (!at.isValid()) return mlir::UnknownLoc::get(ctx_);
    auto [line, col] = sourceMgr_.getLineAndColumn(at);
    mlir::Location where = mlir::FileLineColLoc::get(ctx_, ast_.fileName, line, col);
    // Inside a block instance, the location also records where the block was called
    // (that call's location carries its own callers in turn).
    return callSites_.empty() ? where : mlir::CallSiteLoc::get(where, callSites_.back());
  }
  mlir::InFlightDiagnostic error(llvm::SMLoc at) { return mlir::emitError(loc(at)); }
  llvm::SMLoc fileStart() const {
    return llvm::SMLoc::getFromPointer(
        sourceMgr_.getMemoryBuffer(sourceMgr_.getMainFileID())->getBufferStart());
  }
  LocationOf locationOf() {
    return [this](llvm::SMLoc at) { return loc(at); };
  }
  ConstantLookup constantsOf(const Scope &scope) {
    return [&scope](llvm::StringRef name) -> const Constant * {
      const Binding *b = scope.find(name);
      return b && b->constant ? &*b->constant : nullptr;
    };
  }
  std::string suggestion(llvm::StringRef name, const Scope &scope, bool callees);

  // ---- statements ----
  mlir::LogicalResult emitScope(llvm::ArrayRef<Statement> statements, Scope &scope,
                                llvm::ArrayRef<Name> reserved);
  mlir::LogicalResult emitStatement(const Statement &statement, Scope &scope);
  mlir::LogicalResult emitTensorDecl(const TensorDecl &decl, Scope &scope);
  mlir::FailureOr<mlir::RankedTensorType> declaredType(const TensorDecl &decl, const Scope &scope);
  mlir::FailureOr<mlir::DictionaryAttr> initializerArgs(const TensorDecl &decl, const Scope &scope,
                                                        llvm::StringRef &initName);
  mlir::LogicalResult bind(Scope &scope, const Name &name, Binding binding);

  // ---- expressions ----
  FailureOr<llvm::SmallVector<Value>> emitValues(const Expr &expr, Scope &scope, unsigned count,
                                                 mlir::Type elementHint = {});
  FailureOr<Value> emitTensor(const Expr &expr, Scope &scope, mlir::Type elementHint = {});
  FailureOr<Value> emitNumber(double value, llvm::SMLoc at, mlir::Type elementHint);
  FailureOr<llvm::SmallVector<Value>> emitCall(const Expr &call, Scope &scope, unsigned count);
  FailureOr<llvm::SmallVector<Value>> buildOp(llvm::StringRef name, llvm::SMLoc at,
                                              llvm::ArrayRef<Value> operands,
                                              llvm::ArrayRef<Argument> attributes,
                                              const Scope &scope, unsigned count);
  FailureOr<llvm::SmallVector<Value>> instantiate(const BlockDef &block, const Expr &call,
                                                  llvm::ArrayRef<Value> inputs, Scope &caller,
                                                  std::string prefix);
  std::string instancePrefix(const Scope &scope, llvm::StringRef blockName);

  // ---- the train section and the function signature ----
  mlir::LogicalResult emitTrain(const TrainSection &train, Scope &scope);
  mlir::LogicalResult finishFunction();

  const Module &ast_;
  llvm::SourceMgr &sourceMgr_;
  mlir::MLIRContext *ctx_;
  const ImportOptions &options_;
  mlir::OpBuilder builder_;

  mlir::ModuleOp module_;
  mlir::func::FuncOp forward_;
  llvm::StringMap<const BlockDef *> blocks_;
  llvm::SmallVector<llvm::StringRef> instantiationStack_;
  llvm::SmallVector<mlir::Location> callSites_; // locations of the enclosing block calls
  llvm::StringSet<> paramNames_;
  llvm::SmallVector<mlir::nn::ParamOp> params_;

  // Inputs with their source position, which orders the function's arguments.
  struct Input {
    const char *position;
    std::string name;
    mlir::BlockArgument argument;
  };
  llvm::SmallVector<Input> inputs_;
  struct Result {
    std::string name, role;
    Value value;
  };
  llvm::SmallVector<Result> results_;

  // Naming of block instances within the statement being emitted.
  std::string statementName_;
  unsigned blockCallsInStatement_ = 0;
  int64_t opCount_ = 0;
};

//===----------------------------------------------------------------------===//
// Module
//===----------------------------------------------------------------------===//

mlir::OwningOpRef<mlir::ModuleOp> Importer::run() {
  mlir::OwningOpRef<mlir::ModuleOp> owned = mlir::ModuleOp::create(loc(llvm::SMLoc()));
  module_ = *owned;
  module_->setAttr("nn.source", builder_.getStringAttr(ast_.fileName));

  for (const BlockDef &block : ast_.blocks) {
    if (mlir::RegisteredOperationName::lookup(("nn." + block.name.text), ctx_)) {
      error(block.name.loc) << "block '" << block.name.text << "' has the name of an op";
      return nullptr;
    }
    auto [it, inserted] = blocks_.try_emplace(block.name.text, &block);
    if (!inserted) {
      auto diag = error(block.name.loc) << "duplicate definition of block '" << block.name.text << "'";
      diag.attachNote(loc(it->second->name.loc)) << "first defined here";
      return nullptr;
    }
  }

  builder_.setInsertionPointToEnd(module_.getBody());
  forward_ = builder_.create<mlir::func::FuncOp>(loc(llvm::SMLoc()), "forward",
                                                 builder_.getFunctionType({}, {}));
  builder_.setInsertionPointToStart(forward_.addEntryBlock());

  if (options_.batch && llvm::none_of(ast_.statements, [](const Statement &s) {
        auto *let = std::get_if<LetDecl>(&s);
        return let && let->isBatch;
      })) {
    error(fileStart()) << "--batch is given but the file declares no batch symbol "
                          "(add e.g. 'batch B = 64' and use B in the input shapes)";
    return nullptr;
  }
  if (!options_.freeze.empty() && !ast_.train) {
    error(fileStart()) << "--freeze is given but the file has no train section";
    return nullptr;
  }
  Scope top;
  if (mlir::failed(emitScope(ast_.statements, top, {}))) return nullptr;
  if (ast_.train && mlir::failed(emitTrain(*ast_.train, top))) return nullptr;
  if (mlir::failed(finishFunction())) return nullptr;
  if (mlir::failed(mlir::verify(module_))) return nullptr;
  return owned;
}

mlir::LogicalResult Importer::finishFunction() {
  if (results_.empty()) {
    error(fileStart())
        << "the model computes nothing: add an 'output' statement or a 'train' section";
    return failure();
  }
  llvm::SmallVector<mlir::Value> values;
  llvm::SmallVector<mlir::Type> types;
  for (const Result &r : results_) {
    values.push_back(r.value);
    types.push_back(r.value.getType());
  }
  builder_.create<mlir::func::ReturnOp>(forward_.getLoc(), values);
  llvm::SmallVector<mlir::Type> argTypes(forward_.front().getArgumentTypes());
  forward_.setType(builder_.getFunctionType(argTypes, types));
  for (const Input &in : inputs_)
    forward_.setArgAttr(in.argument.getArgNumber(), "nn.name", builder_.getStringAttr(in.name));
  for (auto [i, r] : llvm::enumerate(results_)) {
    forward_.setResultAttr(i, "nn.name", builder_.getStringAttr(r.name));
    forward_.setResultAttr(i, "nn.role", builder_.getStringAttr(r.role));
  }
  return mlir::success();
}

//===----------------------------------------------------------------------===//
// Statements
//===----------------------------------------------------------------------===//

mlir::LogicalResult Importer::emitScope(llvm::ArrayRef<Statement> statements, Scope &scope,
                                        llvm::ArrayRef<Name> reserved) {
  auto order = orderStatements(statements, reserved, locationOf());
  if (!order) return failure();
  for (size_t index : *order)
    if (mlir::failed(emitStatement(statements[index], scope))) return failure();
  return mlir::success();
}

mlir::LogicalResult Importer::bind(Scope &scope, const Name &name, Binding binding) {
  if (name.text == "_") return mlir::success();
  if (blocks_.count(name.text)) {
    error(name.loc) << "'" << name.text << "' is already the name of a block";
    return failure();
  }
  scope.bindings[name.text] = std::move(binding);
  return mlir::success();
}

mlir::LogicalResult Importer::emitStatement(const Statement &statement, Scope &scope) {
  if (auto *let = std::get_if<LetDecl>(&statement)) {
    auto value = evaluateConstant(*let->value, constantsOf(scope), locationOf());
    if (!value) return failure();
    if (let->isBatch) {
      if (value->kind != Constant::Kind::Int || value->intValue < 1) {
        error(let->value->loc) << "the batch size must be a positive integer, got "
                               << value->describe();
        return failure();
      }
      if (options_.batch) value->intValue = *options_.batch;
      module_->setAttr("nn.batch", builder_.getI64IntegerAttr(value->intValue));
    }
    return bind(scope, let->name, Binding{std::move(*value), {}});
  }
  if (auto *decl = std::get_if<TensorDecl>(&statement)) return emitTensorDecl(*decl, scope);
  if (auto *assign = std::get_if<Assign>(&statement)) {
    statementName_ = scope.prefix.empty() ? assign->names.front().text
                                          : scope.prefix + "." + assign->names.front().text;
    blockCallsInStatement_ = 0;
    auto values = emitValues(*assign->value, scope, assign->names.size());
    if (mlir::failed(values)) return failure();
    if (values->size() != assign->names.size()) {
      error(assign->names.front().loc)
          << assign->names.size() << " names are bound but the expression gives "
          << values->size() << (values->size() == 1 ? " value" : " values");
      return failure();
    }
    for (auto [name, value] : llvm::zip(assign->names, *values))
      if (mlir::failed(bind(scope, name, Binding{std::nullopt, value}))) return failure();
    return mlir::success();
  }
  for (const Name &name : std::get<OutputDecl>(statement).names) {
    const Binding *b = scope.find(name.text);
    if (b && b->constant) {
      error(name.loc) << "output '" << name.text << "' is a compile-time "
                      << (b->constant->isNumber() ? "number" : "value") << ", not a tensor";
      return failure();
    }
    if (!b || !b->tensor) {
      error(name.loc) << "output '" << name.text << "' is not a tensor defined in this file"
                      << suggestion(name.text, scope, false);
      return failure();
    }
    if (llvm::any_of(results_, [&](const Result &r) { return r.name == name.text; })) {
      error(name.loc) << "'" << name.text << "' is already an output";
      return failure();
    }
    results_.push_back({name.text, "output", b->tensor});
  }
  return mlir::success();
}

mlir::FailureOr<mlir::RankedTensorType> Importer::declaredType(const TensorDecl &decl,
                                                                 const Scope &scope) {
  mlir::Type element = mlir::nn::parseDType(ctx_, decl.dtype.text);
  if (!element) {
    error(decl.dtype.loc) << "unsupported dtype '" << decl.dtype.text
                          << "' (expected f32, f64, i32, i64 or i1)";
    return failure();
  }
  llvm::SmallVector<int64_t> shape;
  int64_t elements = 1;
  for (const ExprPtr &dim : decl.dims) {
    auto size = evaluateInteger(*dim, constantsOf(scope), locationOf(), "a dimension");
    if (!size) return failure();
    if (*size < 1) {
      error(dim->loc) << "dimension " << shape.size() << " of '" << decl.name.text
                      << "' must be positive, got " << *size;
      return failure();
    }
    if (*size > mlir::nn::kMaxElements / elements) {
      error(decl.shapeLoc) << "'" << decl.name.text
                           << "' would have more than 2^48 elements (its element count overflows)";
      return failure();
    }
    elements *= *size;
    shape.push_back(*size);
  }
  return mlir::RankedTensorType::get(shape, element);
}

mlir::FailureOr<mlir::DictionaryAttr> Importer::initializerArgs(const TensorDecl &decl,
                                                                  const Scope &scope,
                                                                  llvm::StringRef &initName) {
  const Expr &init = *decl.init;
  initName = init.text;
  const mlir::nn::InitializerSpec *spec = mlir::nn::findInitializer(init.text);
  if (!spec || (init.kind != Expr::Kind::Ref && init.kind != Expr::Kind::Call) ||
      init.hasBlockArgs) {
    std::string names;
    for (const auto &s : mlir::nn::initializers()) names += (names.empty() ? "" : ", ") + s.name.str();
    error(init.loc) << "unknown initializer '" << init.text << "' (expected one of: " << names << ")";
    return failure();
  }
  if (!init.operands.empty()) {
    error(init.operands.front()->loc) << "initializer arguments are named, e.g. "
                                      << init.text << "(gain=relu)";
    return failure();
  }
  llvm::StringMap<Constant> given;
  for (const Argument &arg : init.attributes) {
    auto value = evaluateConstant(*arg.value, constantsOf(scope), locationOf());
    if (!value) return failure();
    if (!given.try_emplace(arg.name.text, std::move(*value)).second) {
      error(arg.name.loc) << "argument '" << arg.name.text << "' is given twice";
      return failure();
    }
  }
  llvm::SmallVector<mlir::NamedAttribute> args;
  auto number = [&](llvm::StringRef name, double fallback) -> std::optional<double> {
    auto it = given.find(name);
    if (it == given.end()) return fallback;
    if (!it->second.isNumber()) {
      auto at = llvm::find_if(init.attributes, [&](const Argument &a) { return a.name.text == name; });
      error(at->value->loc) << "'" << name << "' must be a number, got " << it->second.describe();
      return std::nullopt;
    }
    double v = it->second.asDouble();
    given.erase(it);
    return v;
  };
  for (auto [name, fallback] : spec->numericArgs) {
    auto v = number(name, fallback);
    if (!v) return failure();
    args.push_back(builder_.getNamedAttr(name, builder_.getF64FloatAttr(*v)));
  }
  if (spec->takesGain) {
    double gain = spec->defaultGain;
    auto slope = number("slope", 0.01);
    if (!slope) return failure();
    if (auto it = given.find("gain"); it != given.end()) {
      if (it->second.isNumber()) {
        gain = it->second.asDouble();
      } else if (auto g = mlir::nn::nonlinearityGain(it->second.text, *slope);
                 g && it->second.kind == Constant::Kind::Symbol) {
        gain = *g;
      } else {
        auto at = llvm::find_if(init.attributes, [](const Argument &a) { return a.name.text == "gain"; });
        error(at->value->loc) << "unknown gain '" << it->second.text
                              << "' (expected linear, sigmoid, tanh, relu, leaky_relu or a number)";
        return failure();
      }
      given.erase(it);
    }
    args.push_back(builder_.getNamedAttr("gain", builder_.getF64FloatAttr(gain)));
  }
  if (spec->takesMode) {
    std::string mode = "fan_in";
    if (auto it = given.find("mode"); it != given.end()) {
      if (it->second.text != "fan_in" && it->second.text != "fan_out") {
        auto at = llvm::find_if(init.attributes, [](const Argument &a) { return a.name.text == "mode"; });
        error(at->value->loc) << "mode must be fan_in or fan_out";
        return failure();
      }
      mode = it->second.text;
      given.erase(it);
    }
    args.push_back(builder_.getNamedAttr("mode", builder_.getStringAttr(mode)));
  }
  if (!given.empty()) {
    auto at = llvm::find_if(init.attributes, [&](const Argument &a) { return given.count(a.name.text); });
    error(at->name.loc) << "initializer '" << init.text << "' takes no argument '"
                        << at->name.text << "'";
    return failure();
  }
  if (spec->takesGain && decl.dims.size() < 1) {
    error(init.loc) << "'" << init.text << "' needs a tensor of rank >= 1 to compute its fans";
    return failure();
  }
  return builder_.getDictionaryAttr(args);
}

mlir::LogicalResult Importer::emitTensorDecl(const TensorDecl &decl, Scope &scope) {
  auto type = declaredType(decl, scope);
  if (mlir::failed(type)) return failure();
  if (decl.role == TensorDecl::Role::Input) {
    mlir::Block &entry = forward_.front();
    const char *position = decl.name.loc.getPointer();
    unsigned index = llvm::count_if(inputs_, [&](const Input &in) { return in.position < position; });
    mlir::BlockArgument arg = entry.insertArgument(index, *type, loc(decl.name.loc));
    inputs_.push_back({position, decl.name.text, arg});
    return bind(scope, decl.name, Binding{std::nullopt, arg});
  }
  if (!mlir::isa<mlir::FloatType>(type->getElementType())) {
    error(decl.dtype.loc) << "parameters and buffers must be f32 or f64, got '" << decl.dtype.text << "'";
    return failure();
  }
  llvm::StringRef initName;
  auto args = initializerArgs(decl, scope, initName);
  if (mlir::failed(args)) return failure();
  std::string symbol = scope.prefix.empty() ? decl.name.text : scope.prefix + "." + decl.name.text;
  if (!paramNames_.insert(symbol).second) {
    error(decl.name.loc) << "parameter '" << symbol << "' is defined twice";
    return failure();
  }
  mlir::OpBuilder moduleBuilder(ctx_);
  moduleBuilder.setInsertionPoint(forward_);
  auto param = moduleBuilder.create<mlir::nn::ParamOp>(
      loc(decl.name.loc), symbol, *type, initName, *args,
      decl.role == TensorDecl::Role::Param);
  params_.push_back(param);
  auto load = builder_.create<mlir::nn::LoadOp>(loc(decl.name.loc), *type, symbol);
  return bind(scope, decl.name, Binding{std::nullopt, load.getResult()});
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

std::string Importer::suggestion(llvm::StringRef name, const Scope &scope, bool callees) {
  std::string best;
  unsigned bestDistance = 3;
  auto consider = [&](llvm::StringRef candidate) {
    unsigned d = name.edit_distance(candidate, true, bestDistance);
    if (d > 0 && d < bestDistance) {
      bestDistance = d;
      best = candidate.str();
    }
  };
  if (callees) {
    for (mlir::RegisteredOperationName op : ctx_->getRegisteredOperations())
      if (op.getDialectNamespace() == "nn" && !op.hasTrait<mlir::nn::NNInternal>())
        consider(op.getStringRef().drop_front(3));
    for (auto &block : blocks_) consider(block.getKey());
  } else {
    for (const Scope *s = &scope; s; s = s->constants)
      for (auto &entry : s->bindings) consider(entry.getKey());
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

FailureOr<Value> Importer::emitNumber(double value, llvm::SMLoc at, mlir::Type elementHint) {
  mlir::Type element = elementHint && mlir::isa<mlir::FloatType>(elementHint)
                           ? elementHint
                           : mlir::Type(builder_.getF32Type());
  auto type = mlir::RankedTensorType::get({}, element);
  auto attr = mlir::DenseElementsAttr::get(type, builder_.getFloatAttr(element, value));
  return builder_.create<mlir::nn::ConstantOp>(loc(at), type, attr).getResult();
}

FailureOr<Value> Importer::emitTensor(const Expr &expr, Scope &scope, mlir::Type elementHint) {
  auto values = emitValues(expr, scope, 1, elementHint);
  if (mlir::failed(values)) return failure();
  if (values->size() != 1) {
    error(expr.loc) << "expected one value, but this gives " << values->size()
                    << " (bind them with 'a, b = ...')";
    return failure();
  }
  return values->front();
}

FailureOr<llvm::SmallVector<Value>> Importer::emitValues(const Expr &expr, Scope &scope,
                                                         unsigned count, mlir::Type elementHint) {
  using Values = llvm::SmallVector<Value>;
  auto single = [](FailureOr<Value> v) -> FailureOr<Values> {
    if (mlir::failed(v)) return failure();
    return Values{*v};
  };
  switch (expr.kind) {
  case Expr::Kind::Int:
    return single(emitNumber(double(expr.intValue), expr.loc, elementHint));
  case Expr::Kind::Float:
    return single(emitNumber(expr.floatValue, expr.loc, elementHint));
  case Expr::Kind::Ref: {
    const Binding *b = scope.find(expr.text);
    if (b && b->tensor) return Values{b->tensor};
    if (b && b->constant && b->constant->isNumber())
      return single(emitNumber(b->constant->asDouble(), expr.loc, elementHint));
    if (b) {
      error(expr.loc) << "'" << expr.text << "' is " << b->constant->describe()
                      << ", not a tensor";
      return failure();
    }
    error(expr.loc) << "unknown name '" << expr.text << "'" << suggestion(expr.text, scope, false);
    return failure();
  }
  case Expr::Kind::String:
  case Expr::Kind::List:
    error(expr.loc) << "expected a tensor, found " << (expr.kind == Expr::Kind::List ? "a list" : "a string");
    return failure();
  case Expr::Kind::Negate: {
    auto operand = emitTensor(*expr.operands[0], scope, elementHint);
    if (mlir::failed(operand)) return failure();
    return buildOp("neg", expr.loc, {*operand}, {}, scope, 1);
  }
  case Expr::Kind::Binary: {
    // A literal side takes the element type of the other side.
    const Expr &l = *expr.operands[0], &r = *expr.operands[1];
    bool literalLhs = l.kind == Expr::Kind::Int || l.kind == Expr::Kind::Float;
    FailureOr<Value> lhs = failure(), rhs = failure();
    if (literalLhs) {
      rhs = emitTensor(r, scope, elementHint);
      if (mlir::failed(rhs)) return failure();
      lhs = emitTensor(l, scope, mlir::getElementTypeOrSelf(rhs->getType()));
    } else {
      lhs = emitTensor(l, scope, elementHint);
      if (mlir::failed(lhs)) return failure();
      rhs = emitTensor(r, scope, mlir::getElementTypeOrSelf(lhs->getType()));
    }
    if (mlir::failed(lhs) || mlir::failed(rhs)) return failure();
    const char *name = expr.op == '+' ? "add" : expr.op == '-' ? "sub" : expr.op == '*' ? "mul" : "div";
    return buildOp(name, expr.loc, {*lhs, *rhs}, {}, scope, 1);
  }
  case Expr::Kind::Call:
    return emitCall(expr, scope, count);
  case Expr::Kind::Repeat: {
    auto times = evaluateInteger(*expr.operands[0], constantsOf(scope), locationOf(), "the repeat count");
    if (!times) return failure();
    if (*times < 1 || *times > 10000) {
      error(expr.operands[0]->loc) << "the repeat count must be between 1 and 10000, got " << *times;
      return failure();
    }
    const Expr &call = *expr.operands[1];
    auto block = blocks_.find(call.text);
    if (block == blocks_.end()) {
      error(call.loc) << "'repeat' applies a block, and '" << call.text << "' is not one"
                      << suggestion(call.text, scope, true);
      return failure();
    }
    if (call.operands.empty()) {
      error(call.loc) << "'repeat' needs a block with at least one input to chain";
      return failure();
    }
    Values inputs;
    for (const ExprPtr &operand : call.operands) {
      auto v = emitTensor(*operand, scope);
      if (mlir::failed(v)) return failure();
      inputs.push_back(*v);
    }
    std::string prefix = instancePrefix(scope, call.text);
    Values outputs;
    for (int64_t i = 0; i < *times; ++i) {
      auto results = instantiate(*block->second, call, inputs, scope, prefix + "." + std::to_string(i));
      if (mlir::failed(results)) return failure();
      if (results->front().getType() != inputs.front().getType()) {
        error(call.loc) << "'repeat' feeds the block's first result back into its first input, but "
                        << mlir::nn::formatType(results->front().getType()) << " is not "
                        << mlir::nn::formatType(inputs.front().getType());
        return failure();
      }
      inputs.front() = results->front();
      outputs = *results;
    }
    return outputs;
  }
  }
  return failure();
}

std::string Importer::instancePrefix(const Scope &scope, llvm::StringRef blockName) {
  // The first block call of `a = ...` is instance `a`; further ones are `a.<block>`,
  // `a.<block>_2`, ... so every instance has its own, stable name.
  std::string prefix = statementName_;
  if (blockCallsInStatement_++ > 0) prefix += "." + blockName.str();
  std::string unique = prefix;
  for (int n = 2; llvm::any_of(paramNames_.keys(), [&](llvm::StringRef p) {
         return p.starts_with(unique + ".");
       });
       ++n)
    unique = prefix + "_" + std::to_string(n);
  return unique;
}

FailureOr<llvm::SmallVector<Value>> Importer::emitCall(const Expr &call, Scope &scope,
                                                       unsigned count) {
  llvm::SmallVector<Value> operands;
  for (const ExprPtr &operand : call.operands) {
    auto v = emitTensor(*operand, scope);
    if (mlir::failed(v)) return failure();
    operands.push_back(*v);
  }
  if (auto block = blocks_.find(call.text); block != blocks_.end())
    return instantiate(*block->second, call, operands, scope, instancePrefix(scope, call.text));
  if (call.hasBlockArgs) {
    error(call.loc) << "'" << call.text << "' is not a block; '<...>' passes block parameters"
                    << suggestion(call.text, scope, true);
    return failure();
  }
  return buildOp(call.text, call.loc, operands, call.attributes, scope, count);
}

FailureOr<llvm::SmallVector<Value>> Importer::buildOp(llvm::StringRef name, llvm::SMLoc at,
                                                      llvm::ArrayRef<Value> operands,
                                                      llvm::ArrayRef<Argument> attributes,
                                                      const Scope &scope, unsigned count) {
  std::string fullName = ("nn." + name).str();
  auto registered = mlir::RegisteredOperationName::lookup(fullName, ctx_);
  if (!registered || registered->hasTrait<mlir::nn::NNInternal>()) {
    error(at) << "unknown op '" << name << "'" << suggestion(name, scope, true);
    return failure();
  }
  if (++opCount_ > options_.maxOps) {
    error(at) << "the graph has more than " << options_.maxOps << " ops";
    return failure();
  }
  mlir::NamedAttrList defaults;
  registered->populateDefaultAttrs(defaults);
  llvm::ArrayRef<mlir::StringAttr> known = registered->getAttributeNames();
  mlir::NamedAttrList attrs;
  for (const Argument &arg : attributes) {
    if (!llvm::is_contained(known, mlir::StringAttr::get(ctx_, arg.name.text))) {
      std::string names;
      for (mlir::StringAttr k : known) names += (names.empty() ? "" : ", ") + k.str();
      error(arg.name.loc) << "'" << name << "' has no attribute '" << arg.name.text << "'"
                          << (names.empty() ? " (it takes none)" : " (it takes: " + names + ")");
      return failure();
    }
    if (attrs.get(arg.name.text)) {
      error(arg.name.loc) << "attribute '" << arg.name.text << "' is given twice";
      return failure();
    }
    auto value = evaluateConstant(*arg.value, constantsOf(scope), locationOf());
    if (!value) return failure();
    mlir::Attribute attr =
        toAttribute(*value, defaults.get(arg.name.text), ctx_, loc(arg.value->loc), arg.name.text);
    if (!attr) return failure();
    attrs.set(arg.name.text, attr);
  }
  for (mlir::NamedAttribute d : defaults)
    if (!attrs.get(d.getName())) attrs.push_back(d);

  unsigned numResults = registered->hasTrait<mlir::OpTrait::OneResult>() ? 1 : count;
  if (numResults != count) {
    error(at) << "'" << name << "' has one result but " << count << " names are bound";
    return failure();
  }
  mlir::OperationState state(loc(at), *registered);
  state.addOperands(operands);
  state.addAttributes(attrs);
  state.addTypes(llvm::SmallVector<mlir::Type>(numResults, mlir::UnrankedTensorType::get(builder_.getF32Type())));
  mlir::Operation *op = builder_.create(state);
  // ODS checks (operand counts, attribute kinds) first, then the shape rule types it.
  llvm::SmallVector<mlir::Type> types;
  if (mlir::failed(mlir::verify(op, /*verifyRecursively=*/false)) ||
      mlir::failed(mlir::cast<mlir::nn::ShapeInference>(op).inferResultTypes(types))) {
    op->erase();
    return failure();
  }
  for (auto [result, type] : llvm::zip(op->getResults(), types)) result.setType(type);
  return llvm::SmallVector<Value>(op->getResults());
}

FailureOr<llvm::SmallVector<Value>> Importer::instantiate(const BlockDef &block, const Expr &call,
                                                          llvm::ArrayRef<Value> inputs,
                                                          Scope &caller, std::string prefix) {
  if (llvm::is_contained(instantiationStack_, block.name.text)) {
    std::string path;
    for (llvm::StringRef b : instantiationStack_) path += b.str() + " -> ";
    error(call.loc) << "cycle in block instantiation: " << path << block.name.text;
    return failure();
  }
  if (instantiationStack_.size() >= 64) {
    error(call.loc) << "blocks are nested more than 64 deep";
    return failure();
  }
  if (inputs.size() != block.inputs.size()) {
    error(call.loc) << "block '" << block.name.text << "' takes " << block.inputs.size()
                    << (block.inputs.size() == 1 ? " tensor input" : " tensor inputs") << ", got "
                    << inputs.size();
    return failure();
  }
  if (!call.attributes.empty()) {
    error(call.attributes.front().name.loc)
        << "block parameters go in '<...>': " << block.name.text << "<"
        << call.attributes.front().name.text << "=...>(...)";
    return failure();
  }

  Scope scope;
  scope.constants = caller.constants ? caller.constants : &caller;
  scope.prefix = std::move(prefix);
  // Parameters: positional first, then by name, then defaults.
  llvm::SmallVector<const Expr *> given(block.params.size(), nullptr);
  size_t position = 0;
  for (const Argument &arg : call.blockArgs) {
    size_t index = position;
    if (!arg.name.text.empty()) {
      auto it = llvm::find_if(block.params, [&](const BlockParam &p) { return p.name.text == arg.name.text; });
      if (it == block.params.end()) {
        error(arg.name.loc) << "block '" << block.name.text << "' has no parameter '" << arg.name.text << "'";
        return failure();
      }
      index = it - block.params.begin();
    } else if (position++ >= block.params.size()) {
      error(arg.value->loc) << "block '" << block.name.text << "' takes " << block.params.size()
                            << " parameters, got more";
      return failure();
    }
    if (given[index]) {
      error(arg.value->loc) << "parameter '" << block.params[index].name.text << "' is given twice";
      return failure();
    }
    given[index] = arg.value.get();
  }
  for (auto [i, param] : llvm::enumerate(block.params)) {
    std::optional<Constant> value;
    if (given[i]) value = evaluateConstant(*given[i], constantsOf(caller), locationOf());
    else if (param.defaultValue) value = evaluateConstant(*param.defaultValue, constantsOf(scope), locationOf());
    else {
      error(call.loc) << "block '" << block.name.text << "' needs parameter '" << param.name.text << "'";
      return failure();
    }
    if (!value) return failure();
    scope.bindings[param.name.text] = Binding{std::move(*value), {}};
  }
  llvm::SmallVector<Name> reserved;
  for (const BlockParam &p : block.params) reserved.push_back(p.name);
  for (auto [name, value] : llvm::zip(block.inputs, inputs)) {
    if (scope.bindings.count(name.text)) {
      error(name.loc) << "duplicate definition of '" << name.text << "'";
      return failure();
    }
    scope.bindings[name.text] = Binding{std::nullopt, value};
    reserved.push_back(name);
  }

  instantiationStack_.push_back(block.name.text);
  callSites_.push_back(loc(call.loc));
  std::string savedName = statementName_;
  unsigned savedCalls = blockCallsInStatement_;
  auto done = llvm::make_scope_exit([&] {
    instantiationStack_.pop_back();
    callSites_.pop_back();
    statementName_ = savedName;
    blockCallsInStatement_ = savedCalls;
  });
  if (mlir::failed(emitScope(block.body, scope, reserved))) return failure();
  llvm::SmallVector<Value> results;
  statementName_ = scope.prefix + ".out";
  blockCallsInStatement_ = 0;
  for (const ExprPtr &result : block.results) {
    auto v = emitTensor(*result, scope);
    if (mlir::failed(v)) return failure();
    results.push_back(*v);
  }
  return results;
}

//===----------------------------------------------------------------------===//
// The train section
//===----------------------------------------------------------------------===//

mlir::LogicalResult Importer::emitTrain(const TrainSection &train, Scope &scope) {
  if (!train.minimize) {
    error(train.loc) << "the train section needs 'minimize <loss>'";
    return failure();
  }
  if (!train.optimizer) {
    error(train.loc) << "the train section needs an optimizer, e.g. 'optimizer sgd(lr=0.1)'";
    return failure();
  }
  const Binding *loss = scope.find(train.minimize->text);
  if (!loss || !loss->tensor) {
    error(train.minimize->loc) << "unknown value '" << train.minimize->text << "' to minimize"
                               << suggestion(train.minimize->text, scope, false);
    return failure();
  }
  auto lossType = mlir::cast<mlir::RankedTensorType>(loss->tensor.getType());
  if (lossType.getRank() != 0 || !mlir::isa<mlir::FloatType>(lossType.getElementType())) {
    error(train.minimize->loc) << "the loss must be a 0-d floating-point value, but '"
                               << train.minimize->text << "' is " << mlir::nn::formatType(lossType);
    return failure();
  }
  results_.push_back({train.minimize->text, "loss", loss->tensor});

  // Optimizer with PyTorch's defaults filled in.
  const Expr &opt = *train.optimizer;
  const mlir::nn::OptimizerSpec *spec = mlir::nn::findOptimizer(opt.text);
  if (!spec || opt.hasBlockArgs || !(opt.kind == Expr::Kind::Call || opt.kind == Expr::Kind::Ref)) {
    std::string names;
    for (const auto &s : mlir::nn::optimizers()) names += (names.empty() ? "" : ", ") + s.name.str();
    error(opt.loc) << "unknown optimizer '" << opt.text << "' (expected one of: " << names << ")";
    return failure();
  }
  if (!opt.operands.empty()) {
    error(opt.operands.front()->loc) << "optimizer hyperparameters are named, e.g. sgd(lr=0.1)";
    return failure();
  }
  mlir::NamedAttrList hyper;
  for (const Argument &arg : opt.attributes) {
    const mlir::nn::Hyperparameter *h = mlir::nn::findHyperparameter(*spec, arg.name.text);
    if (!h) {
      std::string names;
      for (const auto &x : spec->hyperparameters) names += (names.empty() ? "" : ", ") + x.name.str();
      error(arg.name.loc) << "optimizer '" << spec->name << "' has no hyperparameter '"
                          << arg.name.text << "' (it takes: " << names << ")";
      return failure();
    }
    if (hyper.get(arg.name.text)) {
      error(arg.name.loc) << "hyperparameter '" << arg.name.text << "' is given twice";
      return failure();
    }
    auto value = evaluateConstant(*arg.value, constantsOf(scope), locationOf());
    if (!value) return failure();
    using K = mlir::nn::Hyperparameter::Kind;
    mlir::Attribute attr;
    if (h->kind == K::Float && value->isNumber() && value->asDouble() >= 0)
      attr = builder_.getF64FloatAttr(value->asDouble());
    else if (h->kind == K::Bool && value->kind == Constant::Kind::Bool)
      attr = builder_.getBoolAttr(value->boolValue);
    else if (h->kind == K::FloatPair && value->kind == Constant::Kind::List && value->items.size() == 2 &&
             value->items[0].isNumber() && value->items[1].isNumber())
      attr = builder_.getDenseF64ArrayAttr({value->items[0].asDouble(), value->items[1].asDouble()});
    if (!attr) {
      auto diag = error(arg.value->loc) << "hyperparameter '" << h->name << "' expects "
                            << (h->kind == K::Float ? "a non-negative number"
                                : h->kind == K::Bool ? "true or false"
                                                     : "a list of two numbers")
                            << ", got ";
      if (value->isNumber()) diag << value->asDouble();
      else diag << value->describe();
      return failure();
    }
    hyper.set(arg.name.text, attr);
  }
  for (const mlir::nn::Hyperparameter &h : spec->hyperparameters) {
    if (hyper.get(h.name)) continue;
    using K = mlir::nn::Hyperparameter::Kind;
    if (h.kind == K::Float && std::isnan(h.value)) {
      error(opt.loc) << "optimizer '" << spec->name << "' needs '" << h.name << "'";
      return failure();
    }
    hyper.set(h.name, h.kind == K::Float ? mlir::Attribute(builder_.getF64FloatAttr(h.value))
                      : h.kind == K::Bool ? mlir::Attribute(builder_.getBoolAttr(h.value != 0))
                                          : mlir::Attribute(builder_.getDenseF64ArrayAttr({h.value, h.second})));
  }

  // Metrics are computed in the forward function, next to the loss.
  llvm::SmallVector<mlir::Attribute> metricNames;
  for (const Metric &metric : train.metrics) {
    statementName_ = metric.name.text;
    blockCallsInStatement_ = 0;
    auto value = emitTensor(*metric.value, scope);
    if (mlir::failed(value)) return failure();
    auto type = mlir::cast<mlir::RankedTensorType>(value->getType());
    if (type.getRank() != 0) {
      error(metric.value->loc) << "a metric must be 0-d, but '" << metric.name.text << "' is "
                               << mlir::nn::formatType(type);
      return failure();
    }
    if (llvm::any_of(results_, [&](const Result &r) { return r.name == metric.name.text; })) {
      error(metric.name.loc) << "'" << metric.name.text << "' is already a result; name the metric: "
                             << "metric other = ...";
      return failure();
    }
    results_.push_back({metric.name.text, "metric", *value});
    metricNames.push_back(builder_.getStringAttr(metric.name.text));
  }

  // Frozen parameters: a name freezes that parameter, or every parameter of an instance.
  // `nnc compile --freeze` adds names (reported at the train section).
  llvm::SmallVector<mlir::Attribute> frozen;
  llvm::StringSet<> frozenSymbols;
  auto freeze = [&](llvm::StringRef text, llvm::SMLoc at, bool fromFlag) -> bool {
    bool matched = false;
    for (mlir::nn::ParamOp param : params_) {
      llvm::StringRef symbol = param.getSymName();
      if (symbol == text || symbol.starts_with((text + ".").str())) {
        if (!param.getTrainable()) continue;
        if (frozenSymbols.insert(symbol).second) frozen.push_back(mlir::FlatSymbolRefAttr::get(ctx_, symbol));
        matched = true;
      }
    }
    if (!matched)
      error(at) << (fromFlag ? "--freeze: '" : "'") << text << "' names no trainable parameter or block instance";
    return matched;
  };
  for (const Name &name : train.frozen)
    if (!freeze(name.text, name.loc, false)) return failure();
  for (const std::string &name : options_.freeze)
    if (!freeze(name, train.loc, true)) return failure();

  // Gradient clipping: a positive bound on the global norm of all gradients.
  mlir::FloatAttr maxGradNorm;
  if (train.clipGradNorm) {
    auto value = evaluateConstant(*train.clipGradNorm, constantsOf(scope), locationOf());
    if (!value) return failure();
    if (!value->isNumber() || !(value->asDouble() > 0) || !std::isfinite(value->asDouble())) {
      auto diag = error(train.clipGradNorm->loc) << "clip_grad_norm expects a positive number, got ";
      if (value->isNumber()) diag << value->asDouble();
      else diag << value->describe();
      return failure();
    }
    maxGradNorm = builder_.getF64FloatAttr(value->asDouble());
  }

  mlir::OpBuilder moduleBuilder(ctx_);
  moduleBuilder.setInsertionPointToEnd(module_.getBody());
  moduleBuilder.create<mlir::nn::TrainOp>(
      loc(train.loc), mlir::FlatSymbolRefAttr::get(forward_.getSymNameAttr()),
      moduleBuilder.getStringAttr(train.minimize->text), moduleBuilder.getStringAttr(spec->name),
      hyper.getDictionary(ctx_), moduleBuilder.getArrayAttr(metricNames),
      moduleBuilder.getArrayAttr(frozen), maxGradNorm);
  return mlir::success();
}

} // namespace

mlir::OwningOpRef<mlir::ModuleOp> importModule(const Module &module, llvm::SourceMgr &sourceMgr,
                                               mlir::MLIRContext &context,
                                               const ImportOptions &options) {
  context.loadDialect<mlir::nn::NNDialect, mlir::func::FuncDialect>();
  return Importer(module, sourceMgr, context, options).run();
}

} // namespace nnc::frontend
