#!/usr/bin/env bash
# The README's first command: installs the dependencies, builds nnc (release preset),
# and runs the main job on the default model. Until the CPU backend lands the main job
# compiles the model to typed nn IR and prints its summary; with the backend it trains
# it on Fashion-MNIST (Debian's dataset-fashion-mnist).
set -euo pipefail
cd "$(dirname "$0")/.."

model="${NNC_MODEL:-models/mlp.graph}"
data="${NNC_DATA:-/usr/share/datasets/fashion-mnist}"

bash scripts/setup-deps.sh
cmake --preset default
cmake --build --preset default

nnc=build/default/bin/nnc
echo "== typed nn IR of $model"
"$nnc" compile --emit=nn "$model"
echo "== summary"
"$nnc" summary "$model"
echo "== data: $(ls "$data"/*.gz | wc -l) IDX files in $data (training arrives with the CPU backend)"
