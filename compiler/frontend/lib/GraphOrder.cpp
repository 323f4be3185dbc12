// Topological ordering of a scope's statements, with duplicate and cycle detection.
#include "frontend/GraphOrder.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringMap.h"

namespace nnc::frontend {

void collectReferences(const Expr &root, std::vector<Reference> &refs, bool compileTime) {
  std::vector<std::pair<const Expr *, bool>> work{{&root, compileTime}};
  while (!work.empty()) {
    auto [e, constant] = work.back();
    work.pop_back();
    if (e->kind == Expr::Kind::Ref) refs.push_back({e, constant});
    for (auto it = e->operands.rbegin(); it != e->operands.rend(); ++it)
      work.push_back({it->get(), constant});
    // Attribute values and block parameters are compile-time positions.
    for (const Argument &a : e->attributes) work.push_back({a.value.get(), true});
    for (const Argument &a : e->blockArgs) work.push_back({a.value.get(), true});
  }
}

namespace {

std::vector<Reference> references(const Statement &statement) {
  std::vector<Reference> refs;
  if (auto *let = std::get_if<LetDecl>(&statement)) {
    collectReferences(*let->value, refs, true);
  } else if (auto *decl = std::get_if<TensorDecl>(&statement)) {
    for (const ExprPtr &dim : decl->dims) collectReferences(*dim, refs, true);
    if (decl->init) collectReferences(*decl->init, refs, true);
  } else if (auto *assign = std::get_if<Assign>(&statement)) {
    collectReferences(*assign->value, refs, false);
  }
  return refs;
}

} // namespace

std::optional<std::vector<size_t>> orderStatements(llvm::ArrayRef<Statement> statements,
                                                   llvm::ArrayRef<Name> reserved,
                                                   const LocationOf &locationOf) {
  // Which statement defines each name.
  constexpr size_t kOutside = SIZE_MAX;
  llvm::StringMap<std::pair<size_t, llvm::SMLoc>> definer;
  for (const Name &name : reserved) definer[name.text] = {kOutside, name.loc};
  auto define = [&](const Name &name, size_t index) -> bool {
    if (name.text == "_") return true;
    auto [it, inserted] = definer.try_emplace(name.text, index, name.loc);
    if (inserted) return true;
    auto diag = mlir::emitError(locationOf(name.loc))
                << "duplicate definition of '" << name.text << "'";
    diag.attachNote(locationOf(it->second.second)) << "'" << name.text << "' is first defined here";
    return false;
  };
  std::vector<size_t> outputs;
  for (size_t i = 0; i < statements.size(); ++i) {
    if (std::holds_alternative<OutputDecl>(statements[i])) {
      outputs.push_back(i);
    } else if (auto *assign = std::get_if<Assign>(&statements[i])) {
      for (const Name &name : assign->names)
        if (!define(name, i)) return std::nullopt;
    } else if (!define(definedName(statements[i]), i)) {
      return std::nullopt;
    }
  }

  // Edges: statement -> the statements defining what it uses.
  std::vector<std::vector<size_t>> uses(statements.size());
  for (size_t i = 0; i < statements.size(); ++i)
    for (const Reference &ref : references(statements[i])) {
      auto it = definer.find(ref.expr->text);
      if (it == definer.end() || it->second.first == kOutside) continue;
      // A compile-time position depends only on compile-time values: `reduction=mean`
      // names a choice, not a tensor that happens to be called `mean`.
      if (ref.compileTime && !std::holds_alternative<LetDecl>(statements[it->second.first])) continue;
      uses[i].push_back(it->second.first);
    }

  // Iterative depth-first search; a grey node reached again closes a cycle.
  enum Color : uint8_t { White, Grey, Black };
  std::vector<Color> color(statements.size(), White);
  std::vector<size_t> order;
  std::vector<std::pair<size_t, size_t>> stack; // (node, next edge)
  for (size_t root = 0; root < statements.size(); ++root) {
    if (color[root] != White || std::holds_alternative<OutputDecl>(statements[root])) continue;
    stack.push_back({root, 0});
    color[root] = Grey;
    while (!stack.empty()) {
      auto &[node, edge] = stack.back();
      if (edge == uses[node].size()) {
        color[node] = Black;
        order.push_back(node);
        stack.pop_back();
        continue;
      }
      size_t next = uses[node][edge++];
      if (color[next] == Black) continue;
      if (color[next] == Grey) {
        std::string path;
        size_t from = 0;
        while (stack[from].first != next) ++from;
        for (size_t k = from; k < stack.size(); ++k)
          path += definedName(statements[stack[k].first]).text + " -> ";
        path += definedName(statements[next]).text;
        mlir::emitError(locationOf(definedName(statements[next]).loc))
            << "cycle in the graph: " << path;
        return std::nullopt;
      }
      color[next] = Grey;
      stack.push_back({next, 0});
    }
  }
  order.insert(order.end(), outputs.begin(), outputs.end());
  return order;
}

} // namespace nnc::frontend
