"""Writes the malformed inputs that are too large to keep in the repository.

Usage: gen.py KIND OUTPUT. The RUN lines of the tests next to this folder call it;
each KIND's comment says where its error is, which those tests check.
"""
import sys


def empty(f):
    """Zero bytes."""


def nesting(f):
    """5000 nested relu( ... ): the 201st call, line 2 column 1005, is too deep."""
    f.write("input x: f32[4, 8]\n")
    f.write("y = " + "relu(" * 5000 + "x" + ")" * 5000 + "\n")
    f.write("output y\n")


def chain_syntax_error(f):
    """x + x + ... (300000 terms), then '@' at line 2 column 1200007."""
    f.write("input x: f32[4, 8]\n")
    f.write("y = x" + " + x" * 300000 + " @\n")
    f.write("output y\n")


def operator_chain(f):
    """x + x + ... (100000 terms) + rleu(x): 'rleu' is at line 2 column 400009."""
    f.write("input x: f32[4, 8]\n")
    f.write("y = x" + " + x" * 100000 + " + rleu(x)\n")
    f.write("output y\n")


def constant_chain(f):
    """let N = 1 + 1 + ... - 100001, which is 0: dimension 1 of 'x' (line 2 column 17)."""
    f.write("let N = 1" + " + 1" * 100000 + " - 100001\n")
    f.write("input x: f32[4, N]\n")
    f.write("output x\n")


def large(f):
    """About 11 MB: 300000 valid statements, then 'rleu' at line 300003 column 5."""
    f.write("input h0: f32[2, 4]\n")
    for i in range(1, 300001):
        f.write(f"h{i} = relu(h{i - 1})  # layer {i}\n")
    f.write("output h300000\n")
    f.write("y = rleu(h300000)\n")


def huge(f):
    """65 MiB of comments: over the 64 MiB limit on source files."""
    line = "# " + "x" * 1021 + "\n"  # 1 KiB
    chunk = line * 1024              # 1 MiB
    for _ in range(65):
        f.write(chunk)
    f.write("input x: f32[4, 8]\noutput x\n")


def block_depth(f):
    """Blocks b0 -> b1 -> ... -> b70, each calling the next: the call of b64 (from
    b63, line 194 column 10) is the 65th nested instantiation."""
    f.write("input x: f32[4, 8]\n")
    f.write("y = b0(x)\n")
    f.write("output y\n")
    for i in range(70):
        f.write(f"block b{i}(a) {{\n  return b{i + 1}(a)\n}}\n")
    f.write("block b70(a) {\n  return relu(a)\n}\n")


KINDS = {
    "empty": empty,
    "nesting": nesting,
    "chain-syntax-error": chain_syntax_error,
    "operator-chain": operator_chain,
    "constant-chain": constant_chain,
    "large": large,
    "huge": huge,
    "block-depth": block_depth,
}

if __name__ == "__main__":
    kind, output = sys.argv[1], sys.argv[2]
    with open(output, "w", newline="\n") as f:
        KINDS[kind](f)
