#!/usr/bin/env bash
# The whole GPU check of the CUDA backend, in two halves (docs/backend-cuda.md):
#
#   scripts/gpu-check.sh prepare
#       Here, with the compiler (the GPU machine has no LLVM/MLIR): builds what is
#       missing, compiles every op case and the benchmark models for CUDA, and packs them
#       with their shared libraries and Fashion-MNIST into .gpu/ (git-ignored, < 64 MiB).
#
#   scripts/gpu-check.sh run OUTDIR
#       On the GPU machine, from the repository root: the op cases against the
#       interpreter, LeNet-5 trained five epochs on the GPU and on the CPU with the same
#       seed, train-step times of nnc and of PyTorch (eager and torch.compile) on the
#       same GPU, and OUTDIR/report.md with the ratios. About 2 minutes on an H200.
#
# With the device tool: run(command="scripts/gpu-check.sh run $OUT", carry=[".gpu"]).
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-}
pack=.gpu

prepare() {
  set -e
  local build=build/default
  [ -f $build/build.ninja ] || cmake --preset default
  cmake --build $build --target nnc nnc_cuda_fixture nnc_cuda_check nnc_train_bundle
  rm -rf $pack && mkdir -p $pack/x/bin $pack/x/lib $pack/data
  grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> .git/info/exclude
  $build/bin/nnc_cuda_fixture $pack/x/cases
  NNC_CUDA_INDEX_BITS=64 $build/bin/nnc_cuda_fixture $pack/x/cases64
  cp $build/bin/nnc_cuda_check $pack/x/bin/
  # Host code for a portable x86-64 level: the GPU machine's CPU is not this one.
  local cpu=x86-64-v3
  $build/bin/nnc compile models/lenet5.graph --cpu $cpu -o $pack/x/bin/lenet5_cpu
  for spec in "lenet5 64" "mlp 256" "lenet5 256" "resnet18 128"; do
    set -- $spec
    $build/bin/nnc compile models/$1.graph --target=cuda --cpu $cpu --batch $2 -o $pack/x/bin/$1_b$2_cuda
  done
  # 64-bit index arithmetic in kernels (--cuda-index-bits=64; these models get 32 by
  # default), checked and timed next to the default.
  for spec in "lenet5 64" "mlp 256" "lenet5 256" "resnet18 128"; do
    set -- $spec
    $build/bin/nnc compile models/$1.graph --target=cuda --cuda-index-bits=64 --cpu $cpu --batch $2 \
      -o $pack/x/bin/$1_b$2_cuda_index64
  done
  # Convolutions as im2col + cuBLAS (--cuda-conv=gemm), timed next to cuDNN (the default).
  for spec in "lenet5 256" "resnet18 128"; do
    set -- $spec
    $build/bin/nnc compile models/$1.graph --target=cuda --cuda-conv=gemm --cpu $cpu --batch $2 \
      -o $pack/x/bin/$1_b$2_cuda_convgemm
  done
  # Shared libraries the binaries need beyond glibc and the C++ runtime.
  for f in $pack/x/bin/*; do ldd "$f"; done | awk '$3 ~ /^\// {print $3}' | sort -u |
    grep -vE '/(libc|libm|libdl|libpthread|librt|ld-linux[^/]*|libstdc\+\+|libgcc_s)\.so' |
    while read -r lib; do cp -L "$lib" $pack/x/lib/; done
  tar -C $pack/x -cJf $pack/payload.tar.xz . && rm -rf $pack/x
  cp /usr/share/datasets/fashion-mnist/*.gz $pack/data/
  du -sh $pack
}

# bench_models FILE SUFFIX [VAR=VALUE]: `bench --json` lines of the models built with
# SUFFIX (those that exist) into $out/FILE, with the environment setting if given.
bench_models() {
  local file=$1 suffix=$2 setting=${3:-}
  : > "$out/$file"
  local model steps warmup
  for spec in "mlp_b256 100 10" "lenet5_b256 100 10" "resnet18_b128 20 3"; do
    read -r model steps warmup <<< "$spec"
    [ -x "$bin/$model$suffix" ] || continue
    env $setting timeout 75 "$bin/$model$suffix" bench --steps "$steps" --warmup "$warmup" --json \
      >> "$out/$file" 2>> "$out/bench_nnc.err"
  done
  cat "$out/$file"
}

run() {
  out=${1:?usage: scripts/gpu-check.sh run OUTDIR}
  mkdir -p "$out"
  [ -f $pack/payload.tar.xz ] || { echo "no $pack/payload.tar.xz: run 'scripts/gpu-check.sh prepare' first" >&2; exit 1; }
  python3 -c "import tarfile; tarfile.open('$pack/payload.tar.xz').extractall('$pack/x')"
  export LD_LIBRARY_PATH=$PWD/$pack/x/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  bin=$pack/x/bin
  # cuDNN: the toolkit's, else the one PyTorch's wheels bring.
  if ! ldconfig -p | grep -q 'libcudnn.so.9 ' && [ ! -e /usr/local/cuda/lib64/libcudnn.so.9 ]; then
    local cudnn
    cudnn=$(python3 -c 'import nvidia.cudnn, os; print(os.path.join(list(nvidia.cudnn.__path__)[0], "lib"))' 2>/dev/null)
    [ -n "$cudnn" ] && export LD_LIBRARY_PATH=$cudnn:$LD_LIBRARY_PATH
  fi
  { nvidia-smi -L; nvcc --version | tail -1; python3 -c 'import torch; print("torch", torch.__version__)'; nproc;
    ldconfig -p | grep -m1 'libcudnn.so.9 '; echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"; } > "$out/machine.txt" 2>&1
  for f in $bin/*; do ldd "$f" | grep -q 'not found' && { echo "missing libraries for $f:"; ldd "$f" | grep 'not found'; }; done

  echo "== op cases on the GPU"
  timeout 120 $bin/nnc_cuda_check $pack/x/cases > "$out/ops.log" 2>&1
  echo "exit $?" >> "$out/ops.log"; tail -3 "$out/ops.log"

  echo "== op cases with 64-bit index arithmetic"
  timeout 120 $bin/nnc_cuda_check $pack/x/cases64 > "$out/ops_index64.log" 2>&1
  echo "exit $?" >> "$out/ops_index64.log"; tail -2 "$out/ops_index64.log"

  echo "== nnc train-step times: as built by default, with 64-bit indices, without CUDA graphs, conv as im2col"
  bench_models bench_nnc.jsonl _cuda
  bench_models bench_nnc_index64.jsonl _cuda_index64
  bench_models bench_nnc_nograph.jsonl _cuda NNC_CUDA_GRAPH=0
  bench_models bench_nnc_convgemm.jsonl _cuda_convgemm

  echo "== where the time goes (NNC_CUDA_PROFILE: every call synchronized)"
  for spec in "lenet5_b256 20" "resnet18_b128 5"; do
    set -- $spec
    NNC_CUDA_PROFILE=1 timeout 60 $bin/$1_cuda bench --steps $2 --warmup 1 > /dev/null 2> "$out/profile_$1.txt"
    head -12 "$out/profile_$1.txt"
  done

  echo "== LeNet-5, five epochs of Fashion-MNIST (cosine learning rate), seed 1: GPU, then CPU"
  timeout 120 $bin/lenet5_b64_cuda train --data $pack/data --epochs 5 --lr-schedule cosine --seed 1 --metrics "$out/lenet5_cuda.csv" \
    --checkpoint-dir "$out/ck_gpu" > "$out/lenet5_cuda.log" 2>&1; tail -2 "$out/lenet5_cuda.log"
  timeout 120 $bin/lenet5_b64_cuda_index64 train --data $pack/data --epochs 5 --lr-schedule cosine --seed 1 \
    --metrics "$out/lenet5_cuda_index64.csv" > "$out/lenet5_cuda_index64.log" 2>&1; tail -1 "$out/lenet5_cuda_index64.log"
  echo "== the GPU's checkpoint evaluated by the CPU binary (checkpoints are interchangeable)"
  timeout 60 $bin/lenet5_cpu eval --data $pack/data --checkpoint "$out/ck_gpu/last.nnck" > "$out/lenet5_gpu_ck_on_cpu.log" 2>&1
  tail -1 "$out/lenet5_gpu_ck_on_cpu.log"
  timeout 120 $bin/lenet5_cpu train --data $pack/data --epochs 5 --lr-schedule cosine --seed 1 --threads 0 --metrics "$out/lenet5_cpu.csv" \
    > "$out/lenet5_cpu.log" 2>&1; tail -2 "$out/lenet5_cpu.log"

  echo "== PyTorch on the same GPU"
  timeout 200 python3 benchmarks/gpu/torch_step_time.py --steps 100 --warmup 10 --out "$out/torch.json" \
    > /dev/null 2> "$out/torch.err"; tail -3 "$out/torch.err"

  python3 benchmarks/gpu/report.py "$out" > "$out/report.md"
  cat "$out/report.md"
}

case "$mode" in
prepare) prepare ;;
run) shift; run "$@" ;;
*) echo "usage: scripts/gpu-check.sh prepare | run OUTDIR" >&2; exit 2 ;;
esac
