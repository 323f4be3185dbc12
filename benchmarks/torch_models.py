"""PyTorch twins of models/mlp.graph and models/lenet5.graph, shared by the CPU and GPU
step-time benchmarks (benchmarks/cpu/torch_step.py, benchmarks/gpu/torch_step_time.py):
the same layers, activations, shapes and initializers as the .graph files, and the
forward + loss module both time."""
import torch
import torch.nn as nn
import torch.nn.functional as F


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


class WithLoss(nn.Module):
    """Forward and mean cross-entropy: the part torch.compile gets (the optimizer stays eager)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x, y):
        return F.cross_entropy(self.model(x), y)
