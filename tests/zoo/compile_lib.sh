#!/bin/sh
# A zoo_lib_* fixture of nnc_zoo_tests (tests/zoo/zoo_test.cpp): compiles one model to an
# object with the built nnc and links it into a shared library the test dlopens
# (symbol nnc_model_<stem of the .graph file>).
#   compile_lib.sh NNC CXX MODEL.graph WORK_DIR "NNC_ARGS" [LINK_ARG...]
set -eu
nnc=$1 cxx=$2 graph=$3 work=$4 nncargs=$5
shift 5
name=$(basename "$graph" .graph)
mkdir -p "$work"
# shellcheck disable=SC2086  # NNC_ARGS is a word list (e.g. "--batch 200")
"$nnc" compile --emit=obj $nncargs "$graph" -o "$work/$name.o"
"$cxx" -shared -o "$work/$name.so" "$work/$name.o" -lm "$@"
