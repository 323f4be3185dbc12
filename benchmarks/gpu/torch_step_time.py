#!/usr/bin/env python3
"""PyTorch baseline for nnc's training-step time.

Measures the wall-clock time of one training step (zero_grad, forward, loss, backward,
optimizer step) of PyTorch for models/mlp.graph, models/lenet5.graph and
models/resnet18.graph, each built here exactly as its .graph file defines it (layers,
activations, shapes, initializers, cross_entropy with mean reduction, the `train`
section's optimizer and hyperparameters), float32, on synthetic data generated once on
the device. Two modes: eager, and torch.compile (default mode) of forward + loss.
Prints one JSON object to stdout, progress to stderr.

    python3 benchmarks/gpu/torch_step_time.py                       # CUDA, 20 + 200 steps
    python3 benchmarks/gpu/torch_step_time.py --device cpu --steps 3 --warmup 1
    python3 benchmarks/gpu/torch_step_time.py --models resnet18 --batch 256 --out r.json

Without torch.compile (PyTorch < 2.0) or when it fails, the compile results carry
step_ms null and the reason in "error".
"""
import argparse
import gc
import json
import math
import os
import re
import sys
import time
import traceback

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
NUM_CLASSES = 10


def log(msg):
    print(msg, file=sys.stderr, flush=True)


sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torch_models import LeNet5, MLP, WithLoss  # noqa: E402  (benchmarks/torch_models.py)


# --- models/resnet18.graph: CIFAR ResNet-18, 3x3 stem, no max pool ---------------------

class ConvBN(nn.Module):
    """conv_bn<cin, cout, k, stride, pad>: convolution without bias, then batch norm
    (batch statistics in training; running statistics momentum 0.1, eps 1e-5)."""

    def __init__(self, cin, cout, k=3, stride=1, pad=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=pad, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        nn.init.kaiming_normal_(self.conv.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        return self.bn(self.conv(x))


class Basic(nn.Module):                               # basic<c>: identity shortcut
    def __init__(self, c):
        super().__init__()
        self.c1 = ConvBN(c, c)
        self.c2 = ConvBN(c, c)

    def forward(self, x):
        return F.relu(self.c2(F.relu(self.c1(x))) + x)


class BasicDown(nn.Module):                           # basic_down<cin, cout>: stride 2
    def __init__(self, cin, cout):
        super().__init__()
        self.c1 = ConvBN(cin, cout, 3, 2, 1)
        self.c2 = ConvBN(cout, cout)
        self.sc = ConvBN(cin, cout, 1, 2, 0)

    def forward(self, x):
        return F.relu(self.c2(F.relu(self.c1(x))) + self.sc(x))


class ResNet18(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = ConvBN(3, 64)                                       # (N, 64, 32, 32)
        self.layer1 = nn.Sequential(Basic(64), Basic(64))              # (N, 64, 32, 32)
        self.layer2 = nn.Sequential(BasicDown(64, 128), Basic(128))    # (N, 128, 16, 16)
        self.layer3 = nn.Sequential(BasicDown(128, 256), Basic(256))   # (N, 256, 8, 8)
        self.layer4 = nn.Sequential(BasicDown(256, 512), Basic(512))   # (N, 512, 4, 4)
        self.fc = nn.Linear(512, 10)                                    # w, b
        nn.init.xavier_uniform_(self.fc.weight)
        nn.init.zeros_(self.fc.bias)

    def forward(self, x):                                               # (N, 3, 32, 32)
        h = self.layer1(F.relu(self.stem(x)))
        h = self.layer4(self.layer3(self.layer2(h)))
        h = F.adaptive_avg_pool2d(h, 1).flatten(1)                      # global_avg_pool
        return self.fc(h)                                               # (N, 10)


# name: module class, input shape without the batch axis, benchmark batch, the .graph
# file's `optimizer` line, and the torch.optim class and arguments it means
MODELS = {
    "mlp": dict(cls=MLP, shape=(1, 28, 28), batch=256,
                graph_line="sgd(lr=0.05, momentum=0.9)",
                opt=torch.optim.SGD, opt_args=dict(lr=0.05, momentum=0.9)),
    "lenet5": dict(cls=LeNet5, shape=(1, 28, 28), batch=256,
                   graph_line="sgd(lr=0.05, momentum=0.9)",
                   opt=torch.optim.SGD, opt_args=dict(lr=0.05, momentum=0.9)),
    "resnet18": dict(cls=ResNet18, shape=(3, 32, 32), batch=128,
                     graph_line="sgd(lr=0.1, momentum=0.9, weight_decay=5e-4)",
                     opt=torch.optim.SGD, opt_args=dict(lr=0.1, momentum=0.9, weight_decay=5e-4)),
}


def check_graph(name):
    """None if models/NAME.graph's optimizer line is the one mirrored here (or the file is
    not there to check), else the mismatch: an edited model must not be timed stale."""
    path = os.path.join(ROOT, "models", name + ".graph")
    if not os.path.exists(path):
        log(f"note: {path} not found; not checking the mirrored optimizer against it")
        return None
    with open(path) as f:
        lines = [re.sub(r"#.*", "", line).strip() for line in f]
    found = [line for line in lines if line.startswith("optimizer ")]
    expected = "optimizer " + MODELS[name]["graph_line"]
    if found != [expected]:
        return f"{path} says {found}, this script mirrors '{expected}': update it first"
    return None


def make_optimizer(spec, params):
    try:
        return spec["opt"](params, foreach=True, **spec["opt_args"])
    except TypeError:                                 # an optimizer without `foreach`
        return spec["opt"](params, **spec["opt_args"])


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def run_one(name, batch, mode, device, steps, warmup, compile_mode):
    spec = MODELS[name]
    result = dict(model=name, batch=batch, mode=mode, step_ms=None, examples_per_s=None,
                  warmup_s=None, error=None)
    mismatch = check_graph(name)
    if mismatch:
        result["error"] = mismatch
        return result
    if mode == "compile" and not hasattr(torch, "compile"):
        result["error"] = f"torch.compile is not available in torch {torch.__version__} (needs 2.0+)"
        return result

    torch.manual_seed(0)
    model = spec["cls"]().to(device=device, dtype=torch.float32).train()
    optimizer = make_optimizer(spec, list(model.parameters()))
    x = torch.randn(batch, *spec["shape"], device=device, dtype=torch.float32)
    y = torch.randint(0, NUM_CLASSES, (batch,), device=device, dtype=torch.int64)

    loss_fn = WithLoss(model)
    if mode == "compile":
        # Forward + loss are compiled (TorchDynamo/Inductor, and AOTAutograd compiles the
        # matching backward); zero_grad and optimizer.step stay eager (foreach SGD).
        torch._dynamo.reset()
        loss_fn = torch.compile(loss_fn, mode=compile_mode)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(x, y)
        loss.backward()
        optimizer.step()
        return loss

    # compile mode compiles on its first step: never let that land in the timed loop
    warmup = max(warmup, 1) if mode == "compile" else warmup
    sync(device)
    t0 = time.perf_counter()
    for _ in range(warmup):
        step()
    sync(device)
    t1 = time.perf_counter()
    for _ in range(steps):
        loss = step()
    sync(device)
    t2 = time.perf_counter()

    elapsed = t2 - t1
    result["warmup_s"] = t1 - t0
    result["step_ms"] = 1e3 * elapsed / steps
    result["examples_per_s"] = batch * steps / elapsed
    if not math.isfinite(loss.item()):
        result["error"] = f"non-finite loss {loss.item()} after {warmup + steps} steps"
    return result


def parse_batches(text, names):
    """'' (each model's benchmark batch), 'N' (all models) or 'mlp=N,resnet18=M'."""
    batches = {name: MODELS[name]["batch"] for name in names}
    if not text:
        return batches
    if "=" not in text:
        return {name: int(text) for name in names}
    for item in text.split(","):
        key, value = item.split("=")
        if key not in MODELS:
            sys.exit(f"--batch: unknown model '{key}'")
        batches[key] = int(value)
    return batches


def parse_list(text, allowed, flag):
    items = [s.strip() for s in text.split(",") if s.strip()]
    for item in items:
        if item not in allowed:
            sys.exit(f"{flag}: '{item}' is not one of {', '.join(allowed)}")
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--device", choices=["cuda", "cpu"],
                    default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--models", default="mlp,lenet5,resnet18")
    ap.add_argument("--modes", default="eager,compile")
    ap.add_argument("--steps", type=int, default=200, help="timed steps (default 200)")
    ap.add_argument("--warmup", type=int, default=20, help="untimed steps first (default 20)")
    ap.add_argument("--batch", default="",
                    help="N for every model, or mlp=N,lenet5=N,resnet18=N "
                         "(default: mlp 256, lenet5 256, resnet18 128)")
    ap.add_argument("--tf32", choices=["off", "on"], default="off",
                    help="TF32 for matmuls and cuDNN convolutions (default off: real fp32)")
    ap.add_argument("--cudnn-benchmark", choices=["off", "on"], default="on",
                    help="torch.backends.cudnn.benchmark (default on: autotuned convolutions)")
    ap.add_argument("--compile-mode", default="default", help="torch.compile mode")
    ap.add_argument("--out", help="also write the JSON to this file")
    args = ap.parse_args()

    names = parse_list(args.models, list(MODELS), "--models")
    modes = parse_list(args.modes, ["eager", "compile"], "--modes")
    batches = parse_batches(args.batch, names)
    if args.steps < 1 or args.warmup < 0:
        sys.exit("--steps must be >= 1 and --warmup >= 0")
    if args.device == "cuda" and not torch.cuda.is_available():
        sys.exit("--device cuda: no CUDA device available (use --device cpu)")
    device = torch.device(args.device)

    torch.manual_seed(0)
    torch.set_default_dtype(torch.float32)
    tf32 = args.tf32 == "on"
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32
    torch.backends.cudnn.benchmark = args.cudnn_benchmark == "on"

    device_name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    log(f"torch {torch.__version__} on {device_name}, tf32 {args.tf32}, "
        f"{args.warmup} warm-up + {args.steps} timed steps")

    results = []
    for name in names:
        for mode in modes:
            log(f"{name} (batch {batches[name]}) {mode} ...")
            try:
                r = run_one(name, batches[name], mode, device, args.steps, args.warmup,
                            args.compile_mode)
            except Exception as e:                    # one failure must not stop the rest
                log(traceback.format_exc())
                message = " ".join(str(e).split())
                r = dict(model=name, batch=batches[name], mode=mode, step_ms=None,
                         examples_per_s=None, warmup_s=None,
                         error=f"{type(e).__name__}: {message[:500]}")
            results.append(r)
            if r["step_ms"] is not None:
                log(f"  {r['step_ms']:.3f} ms/step, {r['examples_per_s']:.0f} examples/s, "
                    f"warm-up {r['warmup_s']:.2f} s" + (f"; {r['error']}" if r["error"] else ""))
            else:
                log(f"  failed: {r['error']}")
            gc.collect()
            if device.type == "cuda":
                torch.cuda.empty_cache()

    report = {
        "device": device_name,
        "torch": torch.__version__,
        "tf32": args.tf32,
        "cudnn_benchmark": args.cudnn_benchmark if device.type == "cuda" else None,
        "steps": args.steps,
        "warmup": args.warmup,
        "results": results,
    }
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
