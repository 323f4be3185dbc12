#!/usr/bin/env python3
"""Writes tests/unit/optimizer_refs.inc: PyTorch reference trajectories for the
optimizer suite (tests/unit/optimizer_test.cpp).

The problem: a 2-layer MLP 4 -> 5 -> 3 (tanh, then cross_entropy with mean reduction)
on a fixed batch of 6 examples, in float64, with the fixed initial weights below. Each
configuration trains it for 20 steps with one torch.optim optimizer (single-tensor
path, foreach=False) and records the parameters after steps 1, 5, 10 and 20 and the
loss of every step (the loss of step t is computed before step t's update).

The output is committed, so CI needs no PyTorch. Regenerate with Debian's PyTorch:
    /usr/bin/python3 scripts/gen_optimizer_refs.py
"""
import os

import torch
import torch.nn.functional as F

# Every tensor, optimizer state included (NAdam's mu_product, the step counters), is
# float64: torch.tensor(1.) in an optimizer's state init follows the default dtype.
torch.set_default_dtype(torch.float64)

STEPS = 20
CHECKPOINTS = [1, 5, 10, 20]

# The batch: 6 examples of 4 features, labels in 0..2.
X = [
    [0.50, -1.20, 0.30, 0.80],
    [-0.70, 0.40, 1.10, -0.20],
    [1.30, 0.90, -0.60, 0.10],
    [-0.25, -0.85, -1.40, 0.60],
    [0.05, 1.60, 0.45, -1.10],
    [-1.50, 0.20, 0.75, 0.95],
]
Y = [0, 2, 1, 2, 0, 1]

# Initial weights, in the .graph declaration order (linear: weight is [out, in]).
PARAMS = [
    ("w1", [5, 4], [
        0.31, -0.42, 0.17, 0.08,
        -0.25, 0.36, -0.11, 0.44,
        0.12, 0.05, -0.38, -0.29,
        -0.47, 0.21, 0.33, -0.06,
        0.27, -0.15, 0.09, 0.40,
    ]),
    ("b1", [5], [0.02, -0.13, 0.07, 0.11, -0.04]),
    ("w2", [3, 5], [
        0.22, -0.35, 0.41, -0.18, 0.06,
        -0.31, 0.14, -0.09, 0.37, -0.26,
        0.19, 0.28, -0.44, 0.03, 0.32,
    ]),
    ("b2", [3], [-0.05, 0.08, 0.01]),
]

# name, torch.optim class name, .graph optimizer name, keyword arguments (as in the
# .graph line; betas is a pair), and optionally a max_norm for
# torch.nn.utils.clip_grad_norm_ before every step (the .graph's `clip_grad_norm`).
# Non-default values throughout, so a default silently taking a hyperparameter's place
# shows; the clipping bounds are below the gradient norms of this problem, so they bind.
CONFIGS = [
    ("sgd", "SGD", "sgd", dict(lr=0.1)),
    ("sgd_momentum", "SGD", "sgd", dict(lr=0.05, momentum=0.9)),
    ("sgd_momentum_dampening", "SGD", "sgd", dict(lr=0.05, momentum=0.9, dampening=0.1)),
    ("sgd_nesterov", "SGD", "sgd", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("sgd_weight_decay", "SGD", "sgd", dict(lr=0.1, weight_decay=0.01)),
    ("sgd_nesterov_weight_decay", "SGD", "sgd",
     dict(lr=0.04, momentum=0.8, nesterov=True, weight_decay=0.02)),
    ("adagrad", "Adagrad", "adagrad", dict(lr=0.05)),
    ("adagrad_lr_decay_init_weight_decay", "Adagrad", "adagrad",
     dict(lr=0.05, lr_decay=0.01, initial_accumulator_value=0.1, weight_decay=0.01, eps=1e-9)),
    ("adadelta", "Adadelta", "adadelta", dict(lr=0.5, rho=0.85)),
    ("adadelta_weight_decay", "Adadelta", "adadelta",
     dict(lr=0.5, rho=0.9, eps=1e-5, weight_decay=0.01)),
    ("rmsprop", "RMSprop", "rmsprop", dict(lr=0.005, alpha=0.95)),
    ("rmsprop_momentum", "RMSprop", "rmsprop", dict(lr=0.003, alpha=0.9, momentum=0.5)),
    ("rmsprop_centered", "RMSprop", "rmsprop", dict(lr=0.004, alpha=0.97, centered=True)),
    ("rmsprop_momentum_centered_weight_decay", "RMSprop", "rmsprop",
     dict(lr=0.002, alpha=0.9, eps=1e-7, momentum=0.9, centered=True, weight_decay=0.01)),
    ("adam", "Adam", "adam", dict(lr=0.01, betas=(0.85, 0.995), eps=1e-7)),
    ("adam_amsgrad", "Adam", "adam", dict(lr=0.01, betas=(0.9, 0.99), amsgrad=True)),
    ("adam_weight_decay", "Adam", "adam", dict(lr=0.01, weight_decay=0.01)),
    ("adamw", "AdamW", "adamw", dict(lr=0.01, weight_decay=0.01)),
    ("adamw_amsgrad", "AdamW", "adamw",
     dict(lr=0.02, betas=(0.8, 0.99), weight_decay=0.05, amsgrad=True)),
    ("nadam", "NAdam", "nadam", dict(lr=0.01, betas=(0.85, 0.995))),
    ("nadam_weight_decay", "NAdam", "nadam",
     dict(lr=0.01, weight_decay=0.01, momentum_decay=0.005)),
    ("sgd_momentum_clip", "SGD", "sgd", dict(lr=0.1, momentum=0.9), 0.05),
    ("adam_clip", "Adam", "adam", dict(lr=0.01), 0.05),
]


def graph_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (tuple, list)):
        return "[" + ", ".join(graph_value(e) for e in v) + "]"
    return repr(float(v))


def graph_line(optimizer, kwargs):
    return optimizer + "(" + ", ".join(f"{k}={graph_value(v)}" for k, v in kwargs.items()) + ")"


def run(cls_name, kwargs, clip):
    params = [torch.tensor(values).reshape(shape).requires_grad_() for _, shape, values in PARAMS]
    w1, b1, w2, b2 = params
    x = torch.tensor(X)
    y = torch.tensor(Y, dtype=torch.int64)
    opt = getattr(torch.optim, cls_name)(params, foreach=False, **kwargs)
    losses, snapshots = [], []
    for step in range(1, STEPS + 1):
        opt.zero_grad()
        logits = F.linear(torch.tanh(F.linear(x, w1, b1)), w2, b2)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        if clip:
            norm = torch.nn.utils.clip_grad_norm_(params, clip)
            assert norm > clip, f"clip_grad_norm {clip} does not bind at step {step} (norm {norm})"
        opt.step()
        losses.append(loss.item())
        if step in CHECKPOINTS:
            snapshots.append([v for p in params for v in p.detach().reshape(-1).tolist()])
    # Every float hyperparameter as torch resolved it (defaults included), betas split:
    # the run-time arguments of nnc's train_step, by name.
    hyper = []
    for key, value in opt.param_groups[0].items():
        if key == "betas":
            hyper += [("beta1", value[0]), ("beta2", value[1])]
        elif isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool)):
            hyper.append((key, float(value)))
    if clip:
        hyper.append(("max_grad_norm", float(clip)))
    return hyper, losses, snapshots


def doubles(values, indent):
    lines, row = [], []
    for v in values:
        row.append(repr(float(v)))
        if len(row) == 4:
            lines.append(indent + ", ".join(row) + ",")
            row = []
    if row:
        lines.append(indent + ", ".join(row) + ",")
    return "\n".join(lines)


def main():
    out = []
    out.append(f"// Generated by scripts/gen_optimizer_refs.py with torch {torch.__version__}; do not edit.")
    out.append("// PyTorch reference trajectories of a float64 MLP 4 -> 5 -> 3 (tanh, cross_entropy)")
    out.append("// trained for kSteps steps on one fixed batch, one entry per optimizer configuration.")
    out.append("#pragma once")
    out.append("")
    out.append("#include <cstdint>")
    out.append("#include <vector>")
    out.append("")
    out.append("namespace optimizer_refs {")
    out.append("")
    out.append("struct Hyper { const char *name; double value; };")
    out.append("struct Param { const char *name; std::vector<int64_t> shape; std::vector<double> init; };")
    out.append("struct Config {")
    out.append("  const char *name;")
    out.append("  const char *optimizer;                   // the .graph `optimizer` line")
    out.append("  double clipGradNorm;                     // the .graph `clip_grad_norm` (0: none)")
    out.append("  std::vector<Hyper> hyper;                // every float hyperparameter, betas split")
    out.append("  std::vector<double> losses;              // the loss of steps 1..kSteps")
    out.append("  std::vector<std::vector<double>> params; // after each kCheckpoints step: kParams, flattened, concatenated")
    out.append("};")
    out.append("")
    out.append(f"inline constexpr int kSteps = {STEPS};")
    out.append("inline const std::vector<int> kCheckpoints = {" + ", ".join(map(str, CHECKPOINTS)) + "};")
    out.append(f"inline const std::vector<int64_t> kXShape = {{{len(X)}, {len(X[0])}}};")
    out.append("inline const std::vector<double> kX = {")
    out.append(doubles([v for row in X for v in row], "    "))
    out.append("};")
    out.append("inline const std::vector<int64_t> kY = {" + ", ".join(map(str, Y)) + "};")
    out.append("inline const std::vector<Param> kParams = {")
    for name, shape, values in PARAMS:
        out.append(f"    {{\"{name}\", {{{', '.join(map(str, shape))}}}, {{")
        out.append(doubles(values, "        "))
        out.append("    }},")
    out.append("};")
    out.append("")
    out.append("inline const std::vector<Config> kConfigs = {")
    for name, cls_name, optimizer, kwargs, *clip in CONFIGS:
        clip = clip[0] if clip else 0.0
        hyper, losses, snapshots = run(cls_name, kwargs, clip)
        out.append("    {")
        out.append(f"        \"{name}\",")
        out.append(f"        \"{graph_line(optimizer, kwargs)}\",")
        out.append(f"        {float(clip)!r},")
        out.append("        {" + ", ".join(f"{{\"{k}\", {v!r}}}" for k, v in hyper) + "},")
        out.append("        {")
        out.append(doubles(losses, "            "))
        out.append("        },")
        out.append("        {")
        for snapshot in snapshots:
            out.append("            {")
            out.append(doubles(snapshot, "                "))
            out.append("            },")
        out.append("        },")
        out.append("    },")
    out.append("};")
    out.append("")
    out.append("} // namespace optimizer_refs")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "unit", "optimizer_refs.inc")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
    print(f"wrote {os.path.normpath(path)}: {len(CONFIGS)} configurations")


if __name__ == "__main__":
    main()
