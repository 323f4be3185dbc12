#!/usr/bin/env bash
# Fashion-MNIST accuracy runs of the lecture's first networks (issue 4's targets:
# logistic regression >= 83%, MLP >= 88.5%, LeNet-5 >= 90% after at most 10 epochs,
# seed fixed). Compiles each model into a training binary, trains it, and prints the
# final test accuracy; metrics (CSV) and curves (SVG) go to results/accuracy/.
#   scripts/accuracy.sh [model ...]      default: logistic mlp lenet5
# Needs a built tree (scripts/build-and-run.sh or cmake --build --preset default).
set -euo pipefail
cd "$(dirname "$0")/.."

nnc=build/default/bin/nnc
data="${NNC_DATA:-/usr/share/datasets/fashion-mnist}"
epochs="${NNC_EPOCHS:-10}"
out=results/accuracy
mkdir -p "$out"
models=("$@")
[ ${#models[@]} -eq 0 ] && models=(logistic mlp lenet5)

for model in "${models[@]}"; do
  "$nnc" compile "models/$model.graph" -o "$out/$model"
  echo "== $model: $epochs epochs, seed 1"
  "$out/$model" train --data "$data" --epochs "$epochs" --seed 1 --quiet \
    --metrics "$out/$model.csv" --plot "$out/$model.svg" --checkpoint-dir "$out/$model.ckpt" | tail -1
done
