"""transfer.test: the transferred body's test accuracy must beat the random body's by a
margin. Usage: check_transfer.py LOG MARGIN"""
import re
import sys

log, margin = open(sys.argv[1]).read(), float(sys.argv[2])
transfer = re.search(r"^transfer \(classes 0-4\): test accuracy: ([0-9.]+)", log, re.M)
random = re.search(r"^random frozen body \(classes 0-4\): test accuracy: ([0-9.]+)", log, re.M)
if not transfer or not random:
    sys.exit("check_transfer.py: accuracy lines missing from " + sys.argv[1])
t, r = float(transfer.group(1)), float(random.group(1))
print(f"transfer {t:.4f}, random body {r:.4f}, margin {t - r:+.4f} (needed {margin:+.4f})")
sys.exit(0 if t >= r + margin else 1)
