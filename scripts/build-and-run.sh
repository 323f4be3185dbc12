#!/usr/bin/env bash
# The README's first command: installs the dependencies, builds nnc (release preset),
# and runs the main job on the default model. With the CPU backend the main job trains
# it on Fashion-MNIST (Debian's dataset-fashion-mnist); until then it prints the model's
# train step (stage grad) and summary.
set -euo pipefail
cd "$(dirname "$0")/.."

model="${NNC_MODEL:-models/mlp.graph}"
data="${NNC_DATA:-/usr/share/datasets/fashion-mnist}"

bash scripts/setup-deps.sh
cmake --preset default
cmake --build --preset default

nnc=build/default/bin/nnc
echo "== train-step IR of $model (forward, backward, optimizer update)"
"$nnc" compile --emit=grad "$model"
echo "== summary"
"$nnc" summary "$model"
echo "== data: $(ls "$data"/*.gz | wc -l) IDX files in $data (training arrives with the CPU backend)"
