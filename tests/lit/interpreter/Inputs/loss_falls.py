"""Reads `nnc run` output ("step N: loss=X ...") and fails unless the last loss is
below RATIO times the first (argv[1]) and every loss is finite."""
import math
import re
import sys

ratio = float(sys.argv[1])
losses = [float(m.group(1)) for m in re.finditer(r"^step \d+: loss=(\S+)", sys.stdin.read(), re.M)]
if len(losses) < 2 or not all(math.isfinite(l) for l in losses):
    sys.exit(f"expected finite losses for several steps, got {losses}")
if not losses[-1] < ratio * losses[0]:
    sys.exit(f"loss did not fall enough: first {losses[0]}, last {losses[-1]}, ratio {ratio}")
print(f"loss fell from {losses[0]:.6g} to {losses[-1]:.6g}")
