// --emit=fusion-report and --emit=memory-report (Reports.h).
#include "lowering/Reports.h"
#include "lowering/MemoryPlan.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <optional>

namespace nnc {

namespace {

std::string shape(llvm::ArrayRef<int64_t> dims) {
  std::string s;
  for (int64_t d : dims) s += (s.empty() ? "" : "x") + std::to_string(d);
  return s.empty() ? "scalar" : s;
}

// `file:line:col` of the first file location inside `loc` (fused or named), or "".
std::string where(mlir::Location loc) {
  std::string found;
  loc->walk([&](mlir::Location l) {
    if (auto f = llvm::dyn_cast<mlir::FileLineColLoc>(l)) {
      found = llvm::formatv("{0}:{1}:{2}", llvm::sys::path::filename(f.getFilename().getValue()), f.getLine(),
                            f.getColumn()).str();
      return mlir::WalkResult::interrupt();
    }
    return mlir::WalkResult::advance();
  });
  return found.empty() ? "(results)" : found;
}

std::string bytes(int64_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out + " B";
}

int64_t bufferBytes(mlir::Type t) {
  auto m = llvm::dyn_cast<mlir::MemRefType>(t);
  if (!m || !m.hasStaticShape()) return 0;
  return m.getNumElements() * std::max<int64_t>(1, m.getElementTypeBitWidth() / 8);
}

bool isEntry(mlir::func::FuncOp f) { return !f.isExternal() && !f.isPrivate(); }

// What a loop nest computes, in a few words: its body's ops, once each, in order.
std::string bodySummary(mlir::linalg::LinalgOp op) {
  if (llvm::isa<mlir::linalg::FillOp>(op)) return "fill";
  if (llvm::isa<mlir::linalg::CopyOp>(op)) return "copy";
  llvm::SetVector<llvm::StringRef> names;
  for (mlir::Operation &inner : op.getBlock()->without_terminator()) names.insert(inner.getName().getStringRef());
  if (names.empty()) return "copy";
  std::string s;
  for (llvm::StringRef n : names) s += (s.empty() ? "" : " ") + n.str();
  return s;
}

std::string kernelLine(mlir::Operation *op) {
  if (auto call = llvm::dyn_cast<mlir::func::CallOp>(op)) {
    llvm::SmallVector<int64_t> v;
    for (mlir::Value a : call.getOperands().take_front(7)) {
      auto c = a.getDefiningOp<mlir::arith::ConstantIntOp>();
      v.push_back(c ? c.value() : -1);
    }
    std::string orientation = v[4] && v[5] ? "Aᵀ·Bᵀ" : v[4] ? "Aᵀ·B" : v[5] ? "A·Bᵀ" : "A·B";
    std::string batch = v[0] > 1 ? std::to_string(v[0]) + " × " : "";
    // The bias variant's seventh argument says along which axis the bias goes.
    bool bias = call.getCallee().contains("_bias_");
    if (bias) orientation += v[6] ? " + bias[n]" : " + bias[m]";
    return llvm::formatv("gemm  {0}{1}x{2}x{3} C {4} {5} ({6})", batch, v[1], v[2], v[3],
                         !bias && v[6] ? "+=" : "=", orientation, call.getCallee()).str();
  }
  auto linalg = llvm::cast<mlir::linalg::LinalgOp>(op);
  llvm::SmallVector<int64_t> ranges = linalg.getStaticLoopRanges();
  int64_t reductions = linalg.getNumReductionLoops();
  std::string space = shape(ranges);
  return llvm::formatv("loops {0}{1}: {2}", space, reductions ? " (" + std::to_string(reductions) + " reduced)" : "",
                       bodySummary(linalg)).str();
}

int64_t tensorBytes(mlir::Type t) {
  auto r = llvm::dyn_cast<mlir::RankedTensorType>(t);
  if (!r || !r.hasStaticShape()) return 0;
  return r.getNumElements() * std::max<int64_t>(1, r.getElementTypeBitWidth() / 8);
}

// The training side of a train step, from its nn IR (before fusion): the gradients (one
// per trained parameter) and the activations saved for the backward pass (values the
// forward pass computes, up to the loss, that an op after the loss reads).
struct TrainingMemory {
  int64_t gradientBytes = 0, gradients = 0;
  int64_t savedBytes = 0, saved = 0;
};

std::optional<TrainingMemory> trainingMemory(mlir::ModuleOp nnModule, const llvm::StringMap<std::string> &kindOf) {
  auto step = nnModule.lookupSymbol<mlir::func::FuncOp>("train_step");
  if (!step || step.isExternal()) return std::nullopt;
  mlir::Block &body = step.getBody().front();
  auto ret = llvm::cast<mlir::func::ReturnOp>(body.getTerminator());
  mlir::Operation *lossOp = nullptr;
  for (unsigned i = 0; i < ret.getNumOperands(); ++i)
    if (auto role = step.getResultAttrOfType<mlir::StringAttr>(i, "nn.role"); role && role.getValue() == "loss")
      lossOp = ret.getOperand(i).getDefiningOp();
  if (!lossOp) return std::nullopt;
  TrainingMemory m;
  bool forward = true;
  for (mlir::Operation &op : body) {
    llvm::StringRef name = op.getName().getStringRef();
    if (name == "nn.store") {
      auto target = op.getAttrOfType<mlir::FlatSymbolRefAttr>("name");
      if (target && kindOf.lookup(target.getValue()) == "parameters")
        m.gradientBytes += tensorBytes(op.getOperand(0).getType()), m.gradients++;
    }
    if (forward && name != "nn.load" && name != "nn.constant")
      for (mlir::Value v : op.getResults())
        if (llvm::any_of(v.getUsers(), [&](mlir::Operation *u) { return u != ret && lossOp->isBeforeInBlock(u); }))
          m.savedBytes += tensorBytes(v.getType()), m.saved++;
    if (&op == lossOp) forward = false;
  }
  return m;
}

} // namespace

std::string fusionReport(mlir::ModuleOp module) {
  std::string out;
  for (auto f : module.getOps<mlir::func::FuncOp>()) {
    if (!isEntry(f)) continue;
    llvm::SmallVector<mlir::Operation *> kernels;
    for (mlir::Operation &op : f.getBody().front())
      if (llvm::isa<mlir::linalg::LinalgOp>(op) || llvm::isa<mlir::func::CallOp>(op)) kernels.push_back(&op);
    int64_t gemms = llvm::count_if(kernels, [](mlir::Operation *op) { return llvm::isa<mlir::func::CallOp>(op); });
    out += llvm::formatv("{0}: {1} kernels ({2} matrix products, {3} loop nests)\n", f.getName(), kernels.size(), gemms,
                         kernels.size() - gemms).str();
    for (auto [i, op] : llvm::enumerate(kernels))
      out += llvm::formatv("  {0,3} {1}  @ {2}\n", i + 1, kernelLine(op), where(op->getLoc())).str();
  }
  return out;
}

std::string memoryReport(mlir::ModuleOp module, mlir::ModuleOp nnModule) {
  // State kinds from the nn.param ops: trainable parameters, optimizer state (nn.state_of)
  // and buffers (running statistics).
  llvm::StringMap<std::string> kindOf;
  nnModule.walk([&](mlir::Operation *op) {
    if (op->getName().getStringRef() != "nn.param") return;
    auto name = op->getAttrOfType<mlir::StringAttr>("sym_name");
    if (!name) return;
    bool trainable = op->hasAttr("trainable") && llvm::cast<mlir::BoolAttr>(op->getAttr("trainable")).getValue();
    kindOf[name.getValue()] = op->hasAttr("nn.state_of") ? "optimizer state" : trainable ? "parameters" : "buffers";
  });
  std::string out;
  for (auto f : module.getOps<mlir::func::FuncOp>()) {
    if (!isEntry(f)) continue;
    llvm::StringMap<std::pair<int64_t, int64_t>> state; // kind -> (tensors, bytes)
    int64_t io = 0, stateBytes = 0;
    std::string ioNames;
    for (unsigned i = 0; i < f.getNumArguments(); ++i) {
      int64_t b = bufferBytes(f.getArgument(i).getType());
      if (auto s = f.getArgAttrOfType<mlir::StringAttr>(i, "nn.state")) {
        auto &entry = state[kindOf.lookup(s.getValue()).empty() ? "buffers" : kindOf.lookup(s.getValue())];
        entry.first++, entry.second += b, stateBytes += b;
      } else {
        io += b;
        if (auto n = f.getArgAttrOfType<mlir::StringAttr>(i, "nn.name")) ioNames += (ioNames.empty() ? "" : ", ") + n.str();
      }
    }
    FunctionMemoryPlan plan = planFunctionMemory(f);
    out += llvm::formatv("{0}:\n", f.getName()).str();
    for (const char *kind : {"parameters", "optimizer state", "buffers"}) {
      auto it = state.find(kind);
      if (it != state.end())
        out += llvm::formatv("  {0,-22}{1,16}  ({2} tensors)\n", kind, bytes(it->second.second), it->second.first).str();
    }
    out += llvm::formatv("  {0,-22}{1,16}  ({2})\n", "inputs and results", bytes(io), ioNames).str();
    std::optional<TrainingMemory> training;
    if (f.getName() == "train_step") training = trainingMemory(nnModule, kindOf);
    if (training) {
      out += llvm::formatv("  {0,-22}{1,16}  ({2} tensors, one per trained parameter, in the arena)\n", "gradients",
                           bytes(training->gradientBytes), training->gradients).str();
      out += llvm::formatv("  {0,-22}{1,16}  ({2} forward values the backward pass reads, before fusion; in the arena)\n",
                           "saved activations", bytes(training->savedBytes), training->saved).str();
    }
    out += llvm::formatv("  {0,-22}{1,16}  ({2} buffers holding {3}scratch, each at an offset from liveness; {4} "
                         "if each had its own allocation)\n",
                         "intermediates (arena)", bytes(plan.arenaBytes), plan.buffers.size(),
                         training ? "the gradients and saved activations above and " : "", bytes(plan.separateBytes))
               .str();
    std::vector<PlannedAllocation *> largest;
    for (PlannedAllocation &b : plan.buffers) largest.push_back(&b);
    std::stable_sort(largest.begin(), largest.end(), [](auto *a, auto *b) { return a->bytes > b->bytes; });
    for (PlannedAllocation *b : llvm::ArrayRef(largest).take_front(5)) {
      auto type = b->alloc.getType();
      std::string elem;
      llvm::raw_string_ostream es(elem);
      es << type.getElementType();
      out += llvm::formatv("      {0,14} at {1,10}  {2}[{3}] alive from op {4} to {5}  @ {6}\n", bytes(b->bytes), b->offset,
                           elem, shape(type.getShape()), b->first, b->last, where(b->alloc.getLoc())).str();
    }
    int64_t peak = stateBytes + io + plan.arenaBytes;
    out += llvm::formatv("  {0,-22}{1,16}  (state + inputs and results + arena)\n", "peak", bytes(peak)).str();
  }
  out += "workspace: GEMM packing buffers (runtime/src/kernels), up to 2,211,840 B per thread for f32, touched as far "
         "as the products need; the runtime's fixed overhead (code, libraries, allocator) comes on top.\n";
  return out;
}

} // namespace nnc
