#!/usr/bin/env python3
"""PyTorch reference modules for the models/*.graph zoo.

Each class mirrors one .graph file layer for layer (same shapes, same bias
choices), so its trainable parameter count must equal the sum of the element
counts of every `param` in the .graph file (buffers such as batch-norm running
statistics are excluded on both sides). main() prints, per model,
`name: <trainable parameter count> <output shape>` for the file's default batch.

Run with Debian's PyTorch: /usr/bin/python3 scripts/reference_param_counts.py
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Perceptron(nn.Module):                      # models/perceptron.graph
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)

    def forward(self, x):
        return (self.fc(x) > 0).float()           # pred = step(scores)


class Logistic(nn.Module):                        # models/logistic.graph
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 10)

    def forward(self, x):
        return F.softmax(self.fc(x.flatten(1)), dim=-1)   # output probs


class MLP(nn.Module):                             # models/mlp.graph
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(784, 512), nn.ReLU(),
            nn.Linear(512, 512), nn.ReLU(),
            nn.Linear(512, 10))

    def forward(self, x):
        return self.net(x)


class LeNet5(nn.Module):                          # models/lenet5.graph
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.Tanh(), nn.AvgPool2d(2),
            nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2),
            nn.Flatten(),
            nn.Linear(400, 120), nn.Tanh(),
            nn.Linear(120, 84), nn.Tanh(),
            nn.Linear(84, 10))

    def forward(self, x):
        return self.net(x)


def conv_bn_relu(cin, cout, k=3, pad=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, padding=pad, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU())


class CnnBnDropout(nn.Module):                    # models/cnn_bn_dropout.graph
    def __init__(self):
        super().__init__()
        def stage(cin, cout):
            return nn.Sequential(conv_bn_relu(cin, cout), conv_bn_relu(cout, cout),
                                 nn.MaxPool2d(2), nn.Dropout(0.25))
        self.net = nn.Sequential(
            stage(1, 32), stage(32, 64), nn.Flatten(),
            nn.Linear(3136, 256), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(256, 10))

    def forward(self, x):
        return self.net(x)


class AlexNet(nn.Module):                         # models/alexnet.graph
    def __init__(self):
        super().__init__()
        def conv_relu(cin, cout, stride=1):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=stride, padding=1), nn.ReLU())
        self.features = nn.Sequential(
            conv_relu(3, 64, 2), nn.MaxPool2d(2),
            conv_relu(64, 192), nn.MaxPool2d(2),
            conv_relu(192, 384), conv_relu(384, 256), conv_relu(256, 256), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Dropout(0.5), nn.Linear(1024, 4096), nn.ReLU(),
            nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(),
            nn.Linear(4096, 10))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


class VGG(nn.Module):                             # models/vgg11.graph, models/vgg16.graph
    def __init__(self, stages):                   # (channels, convolutions) per stage
        super().__init__()
        layers, cin = [], 3
        for cout, n in stages:
            for _ in range(n):
                layers.append(conv_bn_relu(cin, cout))
                cin = cout
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(512, 10)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def VGG11():
    return VGG([(64, 1), (128, 1), (256, 2), (512, 2), (512, 2)])


def VGG16():
    return VGG([(64, 2), (128, 2), (256, 3), (512, 3), (512, 3)])


class BasicBlock(nn.Module):                      # resnet18.graph: basic / basic_down
    def __init__(self, cin, cout, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                                          nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet18(nn.Module):                        # models/resnet18.graph
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        blocks, cin = [], 64
        for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            blocks += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout)]
            cin = cout
        self.layers = nn.Sequential(*blocks)
        self.linear = nn.Linear(512, 10)

    def forward(self, x):
        out = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


class InceptionBlock(nn.Module):                  # inception.graph: inception
    def __init__(self, cin, n1, n3r, n3, n5r, n5, npool):
        super().__init__()
        self.b1 = conv_bn_relu(cin, n1, 1, 0)
        self.b3 = nn.Sequential(conv_bn_relu(cin, n3r, 1, 0), conv_bn_relu(n3r, n3))
        self.b5 = nn.Sequential(conv_bn_relu(cin, n5r, 1, 0), conv_bn_relu(n5r, n5),
                                conv_bn_relu(n5, n5))
        self.bp = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1),
                                conv_bn_relu(cin, npool, 1, 0))

    def forward(self, x):
        return torch.cat([self.b1(x), self.b3(x), self.b5(x), self.bp(x)], dim=1)


class Inception(nn.Module):                       # models/inception.graph
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            conv_bn_relu(3, 64),
            InceptionBlock(64, 32, 48, 64, 8, 16, 16),
            InceptionBlock(128, 64, 64, 96, 16, 32, 32),
            nn.MaxPool2d(3, stride=2, padding=1),
            InceptionBlock(224, 96, 64, 128, 16, 48, 48),
            InceptionBlock(320, 128, 96, 160, 24, 64, 64),
            nn.MaxPool2d(3, stride=2, padding=1),
            InceptionBlock(416, 160, 112, 224, 32, 96, 96),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2),
            nn.Linear(576, 10))

    def forward(self, x):
        return self.net(x)


class EncoderLayer(nn.Module):                    # transformer.graph: encoder
    def __init__(self, d, heads, ff):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln1 = nn.LayerNorm(d)
        self.ff1, self.ff2 = nn.Linear(d, ff), nn.Linear(ff, d)
        self.ln2 = nn.LayerNorm(d)

    def forward(self, x, bias):
        n, t, d = x.shape
        split = lambda z: z.reshape(n, t, self.heads, self.dh).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / self.dh ** 0.5 + bias
        ctx = (scores.softmax(-1) @ v).transpose(1, 2).reshape(n, t, d)
        h1 = self.ln1(x + self.o(ctx))
        return self.ln2(h1 + self.ff2(F.relu(self.ff1(h1))))


class Transformer(nn.Module):                     # models/transformer.graph
    def __init__(self, T=16, V=32, D=64, H=4, FF=128, outputs=10):
        super().__init__()
        self.tok_emb = nn.Embedding(V, D)
        self.pos_emb = nn.Parameter(torch.zeros(T, D))
        self.layers = nn.ModuleList(EncoderLayer(D, H, FF) for _ in range(2))
        self.fc = nn.Linear(D, outputs)

    def forward(self, tokens, mask):
        bias = ((mask - 1.0) * 1e9).reshape(-1, 1, 1, tokens.shape[1])
        h = self.tok_emb(tokens) + self.pos_emb
        for layer in self.layers:
            h = layer(h, bias)
        m = mask.unsqueeze(-1)
        return self.fc((h * m).sum(1) / m.sum(1))


class TransformerSort(Transformer):               # models/transformer_sort.graph
    def __init__(self, T=16, V=32, D=64, H=4, FF=128):
        super().__init__(T, V, D, H, FF, outputs=V)  # one prediction per position

    def forward(self, tokens):
        h = self.tok_emb(tokens) + self.pos_emb
        for layer in self.layers:
            h = layer(h, 0.0)                     # no padding: no attention bias
        return self.fc(h)                         # (N, T, V)


# name, module class, example inputs at the .graph file's default batch
MODELS = [
    ("perceptron", Perceptron, lambda: (torch.randn(32, 2),)),
    ("logistic", Logistic, lambda: (torch.randn(64, 1, 28, 28),)),
    ("mlp", MLP, lambda: (torch.randn(64, 1, 28, 28),)),
    ("lenet5", LeNet5, lambda: (torch.randn(64, 1, 28, 28),)),
    ("cnn_bn_dropout", CnnBnDropout, lambda: (torch.randn(128, 1, 28, 28),)),
    ("alexnet", AlexNet, lambda: (torch.randn(128, 3, 32, 32),)),
    ("vgg11", VGG11, lambda: (torch.randn(128, 3, 32, 32),)),
    ("vgg16", VGG16, lambda: (torch.randn(128, 3, 32, 32),)),
    ("resnet18", ResNet18, lambda: (torch.randn(128, 3, 32, 32),)),
    ("inception", Inception, lambda: (torch.randn(128, 3, 32, 32),)),
    ("transformer", Transformer,
     lambda: (torch.randint(0, 32, (64, 16)), (torch.arange(16) < torch.randint(1, 17, (64, 1))).float())),
    ("transformer_sort", TransformerSort, lambda: (torch.randint(0, 32, (64, 16)),)),
]


def main():
    torch.manual_seed(0)
    for name, cls, inputs in MODELS:
        model = cls().eval()
        count = sum(p.numel() for p in model.parameters() if p.requires_grad)
        with torch.no_grad():
            out = model(*inputs())
        print(f"{name}: {count} {list(out.shape)}")


if __name__ == "__main__":
    main()
