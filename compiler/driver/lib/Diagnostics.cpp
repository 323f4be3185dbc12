// The driver's diagnostic printer; see Diagnostics.h.
#include "driver/Diagnostics.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

namespace nnc {

struct SurfaceDiagnostics::Impl {
  Impl(llvm::SourceMgr &sourceMgr, mlir::MLIRContext &context)
      : printer(sourceMgr, &context, llvm::errs()), context(context) {}
  // The base handler registers itself; we register ours after it, so ours runs first
  // and forwards each rewritten message to the printer.
  struct Printer : mlir::SourceMgrDiagnosticHandler {
    using SourceMgrDiagnosticHandler::SourceMgrDiagnosticHandler;
    using SourceMgrDiagnosticHandler::emitDiagnostic;
  } printer;
  mlir::MLIRContext &context;
  mlir::DiagnosticEngine::HandlerID id = 0;
};

static std::string surfaceMessage(const mlir::Diagnostic &diag) {
  static const llvm::Regex opPrefix("^'nn\\.([a-z0-9_]+)' op ");
  std::string message = diag.str();
  llvm::SmallVector<llvm::StringRef, 2> match;
  if (opPrefix.match(message, &match))
    message = (match[1] + ": " + llvm::StringRef(message).drop_front(match[0].size())).str();
  return message;
}

SurfaceDiagnostics::SurfaceDiagnostics(llvm::SourceMgr &sourceMgr, mlir::MLIRContext &context)
    : impl_(std::make_unique<Impl>(sourceMgr, context)) {
  impl_->id = context.getDiagEngine().registerHandler([this](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error) ++errors_;
    impl_->printer.emitDiagnostic(diag.getLocation(), surfaceMessage(diag), diag.getSeverity());
    // Inside a block instance: where each enclosing block was instantiated.
    for (mlir::Location loc = diag.getLocation(); auto site = mlir::dyn_cast<mlir::CallSiteLoc>(loc);
         loc = site.getCaller()) {
      mlir::Location caller = site.getCaller();
      while (auto outer = mlir::dyn_cast<mlir::CallSiteLoc>(caller)) caller = outer.getCallee();
      impl_->printer.emitDiagnostic(caller, "in the block instantiated here",
                                    mlir::DiagnosticSeverity::Note);
    }
    for (const mlir::Diagnostic &note : diag.getNotes())
      impl_->printer.emitDiagnostic(note.getLocation(), surfaceMessage(note), note.getSeverity());
    return mlir::success();
  });
}

SurfaceDiagnostics::~SurfaceDiagnostics() {
  impl_->context.getDiagEngine().eraseHandler(impl_->id);
}

} // namespace nnc
