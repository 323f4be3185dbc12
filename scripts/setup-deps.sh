#!/usr/bin/env bash
# Installs every Debian package nnc needs to build, test and run its main job.
# Idempotent: apt skips what is already installed; safe to run on every CI start.
set -euo pipefail

packages=(
  # toolchain: clang-19 + lld-19 build everything; ninja + cmake drive it
  clang-19 lld-19 llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools
  libclang-rt-19-dev libzstd-dev cmake ninja-build python3
  # generated code runs its parallel loops on LLVM's OpenMP runtime
  libomp-19-dev
  # libraries
  libflatbuffers-dev flatbuffers-compiler libcli11-dev libfmt-dev zlib1g-dev libzip-dev pkg-config
  # NumPy reads and writes .npz in the interop test (it skips without it)
  python3-numpy
  libgtest-dev libgmock-dev libbenchmark-dev
  # the default data set of the main job
  dataset-fashion-mnist
  # training binaries draw --plot curves with gnuplot (they warn and go on without it)
  gnuplot-nox
  # training binaries write `filters` and `dream` pictures as PNG (libpng)
  libpng-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup-deps: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup-deps: all packages present"
fi
