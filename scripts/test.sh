#!/usr/bin/env bash
# The README's second command: every test. Installs the dependencies, then builds and
# runs the `default` workflow (lit, gtest) and the `sanitize` workflow (lit and gtest
# under ASan + UBSan, and the parser fuzzer for NNC_FUZZ_SECONDS, 60 by default).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-deps.sh
cmake --workflow --preset default
cmake --preset sanitize -DNNC_FUZZ_SECONDS="${NNC_FUZZ_SECONDS:-60}" > /dev/null
cmake --workflow --preset sanitize
