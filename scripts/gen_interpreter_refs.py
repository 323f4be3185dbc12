#!/usr/bin/python3
"""Reference values for tests/unit/interpreter_test.cpp, computed by PyTorch.

Run with /usr/bin/python3 (torch 1.13). It prints C++ literal arrays (one per expected
tensor); paste them between the BEGIN/END markers of interpreter_test.cpp. Inputs are not
printed: both sides build them from the same exact formula, pattern() below and
patternTensor() in the test, so only the results travel.

f64 cases are computed in float64 and printed with 17 significant digits; f32 cases
are computed by PyTorch in float32.
"""
import math

import torch
import torch.nn.functional as F

torch.set_grad_enabled(True)


def pattern(shape, salt, scale=1.0, offset=0.0, dtype=torch.float64):
    """Element i: (((i·7919 + salt·104729) mod 1009) / 504.5 - 1) · scale + offset, in [-1, 1)
    before scaling, distinct within 1009 elements; the same doubles in C++."""
    n = math.prod(shape)
    values = [(((i * 7919 + salt * 104729) % 1009) / 504.5 - 1.0) * scale + offset for i in range(n)]
    return torch.tensor(values, dtype=torch.float64).reshape(shape).to(dtype)


def emit(name, t):
    t = t.detach()
    shape = ", ".join(str(d) for d in t.shape)
    if t.dtype == torch.float32:
        values = [repr(float(v)) for v in t.reshape(-1).tolist()]
    else:
        values = [repr(float(v)) for v in t.double().reshape(-1).tolist()]
    lines, line = [], "   "
    for v in values:
        if len(line) + len(v) + 2 > 96:
            lines.append(line)
            line = "   "
        line += " " + v + ","
    lines.append(line)
    print(f"const Ref {name}{{{{{shape}}}, {{")
    print("\n".join(lines))
    print("}};")


def grads(output, inputs, dy):
    return torch.autograd.grad(output, inputs, dy)


def elementwise():
    a, r = pattern([2, 3], 1), pattern([3], 2)
    p, c = pattern([2, 3], 3, 0.5, 1.5), pattern([2, 1], 4)
    emit("kNeg", -a)
    emit("kExp", torch.exp(a))
    emit("kLog", torch.log(p))
    emit("kSqrt", torch.sqrt(p))
    emit("kRsqrt", torch.rsqrt(p))
    emit("kAbs", torch.abs(a))
    emit("kStep", (a > 0).double())
    emit("kSigmoid", torch.sigmoid(a * 4))
    emit("kTanh", torch.tanh(a))
    emit("kRelu", torch.relu(a))
    emit("kLeakyRelu", F.leaky_relu(a, 0.2))
    emit("kAdd", a + r)
    emit("kSub", c - r)
    emit("kMul", a * r)
    emit("kDiv", r / p)
    emit("kPow", p ** r)
    emit("kMaximum", torch.maximum(a, r))
    emit("kMinimum", torch.minimum(c, r))
    emit("kCompareGt", (a > r).double())
    emit("kSelect", torch.where(a > r, a, r))
    emit("kCastI64", (a * 3).to(torch.int64))


def linear_algebra():
    x, w, b = pattern([2, 3, 4], 5), pattern([5, 4], 6), pattern([5], 7)
    emit("kLinear", F.linear(x, w, b))
    ma, mb = pattern([4, 3], 8), pattern([5, 4], 9)
    emit("kMatmulTT", ma.T @ mb.T)
    ba, bb = pattern([2, 1, 3, 4], 10), pattern([3, 2, 4], 11)
    emit("kBatchMatmulTB", torch.matmul(ba, bb.transpose(-1, -2)))
    bc, bd = pattern([1, 4, 3], 12), pattern([2, 4, 2], 13)
    emit("kBatchMatmulTA", torch.matmul(bc.transpose(-1, -2), bd))


def mlp_f32():
    x, w, b = (pattern([3, 4], 14, dtype=torch.float32), pattern([5, 4], 15, dtype=torch.float32),
               pattern([5], 16, dtype=torch.float32))
    h = F.linear(x, w, b)
    emit("kMlpHidden", torch.relu(h))
    emit("kMlpSoftmax", torch.softmax(torch.relu(h), -1))
    emit("kMlpLogSoftmax", torch.log_softmax(h, -1))
    emit("kMlpSigmoid", torch.sigmoid(h))


def reductions():
    x = pattern([2, 3, 4], 17)
    emit("kSoftmaxAxis1", torch.softmax(x, 1))
    emit("kLogSoftmaxLast", torch.log_softmax(x, -1))
    emit("kSumKeep", x.sum(dim=(0, 2), keepdim=True))
    emit("kMeanLast", x.mean(dim=-1))
    emit("kMaxAll", x.max())
    emit("kMaxKeep", x.amax(dim=1, keepdim=True))
    emit("kArgmax1", x.argmax(1))
    emit("kArgmaxKeep", x.argmax(-1, keepdim=True))


def shape_ops():
    x, y = pattern([2, 3, 4], 18), pattern([2, 7], 19)
    emit("kReshape", x.reshape(4, -1))
    emit("kFlatten", x.flatten(1))
    emit("kFlatten01", x.flatten(0, 1))
    emit("kTranspose", x.permute(2, 0, 1))
    emit("kTransposeRev", x.permute(2, 1, 0))
    emit("kSliceNeg", y[:, -6:100:2])
    emit("kSliceRows", y[1:])
    emit("kConcat", torch.cat([pattern([2, 3], 20), pattern([2, 2], 21)], -1))
    emit("kPad", F.pad(y, (1, 0, 0, 2), value=0.5))
    first, second = torch.split(x, [1, 3], dim=2)
    emit("kSplit0", first)
    emit("kSplit1", second)
    emit("kBroadcastTo", pattern([3, 1], 22).broadcast_to(2, 3, 4))


def conv2d():
    x = pattern([2, 4, 5, 6], 23).requires_grad_()
    w = pattern([6, 2, 3, 2], 24).requires_grad_()
    b = pattern([6], 25)
    y = F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2)
    emit("kConv2d", y)
    dx, dw = grads(y, [x, w], pattern(list(y.shape), 26))
    emit("kConv2dDx", dx)
    emit("kConv2dDw", dw)
    xf, wf = pattern([1, 2, 4, 4], 27, dtype=torch.float32), pattern([3, 2, 3, 3], 28, dtype=torch.float32)
    emit("kConv2dF32", F.conv2d(xf, wf, stride=2, padding=1))


def conv1d():
    x = pattern([2, 3, 7], 29).requires_grad_()
    w = pattern([4, 3, 3], 30).requires_grad_()
    y = F.conv1d(x, w, stride=2, padding=2, dilation=2)
    emit("kConv1d", y)
    emit("kConv1dGroups", F.conv1d(x, pattern([3, 1, 2], 31), pattern([3], 32), groups=3))
    dx, dw = grads(y, [x, w], pattern(list(y.shape), 33))
    emit("kConv1dDx", dx)
    emit("kConv1dDw", dw)


def pools():
    x = pattern([1, 2, 5, 5], 34).requires_grad_()
    y = F.max_pool2d(x, 3, stride=2, padding=1)
    emit("kMaxPool2d", y)
    (dx,) = grads(y, [x], pattern(list(y.shape), 37))
    emit("kMaxPool2dDx", dx)
    x1 = pattern([2, 2, 7], 35).requires_grad_()
    y1 = F.max_pool1d(x1, 3, padding=1)
    emit("kMaxPool1d", y1)
    (dx1,) = grads(y1, [x1], pattern(list(y1.shape), 39))
    emit("kMaxPool1dDx", dx1)
    for include, tag in ((True, "Incl"), (False, "Excl")):
        ya = F.avg_pool2d(x, (3, 2), stride=(2, 1), padding=1, count_include_pad=include)
        emit(f"kAvgPool{tag}", ya)
        (dxa,) = grads(ya, [x], pattern(list(ya.shape), 38))
        emit(f"kAvgPool{tag}Dx", dxa)
    emit("kGlobalAvgPool", pattern([2, 3, 2, 2], 36).mean(dim=(2, 3)))


def normalization():
    x = pattern([2, 3, 2, 2], 40)
    g, be = pattern([3], 41, 0.5, 1.0), pattern([3], 42)
    rm, rv = pattern([3], 43, 0.1, 0.0), pattern([3], 44, 0.25, 1.0)
    emit("kBatchNorm", F.batch_norm(x, rm, rv, g, be, training=False, eps=1e-5))
    emit("kBatchNormTrain", F.batch_norm(x, None, None, g, be, training=True, eps=1e-3))
    emit("kBatchNormTrainMean", x.mean(dim=(0, 2, 3)))
    emit("kBatchNormTrainVar", x.var(dim=(0, 2, 3), unbiased=False))
    xl, gl, bl = pattern([2, 3, 4], 45), pattern([3, 4], 46, 0.5, 1.0), pattern([3, 4], 47)
    emit("kLayerNorm", F.layer_norm(xl, [3, 4], gl, bl, eps=1e-5))
    idx = torch.tensor([[0, 2, 0], [4, 2, 1]])
    table = pattern([5, 4], 48).requires_grad_()
    e = F.embedding(idx, table)
    emit("kEmbedding", e)
    (dt,) = grads(e, [table], pattern([2, 3, 4], 49))
    emit("kEmbeddingDt", dt)


def losses():
    logits, labels = pattern([4, 5], 50, 2.0), torch.tensor([1, 0, 4, 2])
    for reduction, tag in (("mean", "Mean"), ("sum", "Sum"), ("none", "None")):
        emit(f"kCe{tag}", F.cross_entropy(logits, labels, reduction=reduction))
    emit("kCeSmoothMean", F.cross_entropy(logits, labels, label_smoothing=0.1))
    emit("kCeSmoothNone", F.cross_entropy(logits, labels, reduction="none", label_smoothing=0.2))
    logits3, labels3 = pattern([2, 3, 5], 51, 2.0), torch.tensor([[0, 1, 2], [3, 4, 0]])
    emit("kCeRank3", F.cross_entropy(logits3.reshape(-1, 5), labels3.reshape(-1), label_smoothing=0.05))
    lp = F.log_softmax(logits, -1)
    for reduction, tag in (("mean", "Mean"), ("sum", "Sum"), ("none", "None")):
        emit(f"kNll{tag}", F.nll_loss(lp, labels, reduction=reduction))
    xi, ti = pattern([3, 2], 52), pattern([3, 2], 53)
    xb, tb = pattern([3, 2], 54, 4.0), pattern([3, 2], 55, 0.5, 0.5)
    th = torch.tensor([[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]], dtype=torch.float64)
    for reduction, tag in (("mean", "Mean"), ("sum", "Sum"), ("none", "None")):
        emit(f"kMse{tag}", F.mse_loss(xi, ti, reduction=reduction))
        emit(f"kBce{tag}", F.binary_cross_entropy_with_logits(xb, tb, reduction=reduction))
    hinge = torch.clamp(1.0 - th * xb, min=0)
    emit("kHingeMean", hinge.mean())
    emit("kHingeSum", hinge.sum())
    emit("kHingeHalfNone", torch.clamp(0.5 - th * xb, min=0))
    emit("kAccuracy", (logits.argmax(-1) == labels).float().mean())
    emit("kBinaryAccuracy", ((xb > 0) == (th > 0)).float().mean())
    emit("kOneHot", F.one_hot(labels, 5).float())
    x = torch.zeros(2, 7, dtype=torch.float64, requires_grad=True)
    y = x[:, 1:7:2]
    (dx,) = grads(y, [x], pattern([2, 3], 56))
    emit("kSliceGrad", dx)


if __name__ == "__main__":
    print("// Generated by scripts/gen_interpreter_refs.py with torch", torch.__version__)
    for case in (elementwise, linear_algebra, mlp_f32, reductions, shape_ops, conv2d, conv1d,
                 pools, normalization, losses):
        print(f"// {case.__name__}")
        case()
