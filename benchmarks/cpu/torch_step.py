#!/usr/bin/env python3
"""PyTorch worker of compare.py: times one CPU training step of models/mlp.graph or
models/lenet5.graph, built as the .graph file defines it (layers, activations,
initializers, mean cross-entropy, SGD lr 0.05 momentum 0.9), on one fixed batch.

    /usr/bin/python3 benchmarks/cpu/torch_step.py --model mlp --batch 64 --threads 1 \
        --steps 20 --warmup 3 [--mode eager|compile]

One step: zero_grad, forward, loss, backward, optimizer step. --mode compile wraps
forward + loss in torch.compile (PyTorch 2.0+). Prints one JSON line (bench_common.py).
"""
import time

import os
import sys

import torch

import bench_common as bc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torch_models import LeNet5, MLP, WithLoss  # noqa: E402  (benchmarks/torch_models.py)


MODELS = {"mlp": MLP, "lenet5": LeNet5}


def make_optimizer(params):
    try:
        return torch.optim.SGD(params, lr=bc.LR, momentum=bc.MOMENTUM, foreach=True)
    except TypeError:                                 # a torch without `foreach`
        return torch.optim.SGD(params, lr=bc.LR, momentum=bc.MOMENTUM)


def run(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = MODELS[args.model]().train()
    optimizer = make_optimizer(list(model.parameters()))
    x = torch.rand(args.batch, *bc.INPUT_SHAPE) * 2 - 1         # like nnc: U[-1, 1)
    y = torch.tensor(bc.labels(args.batch), dtype=torch.int64)
    loss_fn = WithLoss(model)
    if args.mode == "compile":
        if not hasattr(torch, "compile"):
            raise RuntimeError(f"torch {torch.__version__} has no torch.compile (needs 2.0+)")
        loss_fn = torch.compile(loss_fn)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(x, y)
        loss.backward()
        optimizer.step()
        return loss

    result = dict(torch_threads=torch.get_num_threads())
    if args.mode == "compile":                    # compiles on its first step: time that
        t0 = time.perf_counter()
        step()
        result["compile_s"] = time.perf_counter() - t0
    ms, loss = bc.time_steps(step, args.steps, args.warmup)
    return dict(result, step_ms=ms, last_loss=float(loss.item()))


def main():
    args = bc.parse_args(__doc__.split("\n")[0])
    bc.report(args, "torch", torch.__version__, lambda: run(args))


if __name__ == "__main__":
    main()
