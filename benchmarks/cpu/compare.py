#!/usr/bin/env python3
"""Side-by-side CPU training-step benchmark: nnc vs PyTorch vs JAX/XLA on this machine.

For every case (model x batch x threads) it runs, one after another, nnc's compiled
training binary (`bench`), PyTorch eager as is, PyTorch eager tuned (OpenBLAS forced to
its SkylakeX kernels, jemalloc preloaded), torch.compile where PyTorch >= 2 is there, and
a jax.jit step; the whole sweep is repeated --repeats times and the medians reported.
Each measurement is its own process, pinned to the same T cores (CPU affinity) with
OMP/OpenBLAS/MKL thread counts T, under GNU time for the peak RSS. nnc is compiled
(`nnc compile --batch B`, timed) once per model and batch in every repeat.

Prints a Markdown table (step ms, ratios, nnc GFLOP/s, peak RSS, compile s) and writes
everything to --json. A framework that is missing or fails shows "n/a (k)" with note k.

    scripts/bench-setup.sh                       # once: PyTorch, jemalloc, JAX venv
    python3 benchmarks/cpu/compare.py            # MLP and LeNet-5, batch 64/256, 1/2 threads
    python3 benchmarks/cpu/compare.py --models mlp --batches 64 --threads 2 --steps 50 \
        --repeats 1 --json /tmp/cmp.json --peak-gflops 100

Needs only the standard library; the workers torch_step.py and jax_step.py run under
--torch-python (Debian's /usr/bin/python3) and --jax-python (the bench venv).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_VENV = os.environ.get("NNC_BENCH_VENV",
                              os.path.join(os.path.expanduser("~"), ".cache", "nnc-bench-venv"))
JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
GNU_TIME = "/usr/bin/time"
FRAMEWORKS = ("nnc", "torch", "torch-tuned", "torch-compile", "jax")
TORCH_CONFIGS = ("torch", "torch-tuned", "torch-compile")
BUSY_LOAD = 0.5          # 1-minute load average above which the header warns

# --- the models: layers for the FLOP count, and the .graph lines the workers mirror -------

# ("linear", nin, nout) or ("conv", cin, cout, kernel, hout, wout)
MODELS = {
    "mlp": dict(
        graph="models/mlp.graph",
        layers=[("linear", 784, 512), ("linear", 512, 512), ("linear", 512, 10)],
        mirrored=["param w: f32[nout, nin] = kaiming_uniform(gain=relu)",
                  "return relu(linear(x, w, b))",
                  "param w3: f32[10, 512] = xavier_uniform",
                  "h1 = dense_relu<784, 512>(flat)", "h2 = dense_relu<512, 512>(h1)",
                  "logits = linear(h2, w3, b3)", "loss = cross_entropy(logits, y)",
                  "optimizer sgd(lr=0.05, momentum=0.9)"]),
    "lenet5": dict(
        graph="models/lenet5.graph",
        layers=[("conv", 1, 6, 5, 28, 28), ("conv", 6, 16, 5, 10, 10),
                ("linear", 400, 120), ("linear", 120, 84), ("linear", 84, 10)],
        mirrored=["param w: f32[cout, cin, 5, 5] = xavier_uniform(gain=tanh)",
                  "return avg_pool2d(tanh(conv2d(x, w, b, padding=pad)), kernel=2)",
                  "param w: f32[nout, nin] = xavier_uniform(gain=tanh)",
                  "return tanh(linear(x, w, b))", "param w5: f32[10, 84] = xavier_uniform",
                  "c1 = conv_tanh_pool<1, 6, 2>(x)", "c2 = conv_tanh_pool<6, 16, 0>(c1)",
                  "f3 = dense_tanh<400, 120>(flat)", "f4 = dense_tanh<120, 84>(f3)",
                  "logits = linear(f4, w5, b5)", "loss = cross_entropy(logits, y)",
                  "optimizer sgd(lr=0.05, momentum=0.9)"]),
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def layer_macs(layer):
    """Multiply-adds of one layer's forward pass for one example."""
    if layer[0] == "linear":
        _, nin, nout = layer
        return nin * nout
    _, cin, cout, k, hout, wout = layer
    return cout * hout * wout * cin * k * k


def train_step_flops(model, batch):
    """FLOPs of one train step that every framework must do: per layer, forward and
    weight gradient 2 x multiply-adds each, and the input gradient (2 x MACs) for every
    layer but the first (nobody needs the gradient of the data). Elementwise ops,
    pooling, loss and the update are left out."""
    layers = MODELS[model]["layers"]
    macs = sum(layer_macs(l) for l in layers)
    return batch * (6 * macs - 2 * layer_macs(layers[0]))


def check_graph(model):
    """None if models/MODEL.graph still has every line the workers mirror (and one
    optimizer line), else why not: an edited model must not be compared stale."""
    path = os.path.join(ROOT, MODELS[model]["graph"])
    try:
        with open(path) as f:
            lines = {" ".join(re.sub(r"(#|//).*", "", l).split()) for l in f}
    except OSError as e:
        return f"cannot read {path}: {e.strerror}"
    missing = [l for l in MODELS[model]["mirrored"] if l not in lines]
    optimizers = [l for l in lines if l.startswith("optimizer ")]
    if missing or len(optimizers) != 1:
        what = missing[0] if missing else f"{len(optimizers)} optimizer lines"
        return (f"{MODELS[model]['graph']} changed ('{what}'): update "
                "benchmarks/cpu/torch_step.py, jax_step.py and MODELS in compare.py")
    return None


# --- the machine and the frameworks' availability ------------------------------------------

def run_text(argv, timeout=120, env=None):
    """(returncode, stdout, stderr) of a short command; never raises."""
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
        return p.returncode, p.stdout, p.stderr
    except (OSError, subprocess.TimeoutExpired) as e:
        return -1, "", str(e)


def cpu_model():
    rc, out, _ = run_text(["lscpu"])
    for line in out.splitlines() if rc == 0 else []:
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def cpu_has(flag):
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and flag in line.split() for line in f)
    except OSError:
        return False


def tail(text, n=300):
    text = " ".join((text or "").split())
    return text[-n:]


def probe_python(python, code, what):
    """Runs `code` (which prints one JSON object) under `python`: (dict, None) or
    (None, reason)."""
    if not (os.path.isfile(python) and os.access(python, os.X_OK)):
        return None, f"no interpreter at {python}"
    rc, out, err = run_text([python, "-c", code])
    if rc != 0:
        last = [l for l in err.strip().splitlines() if l.strip()][-1:] or [f"exit {rc}"]
        return None, f"{what} not importable by {python}: {tail(last[0], 160)}"
    try:
        return json.loads(out.strip().splitlines()[-1]), None
    except (ValueError, IndexError):
        return None, f"{what} probe printed {tail(out, 100)!r}"


def probe_torch(python):
    code = ("import json, torch; print(json.dumps({'version': torch.__version__, "
            "'compile': hasattr(torch, 'compile')}))")
    info, reason = probe_python(python, code, "torch")
    if reason:
        reason += " (install python3-torch: scripts/bench-setup.sh)"
    return info, reason


def probe_jax(python):
    code = ("import json, jax, jaxlib; print(json.dumps({'version': jax.__version__, "
            "'jaxlib': jaxlib.__version__, 'devices': [str(d) for d in jax.devices()]}))")
    info, reason = probe_python(python, code, "jax")
    if reason:
        reason += " (run scripts/bench-setup.sh)"
    return info, reason


def probe_nnc(nnc):
    if not os.path.isfile(nnc):
        return None, f"no nnc at {nnc} (build it, or pass --nnc)"
    rc, out, err = run_text([nnc, "--version"])
    if rc != 0:
        return None, f"{nnc} --version failed: {tail(err, 160)}"
    return {"version": out.strip()}, None


def link_flags_env(nnc, explicit):
    """NNC_LINK_FLAGS for `nnc compile`: --link-flags, else the environment's, else
    nothing when nnc sits in a build or install tree (it finds ../lib/nnc/link-flags.txt),
    else this checkout's build/default one (for a copied nnc binary)."""
    if explicit:
        return explicit
    if os.environ.get("NNC_LINK_FLAGS"):
        return os.environ["NNC_LINK_FLAGS"]
    beside = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(nnc))),
                          "lib", "nnc", "link-flags.txt")
    if os.path.exists(beside):
        return None
    fallback = os.path.join(ROOT, "build", "default", "lib", "nnc", "link-flags.txt")
    return fallback if os.path.exists(fallback) else None


def tuned_env():
    """The tuned PyTorch configuration's variables, and what of it could not be set."""
    env, notes = {}, []
    if cpu_has("avx512f"):
        env["OPENBLAS_CORETYPE"] = "SkylakeX"
    else:
        notes.append("no AVX-512: OPENBLAS_CORETYPE not forced")
    if os.path.exists(JEMALLOC):
        env["LD_PRELOAD"] = JEMALLOC
    else:
        notes.append(f"no {JEMALLOC} (libjemalloc2)")
    # GNU OpenMP's threads spin at every barrier; sleeping ones leave the core to the
    # other thread's work and were faster in every 2-thread case here.
    env["OMP_WAIT_POLICY"] = "PASSIVE"
    return env, notes


# --- running one measurement -------------------------------------------------------------

def thread_env(threads, extra=None):
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    env.update(extra or {})
    return env


def measure(argv, env, cores, timeout):
    """Runs argv pinned to `cores` under GNU time. Returns dict(rc, stdout, stderr,
    rss_kb, wall_s); rc None on a timeout."""
    rss_file = tempfile.NamedTemporaryFile(prefix="nnc-bench-rss-", delete=False)
    rss_file.close()
    timed = [GNU_TIME, "-f", "%M", "-o", rss_file.name] + argv if os.path.exists(GNU_TIME) else argv
    t0 = time.perf_counter()
    try:
        p = subprocess.Popen(timed, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env, start_new_session=True,
                             preexec_fn=lambda: os.sched_setaffinity(0, cores))
    except (OSError, subprocess.SubprocessError) as e:
        os.unlink(rss_file.name)
        return dict(rc=-1, stdout="", stderr=f"cannot start {argv[0]}: {e}", rss_kb=None,
                    wall_s=0.0)
    try:
        out, err = p.communicate(timeout=timeout)
        rc = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        rc = None
    wall = time.perf_counter() - t0
    rss = None
    try:
        with open(rss_file.name) as f:
            lines = [l for l in f.read().split() if l.isdigit()]
            rss = int(lines[-1]) if lines else None
    finally:
        os.unlink(rss_file.name)
    return dict(rc=rc, stdout=out, stderr=err, rss_kb=rss, wall_s=wall)


def last_json(text):
    for line in reversed((text or "").strip().splitlines()):
        if line.startswith("{"):
            try:
                return json.loads(line)
            except ValueError:
                return None
    return None


def run_measurement(argv, env, cores, timeout):
    """One framework on one case: dict(step_ms, rss_kb, compile_s, last_loss, error)."""
    m = measure(argv, env, cores, timeout)
    result = dict(step_ms=None, rss_kb=m["rss_kb"], compile_s=None, last_loss=None,
                  error=None, wall_s=m["wall_s"])
    parsed = last_json(m["stdout"])
    if m["rc"] is None:
        result["error"] = f"timed out after {timeout} s"
    elif parsed is None:
        result["error"] = f"exit {m['rc']}, no JSON: {tail(m['stderr'] or m['stdout'])}"
    else:
        for key in ("step_ms", "compile_s", "last_loss", "error", "os_threads", "torch_threads"):
            if parsed.get(key) is not None:
                result[key] = parsed[key]
        if m["rc"] != 0 and not result["error"]:
            result["error"] = f"exit {m['rc']}: {tail(m['stderr'])}"
    if result["error"]:
        result["step_ms"] = None
    return result


def compile_nnc(nnc, model, batch, out, link_flags, timeout):
    """Compiles models/MODEL.graph for BATCH into OUT: (seconds, None) or (None, reason)."""
    env = dict(os.environ)
    if link_flags:
        env["NNC_LINK_FLAGS"] = link_flags
    argv = [nnc, "compile", "--batch", str(batch), os.path.join(ROOT, MODELS[model]["graph"]),
            "-o", out]
    t0 = time.perf_counter()
    rc, _, err = run_text(argv, timeout=timeout, env=env)
    seconds = time.perf_counter() - t0
    if rc != 0 or not os.path.exists(out):
        return None, f"nnc compile failed (exit {rc}): {tail(err, 200)}"
    return seconds, None


# --- the sweep ----------------------------------------------------------------------------

class Sweep:
    """Which frameworks can run, how to start each, and the results of every run."""

    def __init__(self, args):
        self.args = args
        self.unavailable = {}                      # framework -> reason (whole column)
        self.versions = {}
        self.notes = []                            # things worth saying under the table
        self.samples = {}                          # (model, batch, threads, fw) -> [result]
        self.compile_times = {}                    # (model, batch) -> [seconds]
        self.compile_error = {}                    # (model, batch) -> reason
        self.graph_error = {m: check_graph(m) for m in args.models}
        self.workdir = tempfile.mkdtemp(prefix="nnc-bench-")
        self.link_flags = link_flags_env(args.nnc, args.link_flags)
        self.tuned_env, tuned_notes = tuned_env()
        self.load_start = os.getloadavg()
        self._probe(tuned_notes)

    def _probe(self, tuned_notes):
        wanted = self.args.frameworks
        nnc, reason = probe_nnc(self.args.nnc)
        self._set("nnc", nnc and nnc["version"], reason)
        torch, reason = probe_torch(self.args.torch_python)
        self._set("torch", torch and f"torch {torch['version']}", reason)
        if torch and "torch-tuned" in wanted:
            tuned = " + ".join(f"{k}={v}" for k, v in self.tuned_env.items()) or "nothing"
            self.notes.append(f"torch-tuned: {tuned}" +
                              (f" ({'; '.join(tuned_notes)})" if tuned_notes else ""))
        if torch and not self.tuned_env:
            self.unavailable["torch-tuned"] = "; ".join(tuned_notes)
        if torch and not torch["compile"]:
            self.unavailable["torch-compile"] = (f"torch {torch['version']} has no "
                                                 "torch.compile (needs 2.0+)")
        if not torch:
            for fw in ("torch-tuned", "torch-compile"):
                self.unavailable[fw] = reason
        jax, reason = probe_jax(self.args.jax_python)
        self._set("jax", jax and f"jax {jax['version']} (jaxlib {jax['jaxlib']})", reason)
        if "torch-compile" in wanted and "torch-compile" in self.unavailable:
            self.notes.append(f"torch.compile skipped: {self.unavailable['torch-compile']}")

    def _set(self, fw, version, reason):
        if version:
            self.versions[fw] = version
        else:
            self.unavailable[fw] = reason

    def active(self):
        """The frameworks measured, in the interleaving order."""
        return [fw for fw in FRAMEWORKS if fw in self.args.frameworks
                and fw not in self.unavailable]

    def cases(self):
        a = self.args
        return [(m, b, t) for m in a.models for b in a.batches for t in a.threads]

    def cores(self, threads):
        available = sorted(os.sched_getaffinity(0))
        return set(available[:threads]) if threads <= len(available) else None

    def nnc_binary(self, model, batch, repeat):
        """This repeat's binary for (model, batch), compiling it on first use."""
        key = (model, batch)
        path = os.path.join(self.workdir, f"{model}-b{batch}-r{repeat}")
        if key in self.compile_error:
            return None
        if not os.path.exists(path):
            seconds, reason = compile_nnc(self.args.nnc, model, batch, path, self.link_flags,
                                          self.args.timeout)
            if reason:
                self.compile_error[key] = reason
                return None
            self.compile_times.setdefault(key, []).append(seconds)
            log(f"  nnc compile {model} batch {batch}: {seconds:.2f} s")
        return path

    def argv_env(self, fw, model, batch, threads, repeat):
        """(argv, env) of one measurement, or (None, reason)."""
        a = self.args
        if fw == "nnc":
            binary = self.nnc_binary(model, batch, repeat)
            if not binary:
                return None, self.compile_error[(model, batch)]
            argv = [binary, "bench", "--steps", str(a.steps), "--warmup", str(a.warmup),
                    "--threads", str(threads), "--json"]
            return argv, thread_env(threads)
        if self.graph_error[model]:
            return None, self.graph_error[model]
        common = ["--model", model, "--batch", str(batch), "--threads", str(threads),
                  "--steps", str(a.steps), "--warmup", str(a.warmup)]
        if fw == "jax":
            extra = {"JAX_PLATFORMS": "cpu", "TF_CPP_MIN_LOG_LEVEL": "2"}
            if threads == 1:    # on top of the affinity: Eigen single-threaded
                flags = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
                extra["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " " + flags).strip()
            return ([a.jax_python, os.path.join(HERE, "jax_step.py")] + common,
                    thread_env(threads, extra))
        mode = "compile" if fw == "torch-compile" else "eager"
        extra = self.tuned_env if fw == "torch-tuned" else {}
        return ([a.torch_python, os.path.join(HERE, "torch_step.py"), "--mode", mode] + common,
                thread_env(threads, extra))

    def measure_one(self, fw, case, repeat):
        model, batch, threads = case
        cores = self.cores(threads)
        if cores is None:
            return dict(step_ms=None, error=f"{threads} threads but only "
                                            f"{len(os.sched_getaffinity(0))} cores")
        argv, env = self.argv_env(fw, model, batch, threads, repeat)
        if argv is None:
            return dict(step_ms=None, error=env)
        return run_measurement(argv, env, cores, self.args.timeout)

    def run_one(self, fw, case, repeat):
        model, batch, threads = case
        try:
            result = self.measure_one(fw, case, repeat)
        except Exception as e:                    # one failure must not stop the sweep
            result = dict(step_ms=None, error=f"{type(e).__name__}: {tail(str(e), 200)}")
        result["repeat"] = repeat
        self.samples.setdefault(case + (fw,), []).append(result)
        shown = (f"{result['step_ms']:.3f} ms" if result["step_ms"] is not None
                 else f"failed: {result['error']}")
        rss = f", {result['rss_kb'] / 1024:.0f} MB" if result.get("rss_kb") else ""
        log(f"  [{repeat + 1}/{self.args.repeats}] {model} b{batch} t{threads} {fw}: {shown}{rss}")

    def run(self):
        try:
            for repeat in range(self.args.repeats):
                for case in self.cases():
                    for fw in self.active():
                        self.run_one(fw, case, repeat)
        finally:
            if not self.args.keep:
                shutil.rmtree(self.workdir, ignore_errors=True)


# --- summarizing -------------------------------------------------------------------------

def median_of(results, key):
    values = [r[key] for r in results if r.get(key) is not None and r.get("step_ms") is not None]
    return statistics.median(values) if values else None


def summarize(sweep, fw, case):
    """Median step ms, RSS KB and compile s of one framework on one case, or its reason."""
    model, batch, _ = case
    if fw not in sweep.args.frameworks:
        return dict(step_ms=None, error="not selected (--frameworks)")
    if fw in sweep.unavailable:
        return dict(step_ms=None, error=sweep.unavailable[fw])
    runs = sweep.samples.get(case + (fw,), [])
    ok = [r for r in runs if r.get("step_ms") is not None]
    s = dict(step_ms=median_of(runs, "step_ms"), rss_kb=median_of(runs, "rss_kb"),
             compile_s=median_of(runs, "compile_s"), runs=len(runs), ok=len(ok),
             step_ms_all=[r.get("step_ms") for r in runs],
             last_loss=ok[-1].get("last_loss") if ok else None,
             error=None if ok else (runs[0]["error"] if runs else "not run"))
    if fw == "nnc":
        times = sweep.compile_times.get((model, batch), [])
        s["compile_s"] = statistics.median(times) if times else None
        s["compile_s_all"] = times
    return s


def summarize_case(sweep, case):
    model, batch, threads = case
    fws = {fw: summarize(sweep, fw, case) for fw in FRAMEWORKS}
    torch_ok = [(fws[fw]["step_ms"], fw) for fw in TORCH_CONFIGS if fws[fw]["step_ms"]]
    # "The better of its thread settings": PyTorch on fewer of the T cores counts too.
    for fewer in range(1, threads):
        for fw in TORCH_CONFIGS:
            s = summarize(sweep, fw, (model, batch, fewer))
            if s["step_ms"]:
                torch_ok.append((s["step_ms"], f"{fw}, {fewer} thread{'s' if fewer > 1 else ''}"))
    best = min(torch_ok) if torch_ok else (None, None)
    flops = train_step_flops(model, batch)
    nnc_ms = fws["nnc"]["step_ms"]
    row = dict(model=model, batch=batch, threads=threads, flops=flops, frameworks=fws,
               torch_best_ms=best[0], torch_best=best[1],
               nnc_over_torch_best=nnc_ms / best[0] if nnc_ms and best[0] else None,
               nnc_over_jax=(nnc_ms / fws["jax"]["step_ms"]
                             if nnc_ms and fws["jax"]["step_ms"] else None))
    for fw, s in fws.items():
        s["gflops"] = flops / (s["step_ms"] * 1e6) if s["step_ms"] else None
    peak = sweep.args.peak_gflops
    if peak and fws["nnc"]["gflops"]:
        row["nnc_pct_peak"] = 100 * fws["nnc"]["gflops"] / (peak * threads)
    row["loss_warning"] = loss_disagreement(fws)
    return row


def loss_disagreement(fws):
    """A warning when the frameworks' last losses (same model, same number of steps on
    one fixed batch) are far apart, e.g. one that does not train; else None."""
    losses = {fw: s["last_loss"] for fw, s in fws.items() if s.get("last_loss") is not None}
    if len(losses) < 2:
        return None
    low, high = min(losses.values()), max(losses.values())
    if high > 0.1 and high > 3 * max(low, 1e-6):
        shown = ", ".join(f"{fw} {v:.4g}" for fw, v in losses.items())
        return f"last losses disagree ({shown}): is every framework training the same model?"
    return None


# --- output ------------------------------------------------------------------------------

class Notes:
    """Numbered reasons for the n/a cells."""

    def __init__(self):
        self.reasons = []

    def ref(self, fw, reason):
        text = f"{fw}: {reason}"
        if text not in self.reasons:
            self.reasons.append(text)
        return f"n/a ({self.reasons.index(text) + 1})"


def fmt(value, spec, missing="n/a"):
    return missing if value is None else format(value, spec)


def ms_cell(s, fw, notes):
    return fmt(s["step_ms"], ".3f") if s["step_ms"] is not None else notes.ref(fw, s["error"])


def table(sweep, rows):
    notes = Notes()
    shown = [fw for fw in FRAMEWORKS if fw in sweep.args.frameworks and
             (fw != "torch-compile" or fw not in sweep.unavailable)]
    head = (["model", "batch", "threads"] + [f"{fw} ms" for fw in shown] +
            ["torch-best ms", "nnc/torch-best", "nnc/jax", "nnc GFLOP/s"] +
            ["RSS MB " + " / ".join(shown), "compile s nnc / jax"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        f = r["frameworks"]
        gflops = fmt(f["nnc"]["gflops"], ".1f")
        if r.get("nnc_pct_peak") is not None:
            gflops += f" ({r['nnc_pct_peak']:.0f}%)"
        best = (f"{r['torch_best_ms']:.3f} ({r['torch_best']})" if r["torch_best_ms"]
                else "n/a")
        rss = " / ".join(fmt(f[fw].get("rss_kb") and f[fw]["rss_kb"] / 1024, ".0f")
                         if f[fw]["step_ms"] else "n/a" for fw in shown)
        comp = " / ".join(fmt(f[fw].get("compile_s"), ".2f") for fw in ("nnc", "jax"))
        cells = ([r["model"], str(r["batch"]), str(r["threads"])] +
                 [ms_cell(f[fw], fw, notes) for fw in shown] +
                 [best, fmt(r["nnc_over_torch_best"], ".2f"), fmt(r["nnc_over_jax"], ".2f"),
                  gflops, rss, comp])
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines += [f"({i + 1}) {reason}" for i, reason in enumerate(notes.reasons)]
    lines += [f"warning: {r['model']} batch {r['batch']} threads {r['threads']}: "
              f"{r['loss_warning']}" for r in rows if r["loss_warning"]]
    return lines


def header(sweep, started):
    a = sweep.args
    versions = ", ".join(sweep.versions.get(fw, f"{fw}: n/a") for fw in ("nnc", "torch", "jax"))
    load = ", ".join(f"{x:.2f}" for x in sweep.load_start)
    lines = [f"# nnc vs PyTorch vs JAX: CPU train step, {started:%Y-%m-%d %H:%M}",
             "",
             f"{cpu_model()}, {len(os.sched_getaffinity(0))} cores usable; {versions}",
             f"{a.steps} timed steps after {a.warmup} warm-up, median of {a.repeats} "
             f"interleaved repeats; load average at start {load}"]
    if sweep.load_start[0] > BUSY_LOAD:
        lines.append(f"warning: the machine was busy (1-minute load {sweep.load_start[0]:.2f}): "
                     "times, above all multi-threaded ones, are unreliable")
    return lines + [""]


def footer(sweep):
    lines = ["ms: mean time of one train step (median over repeats); ratios < 1: nnc faster; "
             "torch-best: the fastest PyTorch configuration (also on fewer threads); GFLOP/s: the step's needed work "
             "(forward, weight and input gradients of the linear and conv layers, no input "
             "gradient of the first) / step time" +
             (f"; % of {sweep.args.peak_gflops:g} GFLOP/s per thread"
              if sweep.args.peak_gflops else "") + "; RSS: peak resident set of the process."]
    lines += [f"- {n}" for n in sweep.notes]
    return lines


def write_json(path, sweep, rows, started):
    meta = dict(date=started.isoformat(timespec="seconds"), cpu=cpu_model(),
                cores=len(os.sched_getaffinity(0)), versions=sweep.versions,
                unavailable=sweep.unavailable, notes=sweep.notes,
                args={k: v for k, v in vars(sweep.args).items()},
                flops="batch * (6 * sum(forward multiply-adds per example) - 2 * first layer's)",
                load_average_start=sweep.load_start)
    with open(path, "w") as f:
        json.dump(dict(meta=meta, cases=rows), f, indent=2)
        f.write("\n")


# --- the command line --------------------------------------------------------------------

def csv_list(kind, allowed=None):
    def parse(text):
        items = [kind(s.strip()) for s in text.split(",") if s.strip()]
        bad = [i for i in items if allowed and i not in allowed]
        if bad or not items:
            raise argparse.ArgumentTypeError(f"'{text}': expected a comma-separated list"
                                             + (f" of {', '.join(allowed)}" if allowed else ""))
        return items
    return parse


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", type=csv_list(str, list(MODELS)), default=list(MODELS))
    ap.add_argument("--batches", type=csv_list(int), default=[64, 256])
    ap.add_argument("--threads", type=csv_list(int), default=[1, 2])
    ap.add_argument("--frameworks", type=csv_list(str, FRAMEWORKS), default=list(FRAMEWORKS),
                    help="subset of " + ",".join(FRAMEWORKS))
    ap.add_argument("--steps", type=int, default=100, help="timed steps per run (100)")
    ap.add_argument("--warmup", type=int, default=10, help="untimed steps first (10)")
    ap.add_argument("--repeats", type=int, default=3, help="interleaved repeats, median (3)")
    ap.add_argument("--peak-gflops", type=float,
                    help="peak GFLOP/s of one core (FP32 FMA): adds nnc's %% of peak x threads")
    ap.add_argument("--json", help="write all results here")
    ap.add_argument("--nnc", default=os.path.join(ROOT, "build", "default", "bin", "nnc"))
    ap.add_argument("--link-flags", help="NNC_LINK_FLAGS for nnc compile (default: found)")
    ap.add_argument("--torch-python", default="/usr/bin/python3")
    ap.add_argument("--jax-python", default=os.path.join(DEFAULT_VENV, "bin", "python"))
    ap.add_argument("--timeout", type=int, default=600, help="seconds per process (600)")
    ap.add_argument("--keep", action="store_true", help="keep the compiled nnc binaries")
    args = ap.parse_args()
    if args.steps < 1 or args.warmup < 0 or args.repeats < 1 or min(args.batches) < 1 \
            or min(args.threads) < 1:
        ap.error("--steps, --repeats, batches and threads must be >= 1, --warmup >= 0")
    return args


def main():
    args = parse_args()
    started = datetime.datetime.now()
    sweep = Sweep(args)
    for fw, reason in sweep.unavailable.items():
        if fw in args.frameworks:
            log(f"note: {fw} n/a: {reason}")
    for model, reason in sweep.graph_error.items():
        if reason:
            log(f"note: {reason}")
    log(f"running {', '.join(sweep.active()) or 'nothing'} on {len(sweep.cases())} cases "
        f"x {args.repeats} repeats (work dir {sweep.workdir})")
    try:
        sweep.run()
    except KeyboardInterrupt:
        log("interrupted: reporting what ran")
    rows = [summarize_case(sweep, case) for case in sweep.cases()]
    print("\n".join(header(sweep, started) + table(sweep, rows) + [""] + footer(sweep)))
    if args.json:
        write_json(args.json, sweep, rows, started)
        log(f"wrote {args.json}")


if __name__ == "__main__":
    main()
