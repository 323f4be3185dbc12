// nnc: the command-line driver.
//   nnc compile model.graph [--emit=STAGE] [--batch N] [-o F]
//   nnc summary model.graph [--batch N]
//   nnc run model.graph [--function F] [--steps N] [--seed S] [--batch N]
// Usage errors exit with 2, errors in the compiled file with 1.
#include "driver/Compile.h"
#include "driver/Run.h"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char **argv) {
  CLI::App app{"nnc: a static computation-graph compiler for training neural networks"};
  app.set_version_flag("--version", "nnc 0.1 (LLVM/MLIR 19)");
  app.require_subcommand(1);
  app.footer("Examples:\n"
             "  nnc compile models/mlp.graph              typed nn IR on standard output\n"
             "  nnc compile --emit=ast models/mlp.graph   the syntax tree\n"
             "  nnc compile models/mlp.graph -o mlp         the training binary (./mlp train)\n"
             "  nnc compile --emit=nn --batch 256 -o mlp.mlir models/mlp.graph\n"
             "  nnc summary models/resnet18.graph         inputs, results, parameter count\n"
             "  nnc run --batch 8 --steps 20 models/mlp.graph   train steps in the interpreter\n"
             "Exit status: 0 on success, 1 for errors in the model file, 2 for usage errors.\n"
             "The language: docs/language.md; the ops: docs/ops.md.");

  nnc::CompileOptions options;
  std::string emit = "nn";
  int64_t batch = 0;
  CLI::App *compile = app.add_subcommand(
      "compile", "Compile a .graph model and print the stage asked for with --emit");
  compile->add_option("model", options.input, "The .graph file to compile ('-' reads standard input)")
      ->required();
  compile->add_option("-o,--output", options.output, "Write the result here instead of standard output");
  std::string stages;
  for (llvm::StringRef s : nnc::stageNames()) stages += (stages.empty() ? "" : ", ") + s.str();
  compile
      ->add_option("--emit", emit,
                   "Stop after this stage and print it (pipeline order: " + stages +
                       "): ast = the syntax tree, nn = the typed nn-dialect IR, dot = nn as a Graphviz picture")
      ->capture_default_str()
      ->check(CLI::IsMember(std::vector<std::string>(nnc::stageNames().begin(), nnc::stageNames().end())));
  compile->add_option("--grad-wrt", options.gradWrt,
                      "Also build @input_gradient, the loss's gradient with respect to these inputs "
                      "(comma-separated; in the training binary it drives `dream`: --grad-wrt=x)")
      ->delimiter(',')
      ->allow_extra_args(false); // `--grad-wrt=x model.graph`: the model is not an input name
  compile->add_option("--batch", batch, "Bind the batch symbol to N instead of the file's value")
      ->check(CLI::Range(int64_t(1), int64_t(1) << 32));
  compile->add_option("--freeze", options.freeze,
                      "Freeze these parameters or block instances (comma-separated), as the train "
                      "section's `freeze` does: transfer learning's fixed body")
      ->delimiter(',');
  compile->add_option("--cpu", options.cpu,
                      "Target CPU of obj/lib/exe: 'native' (this machine, the default) or an LLVM CPU "
                      "name such as x86-64-v3, znver4, skylake-avx512")
      ->capture_default_str();
  compile->add_option("--target", options.target,
                      "Where the compiled model runs: cpu, or cuda (NVIDIA GPU kernels; host code for --cpu)")
      ->capture_default_str()->check(CLI::IsMember({"cpu", "cuda"}));
  compile->add_option("--cuda-arch", options.cudaArch,
                      "With --target=cuda: the GPU architecture of the kernels' machine code (the fatbin "
                      "also holds PTX, which newer GPUs compile at load time)")
      ->capture_default_str()->check(CLI::IsMember({"sm_80", "sm_86", "sm_89", "sm_90", "sm_90a"}));
  compile->add_option("--cuda-gemm", options.cudaGemm,
                      "With --target=cuda: matrix products through cublas (cuBLAS, loaded at run time) or as "
                      "generated loop kernels")
      ->capture_default_str()->check(CLI::IsMember({"cublas", "loops"}));
  compile->add_option("--cuda-conv", options.cudaConv,
                      "With --target=cuda: convolutions through cudnn (cuDNN 9, loaded at run time), as gemm "
                      "(im2col columns and matrix products through cuBLAS, as on the CPU) or as generated "
                      "loop kernels")
      ->capture_default_str()->check(CLI::IsMember({"cudnn", "gemm", "loops"}));
  compile->add_option("--cuda-index-bits", options.cudaIndexBits,
                      "With --target=cuda: width of the index arithmetic inside kernels: 32 (faster; every "
                      "buffer below 2^31 elements), 64, or 0 for 32 whenever every buffer fits")
      ->capture_default_str()->check(CLI::IsMember({int64_t(0), int64_t(32), int64_t(64)}));
  compile->add_option("-j,--jobs", options.jobs,
                      "Threads that optimize and generate code for parts of a CPU training binary (0: one per "
                      "core, at most 8); obj and lib outputs are one part")
      ->capture_default_str()->check(CLI::Range(0, 256));

  CLI::App *summary = app.add_subcommand(
      "summary", "Print a model's inputs, results, parameter count and op count");
  summary->add_option("model", options.input, "The .graph file ('-' reads standard input)")->required();
  summary->add_option("--batch", batch, "Bind the batch symbol to N instead of the file's value")
      ->check(CLI::Range(int64_t(1), int64_t(1) << 32));

  nnc::RunOptions runOptions;
  int64_t runBatch = 0;
  double runLr = -1;
  CLI::App *run = app.add_subcommand(
      "run", "Run a model in the reference interpreter on synthetic inputs (no code generation)");
  run->add_option("model", runOptions.compile.input, "The .graph file ('-' reads standard input)")->required();
  run->add_option("--function", runOptions.function,
                  "train_step (the default when the model trains), forward or predict")
      ->check(CLI::IsMember({"train_step", "forward", "predict"}));
  run->add_option("--steps", runOptions.steps, "Train steps to run on the same batch")
      ->capture_default_str()->check(CLI::Range(int64_t(1), int64_t(1000000)));
  run->add_option("--seed", runOptions.seed, "Seed of the initial weights, inputs and dropout")->capture_default_str();
  run->add_option("--int-range", runOptions.intRange, "Integer inputs are drawn in [0, N)")
      ->capture_default_str()->check(CLI::Range(int64_t(1), int64_t(1) << 32));
  run->add_option("--lr", runLr, "Learning rate instead of the .graph value")->check(CLI::PositiveNumber);
  run->add_option("--batch", runBatch, "Bind the batch symbol to N instead of the file's value")
      ->check(CLI::Range(int64_t(1), int64_t(1) << 32));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp &e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion &e) {
    return app.exit(e);
  } catch (const CLI::ParseError &e) {
    app.exit(e);
    return 2;
  }
  if (run->parsed()) {
    if (runBatch > 0) runOptions.compile.batch = runBatch;
    if (runLr > 0) runOptions.lr = runLr;
    return nnc::run(runOptions);
  }
  if (batch > 0) options.batch = batch;
  options.emit = *nnc::parseStage(emit);
  // `nnc compile model.graph -o model` builds the training binary.
  if (compile->parsed() && compile->count("--emit") == 0 && options.output != "-") options.emit = nnc::Stage::Exe;
  options.summary = summary->parsed();
  return nnc::compile(options);
}
