// The .graph parser: statements, blocks, the train section, and expressions with
// + - * / precedence. See docs/language.md for the grammar it accepts.
#include "frontend/Parser.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cerrno>
#include <cstdlib>

namespace nnc::frontend {
namespace {

bool isReserved(llvm::StringRef word) {
  return llvm::StringSwitch<bool>(word)
      .Cases("batch", "let", "input", "param", "buffer", "block", "return", true)
      .Cases("repeat", "output", "train", "minimize", "optimizer", "metric", "freeze", "clip_grad_norm", true)
      .Cases("true", "false", true)
      .Default(false);
}

class Parser {
public:
  Parser(llvm::SourceMgr &sourceMgr, unsigned bufferId) : lexer_(sourceMgr, bufferId) {
    advance();
  }

  std::optional<Module> parseFile(std::string fileName) {
    Module module;
    module.fileName = std::move(fileName);
    bool batchSeen = false;
    while (!tok_.is(TokenKind::Eof)) {
      if (tok_.is(TokenKind::EndOfStatement)) { advance(); continue; }
      if (tok_.isKeyword("block")) {
        BlockDef block;
        if (!parseBlock(block)) return std::nullopt;
        module.blocks.push_back(std::move(block));
      } else if (tok_.isKeyword("train")) {
        if (module.train) return fail("a file has one train section"), std::nullopt;
        TrainSection train;
        if (!parseTrain(train)) return std::nullopt;
        module.train = std::move(train);
      } else {
        llvm::SMLoc at = tok_.loc();
        bool isBatch = tok_.isKeyword("batch");
        if (isBatch && batchSeen)
          return failAt(at, "the batch symbol is declared twice (a file has one 'batch')"),
                 std::nullopt;
        batchSeen |= isBatch;
        Statement statement;
        if (!parseStatement(statement, /*inBlock=*/false) || !expectStatementEnd())
          return std::nullopt;
        module.statements.push_back(std::move(statement));
      }
    }
    return module;
  }

private:
  void advance() { tok_ = lexer_.next(); }

  bool fail(const llvm::Twine &message) {
    if (!tok_.is(TokenKind::Error)) lexer_.error(tok_.loc(), message);
    return false;
  }
  bool failAt(llvm::SMLoc loc, const llvm::Twine &message) {
    lexer_.error(loc, message);
    return false;
  }

  std::string found() const {
    if (tok_.is(TokenKind::Identifier) || tok_.is(TokenKind::Integer) || tok_.is(TokenKind::Float))
      return ("'" + tok_.spelling + "'").str();
    return describe(tok_.kind).str();
  }

  bool expect(TokenKind kind, llvm::StringRef context) {
    if (!tok_.is(kind))
      return fail("expected " + describe(kind) + " " + context + ", found " + found());
    advance();
    return true;
  }

  bool expectStatementEnd() {
    if (tok_.is(TokenKind::EndOfStatement)) { advance(); return true; }
    if (tok_.is(TokenKind::Eof) || tok_.is(TokenKind::RBrace)) return true;
    return fail("expected end of statement (newline or ';'), found " + found());
  }

  bool parseName(Name &name, llvm::StringRef what) {
    if (!tok_.is(TokenKind::Identifier))
      return fail("expected " + what + ", found " + found());
    if (isReserved(tok_.spelling))
      return fail("'" + tok_.spelling + "' is a keyword and cannot be used as " + what);
    name = Name{tok_.spelling.str(), tok_.loc()};
    advance();
    return true;
  }

  // a.b.c, for parameters of block instances in `freeze`.
  bool parseDottedName(Name &name, llvm::StringRef what) {
    if (!parseName(name, what)) return false;
    while (tok_.is(TokenKind::Dot)) {
      advance();
      if (!tok_.is(TokenKind::Identifier) && !tok_.is(TokenKind::Integer))
        return fail("expected a name part after '.', found " + found());
      name.text += "." + tok_.spelling.str();
      advance();
    }
    return true;
  }

  bool parseStatement(Statement &out, bool inBlock) {
    if (tok_.isKeyword("batch") || tok_.isKeyword("let")) {
      bool isBatch = tok_.isKeyword("batch");
      if (isBatch && inBlock) return fail("'batch' is declared at the top level, not in a block");
      advance();
      LetDecl let;
      let.isBatch = isBatch;
      if (!parseName(let.name, isBatch ? "the batch symbol" : "a name") ||
          !expect(TokenKind::Equal, "after the name") || !(let.value = parseExpr()))
        return false;
      out = std::move(let);
      return true;
    }
    if (tok_.isKeyword("input") || tok_.isKeyword("param") || tok_.isKeyword("buffer"))
      return parseTensorDecl(out, inBlock);
    if (tok_.isKeyword("output")) {
      if (inBlock) return fail("'output' is declared at the top level; a block returns values");
      advance();
      OutputDecl decl;
      do {
        Name name;
        if (!parseName(name, "an output name")) return false;
        decl.names.push_back(std::move(name));
      } while (consume(TokenKind::Comma));
      out = std::move(decl);
      return true;
    }
    if (tok_.isKeyword("block") || tok_.isKeyword("train"))
      return fail("'" + tok_.spelling + "' is only allowed at the top level");
    if (tok_.isKeyword("return")) return fail("'return' is only allowed at the end of a block");
    if (!tok_.is(TokenKind::Identifier))
      return fail("expected a statement, found " + found());
    Assign assign;
    do {
      Name name;
      if (!parseName(name, "a value name")) return false;
      assign.names.push_back(std::move(name));
    } while (consume(TokenKind::Comma));
    if (!expect(TokenKind::Equal, "after the defined names") || !(assign.value = parseExpr()))
      return false;
    out = std::move(assign);
    return true;
  }

  bool parseTensorDecl(Statement &out, bool inBlock) {
    TensorDecl decl;
    decl.role = tok_.isKeyword("input")   ? TensorDecl::Role::Input
                : tok_.isKeyword("param") ? TensorDecl::Role::Param
                                          : TensorDecl::Role::Buffer;
    if (inBlock && decl.role == TensorDecl::Role::Input)
      return fail("'input' is declared at the top level; a block takes inputs in (...)");
    advance();
    if (!parseName(decl.name, "a tensor name") || !expect(TokenKind::Colon, "before the type") ||
        !parseName(decl.dtype, "a dtype (f32, f64, i32, i64, i1)"))
      return false;
    decl.shapeLoc = tok_.loc();
    if (!expect(TokenKind::LBracket, "to start the shape")) return false;
    if (!tok_.is(TokenKind::RBracket)) {
      do {
        ExprPtr dim = parseExpr();
        if (!dim) return false;
        decl.dims.push_back(std::move(dim));
      } while (consume(TokenKind::Comma));
    }
    if (!expect(TokenKind::RBracket, "to close the shape")) return false;
    if (decl.role == TensorDecl::Role::Input) {
      if (tok_.is(TokenKind::Equal)) return fail("inputs have no initializer");
    } else {
      if (!expect(TokenKind::Equal, "and an initializer (e.g. '= zeros')")) return false;
      if (!tok_.is(TokenKind::Identifier))
        return fail("expected an initializer name, found " + found());
      if (!(decl.init = parsePrimary())) return false;
    }
    out = std::move(decl);
    return true;
  }

  bool parseBlock(BlockDef &block) {
    advance(); // block
    if (!parseName(block.name, "a block name")) return false;
    if (consume(TokenKind::LAngle)) {
      if (!tok_.is(TokenKind::RAngle)) {
        do {
          BlockParam param;
          if (!parseName(param.name, "a block parameter name")) return false;
          if (consume(TokenKind::Equal) && !(param.defaultValue = parseExpr())) return false;
          block.params.push_back(std::move(param));
        } while (consume(TokenKind::Comma));
      }
      if (!expect(TokenKind::RAngle, "to close the block parameters")) return false;
    }
    if (!expect(TokenKind::LParen, "to start the block inputs")) return false;
    if (!tok_.is(TokenKind::RParen)) {
      do {
        Name input;
        if (!parseName(input, "a block input name")) return false;
        block.inputs.push_back(std::move(input));
      } while (consume(TokenKind::Comma));
    }
    if (!expect(TokenKind::RParen, "to close the block inputs") ||
        !expect(TokenKind::LBrace, "to start the block body"))
      return false;
    while (true) {
      if (tok_.is(TokenKind::EndOfStatement)) { advance(); continue; }
      if (tok_.is(TokenKind::Eof))
        return failAt(block.name.loc, "block '" + block.name.text + "' is not closed with '}'");
      if (tok_.is(TokenKind::RBrace))
        return fail("block '" + block.name.text + "' must end with 'return'");
      if (tok_.isKeyword("return")) {
        block.returnLoc = tok_.loc();
        advance();
        do {
          ExprPtr value = parseExpr();
          if (!value) return false;
          block.results.push_back(std::move(value));
        } while (consume(TokenKind::Comma));
        while (tok_.is(TokenKind::EndOfStatement)) advance();
        return expect(TokenKind::RBrace, "after 'return' (it ends the block)");
      }
      Statement statement;
      if (!parseStatement(statement, /*inBlock=*/true) || !expectStatementEnd()) return false;
      block.body.push_back(std::move(statement));
    }
  }

  bool parseTrain(TrainSection &train) {
    train.loc = tok_.loc();
    advance(); // train
    if (!expect(TokenKind::LBrace, "to start the train section")) return false;
    while (true) {
      if (tok_.is(TokenKind::EndOfStatement)) { advance(); continue; }
      if (consume(TokenKind::RBrace)) return true;
      if (tok_.is(TokenKind::Eof)) return failAt(train.loc, "train section is not closed with '}'");
      if (tok_.isKeyword("minimize")) {
        if (train.minimize) return fail("the train section minimizes one value");
        advance();
        Name name;
        if (!parseName(name, "the value to minimize")) return false;
        train.minimize = std::move(name);
      } else if (tok_.isKeyword("optimizer")) {
        if (train.optimizer) return fail("the train section has one optimizer");
        advance();
        if (!tok_.is(TokenKind::Identifier)) return fail("expected an optimizer, found " + found());
        if (!(train.optimizer = parsePrimary())) return false;
      } else if (tok_.isKeyword("metric")) {
        advance();
        Metric metric;
        if (!tok_.is(TokenKind::Identifier)) return fail("expected a metric, found " + found());
        llvm::SMLoc at = tok_.loc();
        std::string first = tok_.spelling.str();
        if (!(metric.value = parseExpr())) return false;
        if (metric.value->kind == Expr::Kind::Ref && consume(TokenKind::Equal)) {
          metric.name = Name{first, at}; // metric top = accuracy(...)
          if (!(metric.value = parseExpr())) return false;
        } else {
          metric.name = Name{metric.value->kind == Expr::Kind::Call ? metric.value->text : first, at};
        }
        train.metrics.push_back(std::move(metric));
      } else if (tok_.isKeyword("freeze")) {
        advance();
        do {
          Name name;
          if (!parseDottedName(name, "a parameter to freeze")) return false;
          train.frozen.push_back(std::move(name));
        } while (consume(TokenKind::Comma));
      } else if (tok_.isKeyword("clip_grad_norm")) {
        if (train.clipGradNorm) return fail("the train section has one clip_grad_norm");
        advance();
        if (!(train.clipGradNorm = parseExpr())) return false;
      } else {
        return fail("expected minimize, optimizer, metric, freeze or clip_grad_norm in the train section, found " +
                    found());
      }
      if (!expectStatementEnd()) return false;
    }
  }

  bool consume(TokenKind kind) {
    if (!tok_.is(kind)) return false;
    advance();
    return true;
  }

  // Sets the node's height from its children; an error when the tree gets too tall.
  ExprPtr finish(ExprPtr node) {
    if (!node) return nullptr;
    int height = 0;
    for (const ExprPtr &child : node->operands) height = std::max(height, child->depth);
    for (const Argument &arg : node->attributes) height = std::max(height, arg.value->depth);
    for (const Argument &arg : node->blockArgs) height = std::max(height, arg.value->depth);
    node->depth = height + 1;
    if (node->depth > kMaxExprDepth) {
      failAt(node->loc, "expression is too deep (more than " + llvm::Twine(kMaxExprDepth) +
                            " levels); split it with intermediate names");
      return nullptr;
    }
    return node;
  }

  // Bounds recursion: every nested expression passes through here.
  struct DepthGuard {
    int &depth;
    explicit DepthGuard(int &d) : depth(d) { ++depth; }
    ~DepthGuard() { --depth; }
  };

  ExprPtr parseExpr() {
    DepthGuard guard(depth_);
    if (depth_ > kMaxNesting) {
      fail("expression nested too deeply (more than " + llvm::Twine(kMaxNesting) + " levels)");
      return nullptr;
    }
    return parseAdditive();
  }

  ExprPtr parseAdditive() {
    ExprPtr lhs = parseMultiplicative();
    while (lhs && (tok_.is(TokenKind::Plus) || tok_.is(TokenKind::Minus))) {
      lhs = binary(std::move(lhs), [this] { return parseMultiplicative(); });
    }
    return lhs;
  }

  ExprPtr parseMultiplicative() {
    ExprPtr lhs = parseUnary();
    while (lhs && (tok_.is(TokenKind::Star) || tok_.is(TokenKind::Slash))) {
      lhs = binary(std::move(lhs), [this] { return parseUnary(); });
    }
    return lhs;
  }

  template <typename ParseRhs> ExprPtr binary(ExprPtr lhs, ParseRhs parseRhs) {
    auto node = std::make_unique<Expr>(Expr::Kind::Binary, tok_.loc());
    node->op = tok_.spelling[0];
    advance();
    ExprPtr rhs = parseRhs();
    if (!rhs) return nullptr;
    node->operands.push_back(std::move(lhs));
    node->operands.push_back(std::move(rhs));
    return finish(std::move(node));
  }

  ExprPtr parseUnary() {
    if (!tok_.is(TokenKind::Minus)) return parsePrimary();
    DepthGuard guard(depth_);
    if (depth_ > kMaxNesting) {
      fail("expression nested too deeply (more than " + llvm::Twine(kMaxNesting) + " levels)");
      return nullptr;
    }
    auto node = std::make_unique<Expr>(Expr::Kind::Negate, tok_.loc());
    advance();
    ExprPtr operand = parseUnary();
    if (!operand) return nullptr;
    // Fold -literal so that `-1` is an integer, not an operation.
    if (operand->kind == Expr::Kind::Int && operand->intValue != INT64_MIN) {
      operand->intValue = -operand->intValue;
      operand->loc = node->loc;
      return operand;
    }
    if (operand->kind == Expr::Kind::Float) {
      operand->floatValue = -operand->floatValue;
      operand->loc = node->loc;
      return operand;
    }
    node->operands.push_back(std::move(operand));
    return finish(std::move(node));
  }

  ExprPtr parsePrimary() {
    llvm::SMLoc loc = tok_.loc();
    switch (tok_.kind) {
    case TokenKind::Integer: {
      auto node = std::make_unique<Expr>(Expr::Kind::Int, loc);
      if (tok_.spelling.getAsInteger(10, node->intValue)) {
        fail("integer " + tok_.spelling + " is too large (the limit is 2^63 - 1)");
        return nullptr;
      }
      advance();
      return node;
    }
    case TokenKind::Float: {
      auto node = std::make_unique<Expr>(Expr::Kind::Float, loc);
      std::string text = tok_.spelling.str();
      errno = 0;
      node->floatValue = std::strtod(text.c_str(), nullptr);
      if (errno == ERANGE && std::abs(node->floatValue) > 1) {
        fail("number " + tok_.spelling + " is out of range");
        return nullptr;
      }
      advance();
      return node;
    }
    case TokenKind::String: {
      auto node = std::make_unique<Expr>(Expr::Kind::String, loc);
      llvm::StringRef body = tok_.spelling.drop_front().drop_back();
      for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\\') ++i;
        node->text += body[i];
      }
      advance();
      return node;
    }
    case TokenKind::LParen: {
      advance();
      ExprPtr inner = parseExpr();
      if (!inner || !expect(TokenKind::RParen, "to close '('")) return nullptr;
      return inner;
    }
    case TokenKind::LBracket: {
      auto node = std::make_unique<Expr>(Expr::Kind::List, loc);
      advance();
      if (!tok_.is(TokenKind::RBracket)) {
        do {
          ExprPtr item = parseExpr();
          if (!item) return nullptr;
          node->operands.push_back(std::move(item));
        } while (consume(TokenKind::Comma));
      }
      if (!expect(TokenKind::RBracket, "to close the list")) return nullptr;
      return finish(std::move(node));
    }
    case TokenKind::Identifier:
      break;
    default:
      fail("expected an expression, found " + found());
      return nullptr;
    }
    if (tok_.isKeyword("repeat")) return parseRepeat();
    if (tok_.isKeyword("true") || tok_.isKeyword("false")) {
      auto node = std::make_unique<Expr>(Expr::Kind::Ref, loc);
      node->text = tok_.spelling.str();
      advance();
      return node;
    }
    if (isReserved(tok_.spelling)) {
      fail("'" + tok_.spelling + "' is a keyword and cannot start an expression");
      return nullptr;
    }
    std::string name = tok_.spelling.str();
    advance();
    if (!tok_.is(TokenKind::LParen) && !tok_.is(TokenKind::LAngle)) {
      auto node = std::make_unique<Expr>(Expr::Kind::Ref, loc);
      node->text = std::move(name);
      return node;
    }
    auto call = std::make_unique<Expr>(Expr::Kind::Call, loc);
    call->text = std::move(name);
    if (consume(TokenKind::LAngle)) {
      call->hasBlockArgs = true;
      if (!parseArguments(call->blockArgs, TokenKind::RAngle, nullptr)) return nullptr;
    }
    if (!expect(TokenKind::LParen, "to start the call's arguments")) return nullptr;
    if (!parseArguments(call->attributes, TokenKind::RParen, &call->operands)) return nullptr;
    return finish(std::move(call));
  }

  // Arguments up to `close`: `name=value` go to `named`; positional ones go to
  // `positional` when given (call operands, which must come first), else to `named`
  // with an empty name (block arguments).
  bool parseArguments(std::vector<Argument> &named, TokenKind close,
                      std::vector<ExprPtr> *positional) {
    if (consume(close)) return true;
    do {
      Argument arg;
      if (tok_.is(TokenKind::Identifier) && !isReserved(tok_.spelling)) {
        Token saved = tok_;
        Lexer lexerState = lexer_;
        advance();
        if (tok_.is(TokenKind::Equal)) {
          arg.name = Name{saved.spelling.str(), saved.loc()};
          advance();
        } else {
          tok_ = saved;
          lexer_ = lexerState;
        }
      }
      llvm::SMLoc at = tok_.loc();
      if (!(arg.value = parseExpr())) return false;
      if (arg.name.text.empty() && positional) {
        if (!named.empty())
          return failAt(at, "positional operands must come before named attributes");
        positional->push_back(std::move(arg.value));
      } else {
        named.push_back(std::move(arg));
      }
    } while (consume(TokenKind::Comma));
    return expect(close, close == TokenKind::RParen ? "to close the call" : "to close '<'");
  }

  ExprPtr parseRepeat() {
    auto node = std::make_unique<Expr>(Expr::Kind::Repeat, tok_.loc());
    advance();
    ExprPtr count = parseUnary();
    if (!count) return nullptr;
    if (!tok_.is(TokenKind::Identifier)) {
      fail("expected a block call after 'repeat N', found " + found());
      return nullptr;
    }
    ExprPtr call = parsePrimary();
    if (!call) return nullptr;
    if (call->kind != Expr::Kind::Call) {
      lexer_.error(call->loc, "expected a block call after 'repeat N'");
      return nullptr;
    }
    node->operands.push_back(std::move(count));
    node->operands.push_back(std::move(call));
    return finish(std::move(node));
  }

  Lexer lexer_;
  Token tok_;
  int depth_ = 0;
};

} // namespace

std::optional<Module> parse(llvm::SourceMgr &sourceMgr, unsigned bufferId) {
  Parser parser(sourceMgr, bufferId);
  return parser.parseFile(
      sourceMgr.getMemoryBuffer(bufferId)->getBufferIdentifier().str());
}

} // namespace nnc::frontend
