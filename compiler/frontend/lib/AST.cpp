// Printing of the syntax tree for `nnc compile --emit=ast`.
#include "frontend/AST.h"

#include "llvm/Support/Format.h"

namespace nnc::frontend {
namespace {

class Printer {
public:
  explicit Printer(llvm::raw_ostream &os) : os_(os) {}

  void expr(const Expr &e) {
    switch (e.kind) {
    case Expr::Kind::Int: os_ << e.intValue; break;
    case Expr::Kind::Float: os_ << llvm::format("%g", e.floatValue); break;
    case Expr::Kind::String: os_ << '"' << e.text << '"'; break;
    case Expr::Kind::Ref: os_ << e.text; break;
    case Expr::Kind::List:
      os_ << "[";
      list(e.operands);
      os_ << "]";
      break;
    case Expr::Kind::Binary:
      os_ << "(";
      expr(*e.operands[0]);
      os_ << " " << e.op << " ";
      expr(*e.operands[1]);
      os_ << ")";
      break;
    case Expr::Kind::Negate:
      os_ << "-";
      expr(*e.operands[0]);
      break;
    case Expr::Kind::Repeat:
      os_ << "repeat ";
      expr(*e.operands[0]);
      os_ << " ";
      expr(*e.operands[1]);
      break;
    case Expr::Kind::Call:
      os_ << e.text;
      if (e.hasBlockArgs) {
        os_ << "<";
        arguments(e.blockArgs, false);
        os_ << ">";
      }
      os_ << "(";
      list(e.operands);
      arguments(e.attributes, !e.operands.empty());
      os_ << ")";
      break;
    }
  }

  void statement(const Statement &s, int indent) {
    os_.indent(indent);
    if (auto *let = std::get_if<LetDecl>(&s)) {
      os_ << (let->isBatch ? "batch " : "let ") << let->name.text << " = ";
      expr(*let->value);
    } else if (auto *decl = std::get_if<TensorDecl>(&s)) {
      const char *role[] = {"input", "param", "buffer"};
      os_ << role[int(decl->role)] << " " << decl->name.text << ": " << decl->dtype.text << "[";
      list(decl->dims);
      os_ << "]";
      if (decl->init) {
        os_ << " = ";
        expr(*decl->init);
      }
    } else if (auto *assign = std::get_if<Assign>(&s)) {
      names(assign->names);
      os_ << " = ";
      expr(*assign->value);
    } else if (auto *output = std::get_if<OutputDecl>(&s)) {
      os_ << "output ";
      names(output->names);
    }
    os_ << "\n";
  }

  void module(const Module &m) {
    os_ << "module " << m.fileName << "\n";
    for (const BlockDef &b : m.blocks) {
      os_ << "  block " << b.name.text << "<";
      for (size_t i = 0; i < b.params.size(); ++i) {
        os_ << (i ? ", " : "") << b.params[i].name.text;
        if (b.params[i].defaultValue) {
          os_ << "=";
          expr(*b.params[i].defaultValue);
        }
      }
      os_ << ">(";
      names(b.inputs);
      os_ << ")\n";
      for (const Statement &s : b.body) statement(s, 4);
      os_ << "    return ";
      list(b.results);
      os_ << "\n";
    }
    for (const Statement &s : m.statements) statement(s, 2);
    if (m.train) {
      os_ << "  train\n";
      if (m.train->minimize) os_ << "    minimize " << m.train->minimize->text << "\n";
      if (m.train->optimizer) {
        os_ << "    optimizer ";
        expr(*m.train->optimizer);
        os_ << "\n";
      }
      for (const Metric &metric : m.train->metrics) {
        os_ << "    metric " << metric.name.text << " = ";
        expr(*metric.value);
        os_ << "\n";
      }
      if (!m.train->frozen.empty()) {
        os_ << "    freeze ";
        names(m.train->frozen);
        os_ << "\n";
      }
      if (m.train->clipGradNorm) {
        os_ << "    clip_grad_norm ";
        expr(*m.train->clipGradNorm);
        os_ << "\n";
      }
    }
  }

private:
  void list(const std::vector<ExprPtr> &items) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) os_ << ", ";
      expr(*items[i]);
    }
  }
  void arguments(const std::vector<Argument> &args, bool leadingComma) {
    for (size_t i = 0; i < args.size(); ++i) {
      if (i || leadingComma) os_ << ", ";
      if (!args[i].name.text.empty()) os_ << args[i].name.text << "=";
      expr(*args[i].value);
    }
  }
  void names(const std::vector<Name> &ns) {
    for (size_t i = 0; i < ns.size(); ++i) os_ << (i ? ", " : "") << ns[i].text;
  }

  llvm::raw_ostream &os_;
};

} // namespace

void dump(const Module &module, llvm::raw_ostream &os) { Printer(os).module(module); }

const Name &definedName(const Statement &statement) {
  if (auto *let = std::get_if<LetDecl>(&statement)) return let->name;
  if (auto *decl = std::get_if<TensorDecl>(&statement)) return decl->name;
  if (auto *assign = std::get_if<Assign>(&statement)) return assign->names.front();
  return std::get<OutputDecl>(statement).names.front();
}

} // namespace nnc::frontend
