// The Graphviz writer behind --emit=dot.
#include "emit/DotWriter.h"

#include "nn/NNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace nnc {

namespace {

// "f32[64, 10]"
std::string typeLabel(mlir::Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  if (auto t = llvm::dyn_cast<mlir::RankedTensorType>(type)) {
    os << t.getElementType() << "[";
    llvm::interleave(t.getShape(), os, ", ");
    os << "]";
  } else {
    os << type;
  }
  return text;
}

std::string quoted(llvm::StringRef text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') out += "\\n";
    else out += c;
  }
  return out + "\"";
}

void writeFunction(mlir::func::FuncOp f, llvm::raw_ostream &os) {
  std::string prefix = f.getName().str() + "_";
  os << "  subgraph " << quoted("cluster_" + f.getName().str()) << " {\n    label=" << quoted("@" + f.getName().str())
     << ";\n";
  llvm::DenseMap<mlir::Value, std::string> nodeOf;
  for (auto [i, arg] : llvm::enumerate(f.getArguments())) {
    auto name = f.getArgAttrOfType<mlir::StringAttr>(i, "nn.name");
    std::string node = prefix + "arg" + std::to_string(i);
    os << "    " << node << " [shape=ellipse, label="
       << quoted((name ? name.getValue().str() : "arg" + std::to_string(i)) + "\n" + typeLabel(arg.getType())) << "];\n";
    nodeOf[arg] = node;
  }
  unsigned next = 0;
  for (mlir::Operation &op : f.getBody().front()) {
    if (auto ret = llvm::dyn_cast<mlir::func::ReturnOp>(op)) {
      for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
        auto name = f.getResultAttrOfType<mlir::StringAttr>(i, "nn.name");
        auto role = f.getResultAttrOfType<mlir::StringAttr>(i, "nn.role");
        std::string node = prefix + "result" + std::to_string(i);
        std::string label = name ? name.getValue().str() : "result " + std::to_string(i);
        if (role && role.getValue() != label) label += " (" + role.getValue().str() + ")";
        os << "    " << node << " [shape=ellipse, style=bold, label=" << quoted(label) << "];\n";
        if (nodeOf.count(v)) os << "    " << nodeOf[v] << " -> " << node << ";\n";
      }
      continue;
    }
    std::string node = prefix + "op" + std::to_string(next++);
    std::string types;
    for (mlir::Type t : op.getResultTypes()) types += (types.empty() ? "" : ", ") + typeLabel(t);
    if (auto load = llvm::dyn_cast<mlir::nn::LoadOp>(op)) {
      os << "    " << node << " [shape=box, style=filled, fillcolor=\"#fff2cc\", label="
         << quoted(load.getName().str() + "\n" + types) << "];\n";
    } else {
      llvm::StringRef name = op.getName().getStringRef();
      name.consume_front("nn.");
      os << "    " << node << " [shape=box, style=rounded, label=" << quoted(name.str() + "\n" + types) << "];\n";
    }
    for (mlir::Value v : op.getOperands())
      if (nodeOf.count(v)) os << "    " << nodeOf[v] << " -> " << node << ";\n";
    for (mlir::Value r : op.getResults()) nodeOf[r] = node;
  }
  os << "  }\n";
}

} // namespace

std::string writeDot(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  auto source = module->getAttrOfType<mlir::StringAttr>("nn.source");
  std::string name = source ? llvm::sys::path::stem(source.getValue()).str() : "model";
  os << "digraph " << quoted(name) << " {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n";
  for (auto f : module.getOps<mlir::func::FuncOp>())
    if (!f.isExternal()) writeFunction(f, os);
  os << "}\n";
  return text;
}

} // namespace nnc
