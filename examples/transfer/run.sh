#!/usr/bin/env bash
# Transfer learning, end to end: LeNet-5 learns Fashion-MNIST's classes 5-9 (sandal,
# shirt, sneaker, bag, ankle boot); its convolutional body, frozen, then serves classes
# 0-4 (T-shirt, trouser, pullover, dress, coat) under a new head, with only the dense
# layers trained. For comparison the same frozen network starts from a random body.
# (FREEZE=c1,c2,f3,f4 freezes everything but the head.) Usage:
#   examples/transfer/run.sh [OUT_DIR] [EPOCHS]    (NNC=path/to/nnc, DATA=folder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
nnc="${NNC:-$here/../../build/default/bin/nnc}"
out="${1:-results/transfer}"
epochs="${2:-3}"
data="${DATA:-/usr/share/datasets/fashion-mnist}"
mkdir -p "$out"

# 1. The base network on classes 5-9, every parameter trained.
"$nnc" compile "$here/lenet5_half.graph" -o "$out/base"
"$out/base" train --data "$data" --classes 5,6,7,8,9 --epochs "$epochs" --seed 1 --quiet \
  --checkpoint-dir "$out/base_ck" | sed 's/^/base (classes 5-9): /'

# 2. The same network with its convolutions frozen: no backward work reaches them.
"$nnc" compile "$here/lenet5_half.graph" --freeze "${FREEZE:-c1,c2}" -o "$out/finetune"

# 3. Transfer: the base's weights by name except a fresh head (--init-exclude), classes 0-4.
"$out/finetune" train --data "$data" --classes 0,1,2,3,4 --epochs "$epochs" --seed 2 \
  --init-from "$out/base_ck/last.nnck" --init-exclude logits --checkpoint-dir "$out/transfer_ck" |
  grep -E "^--init-from|^test accuracy" | sed 's/^/transfer (classes 0-4): /'

# 4. Baseline: the same frozen network from random convolutions.
"$out/finetune" train --data "$data" --classes 0,1,2,3,4 --epochs "$epochs" --seed 2 --quiet |
  sed 's/^/random frozen body (classes 0-4): /'
