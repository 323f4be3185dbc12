# lit configuration of nnc's regression tests (dialect, passes, frontend, diagnostics).
import os
import lit.formats
from lit.llvm import llvm_config

config.name = "nnc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".graph", ".test"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.nnc_binary_dir, "tests", "lit")

llvm_config.use_default_substitutions()
config.substitutions.append(("%models", os.path.join(config.nnc_source_dir, "models")))

# nnc's tools first, then FileCheck/not/count from LLVM 19.
llvm_config.with_environment("PATH", config.nnc_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
# The CUDA toolkit (ptxas, fatbinary) that --target=cuda compiles kernels with.
if os.path.exists("/usr/local/cuda/bin/ptxas"):
    config.available_features.add("cuda-toolkit")
# The real data set (Debian's dataset-fashion-mnist) for end-to-end training tests.
if os.path.exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"):
    config.available_features.add("fashion-mnist")
if config.nnc_sanitize:
    config.available_features.add("sanitize")
    config.environment["ASAN_OPTIONS"] = "detect_leaks=1:abort_on_error=0"
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
