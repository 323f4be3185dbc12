"""What the framework workers of compare.py share (standard library only, so that both
Debian's python3 with PyTorch and the JAX venv can import it).

A worker times one framework on one case and prints one JSON object on stdout:
  {"framework", "version", "model", "batch", "threads", "steps", "step_ms",
   "compile_s", "last_loss", "os_threads", "error"}
compile_s is null where the framework has no compile step; on failure step_ms is null
and error says why (the worker still exits 0 when it could report).
"""
import argparse
import json
import math
import os
import sys
import time
import traceback

NUM_CLASSES = 10
INPUT_SHAPE = (1, 28, 28)      # both models: x: f32[B, 1, 28, 28]
LR, MOMENTUM = 0.05, 0.9       # both models: optimizer sgd(lr=0.05, momentum=0.9)
MODELS = ("mlp", "lenet5")


def parse_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--model", choices=MODELS, required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--steps", type=int, required=True)
    ap.add_argument("--warmup", type=int, required=True)
    ap.add_argument("--mode", default="eager", help="framework-specific variant")
    return ap.parse_args()


def labels(batch):
    """Labels as nnc's bench sets them: i mod the number of classes."""
    return [i % NUM_CLASSES for i in range(batch)]


def time_steps(step, steps, warmup, sync=lambda out: out):
    """Mean wall time of one step over `steps` steps after `warmup` untimed ones, as
    nnc's bench measures it (one clock around the whole loop). `step` returns the loss;
    `sync` waits for it (JAX dispatches asynchronously). Returns (ms, last loss)."""
    out = None
    for _ in range(warmup):
        out = step()
    if out is not None:
        sync(out)
    t0 = time.perf_counter()
    for _ in range(steps):
        out = step()
    sync(out)
    seconds = time.perf_counter() - t0
    return 1e3 * seconds / steps, out


def os_threads():
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return None


def report(args, framework, version, run):
    """Calls run() -> dict(step_ms, last_loss[, compile_s]) and prints the JSON line,
    turning any exception into the error field."""
    result = dict(framework=framework, version=version, model=args.model, batch=args.batch,
                  threads=args.threads, steps=args.steps, mode=args.mode, step_ms=None,
                  compile_s=None, last_loss=None, os_threads=None, error=None)
    try:
        result.update(run())
        loss = result["last_loss"]
        if loss is not None and not math.isfinite(loss):
            result["error"] = f"non-finite loss {loss}"
    except Exception as e:                           # reported, never a crash
        traceback.print_exc(file=sys.stderr)
        message = " ".join(str(e).split())[:300]
        result["error"] = f"{type(e).__name__}: {message}"
        result["step_ms"] = None
    result["os_threads"] = os_threads()
    print(json.dumps(result), flush=True)
