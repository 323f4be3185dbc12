"""Checks a training binary's measured memory against `nnc compile --emit=memory-report`.

    check_peak_rss.py REPORT BENCH_JSON

The model's share of the peak resident set (bench's rss_peak_kib minus rss_fixed_kib,
the runtime's fixed overhead measured before the model is opened) must be within 10% of
the report's train_step peak plus one thread's GEMM packing buffers, and the artifact's
arena must be the report's. Exits 1 with the numbers otherwise.
"""
import json
import re
import sys

report = open(sys.argv[1]).read()
bench = json.load(open(sys.argv[2]))
section = report[report.index("train_step:"):]
peak = int(re.search(r"peak\s+([\d,]+) B", section).group(1).replace(",", ""))
arena = int(re.search(r"intermediates \(arena\)\s+([\d,]+) B", section).group(1).replace(",", ""))
packing = int(re.search(r"up to ([\d,]+) B per thread", report).group(1).replace(",", ""))
expected = peak + packing
measured = (bench["rss_peak_kib"] - bench["rss_fixed_kib"]) * 1024
print(f"report: peak {peak} B + packing {packing} B = {expected} B; measured {measured} B "
      f"({measured / expected:.3f}x; fixed overhead {bench['rss_fixed_kib']} KiB); arena {bench['arena_bytes']} B")
ok = abs(measured - expected) <= 0.10 * expected and bench["arena_bytes"] >= arena
sys.exit(0 if ok else 1)
