#!/usr/bin/env bash
# The README's first command: installs the dependencies, builds nnc (release preset),
# and runs the main job: compiles the default model (models/mlp.graph; NNC_MODEL=...
# picks another) into a training binary and trains it on Fashion-MNIST (Debian's
# dataset-fashion-mnist) for NNC_EPOCHS (10) epochs, ending with the test accuracy.
# Metrics, the loss/accuracy plot and checkpoints go to results/main/.
set -euo pipefail
cd "$(dirname "$0")/.."

model="${NNC_MODEL:-models/mlp.graph}"
data="${NNC_DATA:-/usr/share/datasets/fashion-mnist}"
epochs="${NNC_EPOCHS:-10}"

bash scripts/setup-deps.sh
cmake --preset default
cmake --build --preset default

nnc=build/default/bin/nnc
out=results/main
mkdir -p "$out"
name="$(basename "$model" .graph)"
echo "== nnc compile $model -o $out/$name"
"$nnc" compile "$model" -o "$out/$name"
"$out/$name" info | head -n 12
echo "== $out/$name train --data $data --epochs $epochs"
"$out/$name" train --data "$data" --epochs "$epochs" --seed 1 \
  --metrics "$out/$name.csv" --plot "$out/$name.svg" --checkpoint-dir "$out/$name.ckpt"
