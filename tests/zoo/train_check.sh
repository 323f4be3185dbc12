#!/bin/sh
# One zoo_train_* test (tests/zoo/CMakeLists.txt): trains a compiled training binary on a
# generated data folder and checks from its metrics CSV that the model learned:
#   the last epoch's mean train loss <= FACTOR x the first epoch's, and
#   the last epoch's train accuracy >= MIN_ACCURACY.
#   train_check.sh BINARY DATA_DIR METRICS.csv EPOCHS FACTOR MIN_ACCURACY [TRAIN_ARG...]
# The CSV's columns are found by name (epoch, train_loss, train_accuracy, ...).
set -eu
bin=$1 data=$2 metrics=$3 epochs=$4 factor=$5 minacc=$6
shift 6
rm -f "$metrics"
"$bin" train --data "$data" --epochs "$epochs" --metrics "$metrics" --threads 1 --seed 1 "$@"
awk -F, -v factor="$factor" -v minacc="$minacc" -v name="$(basename "$bin")" '
  NR == 1 { for (i = 1; i <= NF; ++i) col[$i] = i; next }
  { loss[NR - 1] = $col["train_loss"]; acc[NR - 1] = $col["train_accuracy"]; n = NR - 1 }
  END {
    if (!("train_loss" in col) || !("train_accuracy" in col) || n < 2) {
      print name ": expected train_loss and train_accuracy for 2 or more epochs in the metrics file"; exit 1
    }
    printf "%s: train loss %.4f (epoch 1) -> %.4f (epoch %d) = %.3f x (limit %s x); train accuracy %.4f (min %s)\n",
           name, loss[1], loss[n], n, loss[n] / loss[1], factor, acc[n], minacc
    if (!(loss[n] <= factor * loss[1])) { print name ": FAIL: the train loss did not fall enough"; exit 1 }
    if (!(acc[n] >= minacc)) { print name ": FAIL: the train accuracy stayed too low"; exit 1 }
  }' "$metrics"
