"""Runs TOOL on every truncation and on single-byte corruptions of FILE (written to WORK):
each run must exit 0 (still valid) or 1 (rejected with 'error:'), never crash or hang."""
import subprocess
import sys

tool, path, work = sys.argv[1:4]
data = open(path, "rb").read()
cases = [data[:n] for n in range(0, len(data), max(1, len(data) // 64))]
for i in range(0, len(data), max(1, len(data) // 256)):
    for flip in (0x01, 0x80, 0xFF):
        corrupt = bytearray(data)
        corrupt[i] ^= flip
        cases.append(bytes(corrupt))
rejected = 0
for case in cases:
    open(work, "wb").write(case)
    run = subprocess.run([tool, work], capture_output=True, timeout=30)
    run.stderr = run.stderr.decode("utf-8", "replace")
    if run.returncode not in (0, 1) or (run.returncode == 1 and "error:" not in run.stderr):
        sys.exit(f"{tool} exited {run.returncode} on a corrupted file: {run.stderr[-500:]}")
    rejected += run.returncode == 1
print(f"{len(cases)} corrupted files, {rejected} rejected, none crashed")
