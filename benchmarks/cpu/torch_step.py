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

import torch
import torch.nn as nn
import torch.nn.functional as F

import bench_common as bc


class MLP(nn.Module):
    """models/mlp.graph: 784-512-512-10, ReLU."""

    def __init__(self):
        super().__init__()
        self.h1 = nn.Linear(784, 512)                 # dense_relu<784, 512>
        self.h2 = nn.Linear(512, 512)                 # dense_relu<512, 512>
        self.out = nn.Linear(512, 10)                 # w3, b3
        for fc in (self.h1, self.h2):                 # kaiming_uniform(gain=relu), zeros
            nn.init.kaiming_uniform_(fc.weight, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(fc.bias)
        nn.init.xavier_uniform_(self.out.weight)      # xavier_uniform, zeros
        nn.init.zeros_(self.out.bias)

    def forward(self, x):                             # (N, 1, 28, 28)
        h = torch.flatten(x, 1)                       # (N, 784)
        h = F.relu(self.h1(h))
        h = F.relu(self.h2(h))
        return self.out(h)                            # (N, 10)


class LeNet5(nn.Module):
    """models/lenet5.graph: conv(pad 2)-tanh-avgpool, conv-tanh-avgpool, 400-120-84-10."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)       # conv_tanh_pool<1, 6, 2>
        self.c2 = nn.Conv2d(6, 16, 5, padding=0)      # conv_tanh_pool<6, 16, 0>
        self.f3 = nn.Linear(400, 120)                 # dense_tanh<400, 120>
        self.f4 = nn.Linear(120, 84)                  # dense_tanh<120, 84>
        self.out = nn.Linear(84, 10)                  # w5, b5
        gain = nn.init.calculate_gain("tanh")         # xavier_uniform(gain=tanh), zeros
        for layer in (self.c1, self.c2, self.f3, self.f4):
            nn.init.xavier_uniform_(layer.weight, gain=gain)
            nn.init.zeros_(layer.bias)
        nn.init.xavier_uniform_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x):                             # (N, 1, 28, 28)
        h = F.avg_pool2d(torch.tanh(self.c1(x)), 2)   # (N, 6, 14, 14)
        h = F.avg_pool2d(torch.tanh(self.c2(h)), 2)   # (N, 16, 5, 5)
        h = torch.flatten(h, 1)                       # (N, 400)
        h = torch.tanh(self.f3(h))
        h = torch.tanh(self.f4(h))
        return self.out(h)                            # (N, 10)


MODELS = {"mlp": MLP, "lenet5": LeNet5}


class WithLoss(nn.Module):
    """Forward and mean cross-entropy: the part --mode compile hands to torch.compile."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x, y):
        return F.cross_entropy(self.model(x), y)


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
