#!/usr/bin/env bash
# Installs what benchmarks/cpu/compare.py needs besides nnc itself:
#   - Debian packages: PyTorch 1.13 (python3-torch, for /usr/bin/python3), OpenBLAS and
#     jemalloc (the tuned PyTorch configuration), GNU time (peak RSS);
#   - a virtual environment with JAX (CPU) from PyPI, at
#     ${NNC_BENCH_VENV:-$HOME/.cache/nnc-bench-venv}, made with ${NNC_BENCH_PYTHON:-python3}.
# Idempotent: installed packages are skipped, an existing venv with JAX is kept.
#   scripts/bench-setup.sh             # everything
#   scripts/bench-setup.sh --no-apt    # only the JAX venv
set -euo pipefail

VENV=${NNC_BENCH_VENV:-$HOME/.cache/nnc-bench-venv}
PYTHON=${NNC_BENCH_PYTHON:-python3}
# The newest JAX that installed (with its jaxlib) on Python 3.11 when this was written;
# override with NNC_BENCH_JAX_SPEC='jax[cpu]' for whatever pip picks.
JAX_SPEC=${NNC_BENCH_JAX_SPEC:-'jax[cpu]==0.10.2'}

if [ "${1:-}" != "--no-apt" ]; then
  packages=(python3-torch libopenblas0 libjemalloc2 time)
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "bench-setup: installing ${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "bench-setup: Debian packages present"
  fi
fi

if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import jax" 2>/dev/null; then
  echo "bench-setup: $VENV has jax $("$VENV/bin/python" -c 'import jax; print(jax.__version__)')"
  exit 0
fi
echo "bench-setup: creating $VENV with $("$PYTHON" --version 2>&1)"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q "$JAX_SPEC"
echo "bench-setup: $VENV has jax $("$VENV/bin/python" -c 'import jax; print(jax.__version__)')"
