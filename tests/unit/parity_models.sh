#!/bin/sh
# The parity_models fixture of nnc_parity_tests (tests/unit/parity_test.cpp, docs/parity.md):
# compiles the parity models to objects with the built nnc and links each into a shared
# library the test dlopens.
#   parity_models.sh NNC CXX SOURCE_DIR WORK_DIR [LINK_ARG...]
# Models: mlp and lenet5 from models/; lenet5_adam = lenet5.graph with its optimizer line
# replaced (keep in step with scripts/gen_parity_refs.py's LENET5_ADAM_LINE); and float64
# copies of the three (every f32 turned to f64): mlp_f64, lenet5_f64, lenet5_adam_f64.
set -eu
nnc=$1 cxx=$2 src=$3 work=$4
shift 4
mkdir -p "$work"
cd "$work"
cp "$src/models/mlp.graph" "$src/models/lenet5.graph" .
sed 's/^  optimizer .*/  optimizer adam(lr=0.001)/' lenet5.graph > lenet5_adam.graph
grep -q '^  optimizer adam(lr=0.001)$' lenet5_adam.graph
for m in mlp lenet5 lenet5_adam; do
  sed 's/f32/f64/g' $m.graph > ${m}_f64.graph
done
for m in mlp lenet5 lenet5_adam mlp_f64 lenet5_f64 lenet5_adam_f64; do
  "$nnc" compile --emit=obj $m.graph -o $m.o
  "$cxx" -shared -o $m.so $m.o -lm "$@"
done
