#!/usr/bin/env python3
"""JAX/XLA worker of compare.py: times one CPU training step of models/mlp.graph or
models/lenet5.graph, written as the .graph file defines it (PyTorch's weight layouts and
initializers, mean cross-entropy, SGD lr 0.05 momentum 0.9 with PyTorch's update rule),
on one fixed batch.

    $VENV/bin/python benchmarks/cpu/jax_step.py --model mlp --batch 64 --threads 1 \
        --steps 20 --warmup 3

The whole step (forward, loss, gradient, momentum update) is one jax.jit function with
the parameters and momentum buffers donated. compile_s is the time of tracing, lowering
and compiling it (what the first call would spend before running). Prints one JSON line
(bench_common.py). Threads are bounded by the caller (CPU affinity, XLA_FLAGS).
"""
import math
import time

import jax
import jaxlib
import jax.numpy as jnp
from jax import lax

import bench_common as bc

TANH_GAIN = 5.0 / 3.0
RELU_GAIN = math.sqrt(2.0)


def fans(shape):
    """PyTorch's fan_in, fan_out of a [out, in, k...] weight."""
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def xavier_uniform(key, shape, gain=1.0):
    fan_in, fan_out = fans(shape)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return jax.random.uniform(key, shape, jnp.float32, -a, a)


def kaiming_uniform(key, shape, gain=RELU_GAIN):
    b = gain * math.sqrt(3.0 / fans(shape)[0])
    return jax.random.uniform(key, shape, jnp.float32, -b, b)


def layer(key, shape, init, **kw):
    return {"w": init(key, shape, **kw), "b": jnp.zeros((shape[0],), jnp.float32)}


def linear(p, x):                                    # PyTorch layout: w [out, in]
    return x @ p["w"].T + p["b"]


def conv2d(p, x, pad):                               # NCHW input, OIHW weight
    y = lax.conv_general_dilated(x, p["w"], (1, 1), [(pad, pad), (pad, pad)],
                                 dimension_numbers=("NCHW", "OIHW", "NCHW"))
    return y + p["b"][None, :, None, None]


def avg_pool2(x):                                    # kernel 2, stride 2, even sizes
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).mean(axis=(3, 5))


# --- models/mlp.graph: 784-512-512-10, ReLU ---------------------------------------------

def mlp_init(key):
    k = jax.random.split(key, 3)
    return {"h1": layer(k[0], (512, 784), kaiming_uniform),      # dense_relu<784, 512>
            "h2": layer(k[1], (512, 512), kaiming_uniform),      # dense_relu<512, 512>
            "out": layer(k[2], (10, 512), xavier_uniform)}       # w3, b3


def mlp_apply(p, x):
    h = x.reshape(x.shape[0], -1)                                # (N, 784)
    h = jax.nn.relu(linear(p["h1"], h))
    h = jax.nn.relu(linear(p["h2"], h))
    return linear(p["out"], h)                                   # (N, 10)


# --- models/lenet5.graph: conv(pad 2)-tanh-avgpool, conv-tanh-avgpool, 400-120-84-10 -----

def lenet5_init(key):
    k = jax.random.split(key, 5)
    return {"c1": layer(k[0], (6, 1, 5, 5), xavier_uniform, gain=TANH_GAIN),
            "c2": layer(k[1], (16, 6, 5, 5), xavier_uniform, gain=TANH_GAIN),
            "f3": layer(k[2], (120, 400), xavier_uniform, gain=TANH_GAIN),
            "f4": layer(k[3], (84, 120), xavier_uniform, gain=TANH_GAIN),
            "out": layer(k[4], (10, 84), xavier_uniform)}


def lenet5_apply(p, x):                                          # (N, 1, 28, 28)
    h = avg_pool2(jnp.tanh(conv2d(p["c1"], x, 2)))               # (N, 6, 14, 14)
    h = avg_pool2(jnp.tanh(conv2d(p["c2"], h, 0)))               # (N, 16, 5, 5)
    h = h.reshape(h.shape[0], -1)                                # (N, 400)
    h = jnp.tanh(linear(p["f3"], h))
    h = jnp.tanh(linear(p["f4"], h))
    return linear(p["out"], h)                                   # (N, 10)


MODELS = {"mlp": (mlp_init, mlp_apply), "lenet5": (lenet5_init, lenet5_apply)}


def cross_entropy(logits, y):                                    # mean over the batch
    logp = jax.nn.log_softmax(logits)
    return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))


def make_step(apply):
    def loss_fn(params, x, y):
        return cross_entropy(apply(params, x), y)

    def step(params, buf, x, y):
        # torch.optim.SGD, momentum 0.9, dampening 0: buf = m*buf + g (buf starts at 0,
        # so the first step gives buf = g as PyTorch's does); p -= lr*buf
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        buf = jax.tree_util.tree_map(lambda b, g: bc.MOMENTUM * b + g, buf, grads)
        params = jax.tree_util.tree_map(lambda p, b: p - bc.LR * b, params, buf)
        return params, buf, loss

    return jax.jit(step, donate_argnums=(0, 1))


def run(args):
    init, apply = MODELS[args.model]
    kp, kx = jax.random.split(jax.random.PRNGKey(0))
    params = init(kp)
    buf = jax.tree_util.tree_map(jnp.zeros_like, params)
    x = jax.random.uniform(kx, (args.batch, *bc.INPUT_SHAPE), jnp.float32, -1.0, 1.0)
    y = jnp.asarray(bc.labels(args.batch), dtype=jnp.int32)     # class indices

    t0 = time.perf_counter()
    compiled = make_step(apply).lower(params, buf, x, y).compile()
    compile_s = time.perf_counter() - t0

    state = {"params": params, "buf": buf}

    def step():
        state["params"], state["buf"], loss = compiled(state["params"], state["buf"], x, y)
        return loss

    ms, loss = bc.time_steps(step, args.steps, args.warmup, sync=lambda l: l.block_until_ready())
    return dict(step_ms=ms, compile_s=compile_s, last_loss=float(loss))


def main():
    args = bc.parse_args(__doc__.split("\n")[0])
    args.mode = "jit"
    bc.report(args, "jax", f"jax {jax.__version__}, jaxlib {jaxlib.__version__}", lambda: run(args))


if __name__ == "__main__":
    main()
