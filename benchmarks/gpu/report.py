#!/usr/bin/env python3
"""The report of scripts/gpu-check.sh run: reads OUTDIR's logs and prints Markdown.

  python3 benchmarks/gpu/report.py OUTDIR > OUTDIR/report.md

Sections: the machine, the op cases against the interpreter, nnc's train-step times
beside PyTorch's (eager and torch.compile) on the same GPU with ratios (< 1: nnc is
faster), and LeNet-5's Fashion-MNIST test accuracy after one epoch on GPU and CPU.
"""
import csv
import json
import os
import sys


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def rows_of(path):
    try:
        with open(path) as f:
            return list(csv.DictReader(f))
    except OSError:
        return []


def last_row(path):
    rows = rows_of(path)
    return rows[-1] if rows else None


def test_accuracy(row):
    if not row:
        return None
    for key, value in row.items():
        if "test" in key and "acc" in key and value not in ("", None):
            return float(value)
    return None


def bench_lines(path):
    """The `bench --json` lines of a file, by (model, batch); unreadable lines skipped."""
    runs = {}
    for line in (read(path) or "").splitlines():
        try:
            r = json.loads(line)
            runs[(r["model"], r["batch"])] = r
        except (ValueError, KeyError):
            pass
    return runs


def main(out):
    lines = ["# nnc CUDA check", ""]
    machine = read(os.path.join(out, "machine.txt"))
    if machine:
        lines += ["```", machine.strip(), "```", ""]

    ops = read(os.path.join(out, "ops.log")) or "(no ops.log)"
    summary = [l for l in ops.splitlines() if "op cases on the GPU" in l or l.startswith(("FAIL", "SKIPPED", "exit"))]
    lines += ["## Op cases against the interpreter (float64)", "", "```"] + summary[:40] + ["```", ""]
    ops64 = read(os.path.join(out, "ops_index64.log"))
    if ops64:
        summary = [l for l in ops64.splitlines() if "op cases on the GPU" in l or l.startswith(("FAIL", "exit"))]
        lines += ["With 64-bit index arithmetic in kernels:", "", "```"] + summary[:40] + ["```", ""]

    nnc = bench_lines(os.path.join(out, "bench_nnc.jsonl"))
    convgemm = bench_lines(os.path.join(out, "bench_nnc_convgemm.jsonl"))
    nograph = bench_lines(os.path.join(out, "bench_nnc_nograph.jsonl"))
    index64 = bench_lines(os.path.join(out, "bench_nnc_index64.jsonl"))
    torch = {}
    tj = read(os.path.join(out, "torch.json"))
    if tj:
        try:
            for r in json.loads(tj).get("results", []):
                torch[(r["model"], r["batch"], r["mode"])] = r
        except ValueError:
            pass
    lines += ["## Train-step time on the same GPU (ms; ratio = nnc / PyTorch, < 1 is faster)", "",
              "| model | batch | nnc (cuDNN, CUDA graph, automatic index width) | nnc, 64-bit indices | nnc, no graph | nnc, conv as im2col + cuBLAS | PyTorch eager | ratio | torch.compile | ratio |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for model, batch in [("mlp", 256), ("lenet5", 256), ("resnet18", 128)]:
        n = nnc.get((model, batch), {}).get("step_ms")
        g = convgemm.get((model, batch), {}).get("step_ms")
        cg = nograph.get((model, batch), {}).get("step_ms")
        i64 = index64.get((model, batch), {}).get("step_ms")
        cells = [model, str(batch)] + [f"{v:.3f}" if v else "n/a" for v in (n, i64, cg, g)]
        for mode in ("eager", "compile"):
            t = torch.get((model, batch, mode), {})
            ms = t.get("step_ms")
            cells.append(f"{ms:.3f}" if ms else (t.get("error") or "n/a")[:40])
            cells.append(f"{n / ms:.2f}" if n and ms else "n/a")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")

    gpu, cpu = (last_row(os.path.join(out, f"lenet5_{d}.csv")) for d in ("cuda", "cpu"))
    ga, ca = test_accuracy(gpu), test_accuracy(cpu)
    lines += ["## LeNet-5 on Fashion-MNIST, five epochs, cosine learning rate, seed 1 (final epoch compared)", ""]
    for device in ("cuda", "cuda_index64", "cpu"):
        accuracies = [test_accuracy(r) for r in rows_of(os.path.join(out, f"lenet5_{device}.csv"))]
        if accuracies and None not in accuracies:
            lines.append(f"- {device} test accuracy by epoch: " + ", ".join(f"{a:.4f}" for a in accuracies))
    lines.append(f"- GPU: {gpu}")
    lines.append(f"- CPU: {cpu}")
    if ga is not None and ca is not None:
        scale = 100 if ga <= 1 and ca <= 1 else 1
        diff = abs(ga - ca) * scale
        lines.append(f"- test accuracy GPU {ga * scale:.2f}%, CPU {ca * scale:.2f}%: difference {diff:.2f} points "
                     f"({'within' if diff <= 0.3 else 'NOT within'} 0.3)")
    cross = read(os.path.join(out, "lenet5_gpu_ck_on_cpu.log"))
    if cross:
        lines.append(f"- the GPU's checkpoint evaluated by the CPU binary: {cross.strip().splitlines()[-1]}")
    for model in ("lenet5_b256", "resnet18_b128"):
        profile = read(os.path.join(out, f"profile_{model}.txt"))
        if profile:
            lines += ["", f"## Where {model}'s step time goes (NNC_CUDA_PROFILE, top 25)", "", "```"]
            lines += profile.strip().splitlines()[-27:] + ["```"]
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
