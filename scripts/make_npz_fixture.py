#!/usr/bin/python3
"""NumPy fixtures for tests/unit/checkpoint_test.cpp (the .npz interop tests).

Run with /usr/bin/python3 (Debian's numpy):
  scripts/make_npz_fixture.py                 writes tests/unit/fixtures/numpy_arrays.npz
                                              (np.savez, stored) and
                                              numpy_arrays_compressed.npz (np.savez_compressed)
  scripts/make_npz_fixture.py --verify X.npz  exits 0 when numpy reads exactly ARRAYS from X
                                              (the test runs this on an .npz nnc wrote)

The values are exactly representable, so the C++ test compares bits. Keep ARRAYS and the
test's expectations (NumpyFixture in checkpoint_test.cpp) in step.
"""
import os
import sys

import numpy as np

ARRAYS = {
    "w": np.array([[1.5, -2.25, 3.0], [0.1, 1e30, -0.0]], dtype="<f4"),   # (2, 3)
    "b": np.array([0.5, -1e-300, 3.141592653589793], dtype="<f8"),        # (3,)
    "idx": np.array([[1, -2], [2**40, -(2**62)]], dtype="<i8"),           # (2, 2)
    "count": np.array(-7, dtype="<i4"),                                   # () 0-d
    "mask": np.array([True, False, False, True], dtype="|b1"),            # (4,)
    "h1.w.momentum_buffer": np.array([[0.25]], dtype="<f4"),              # (1, 1)
    "empty": np.zeros((0, 3), dtype="<f4"),                               # (0, 3)
}


def verify(path):
    with np.load(path, allow_pickle=False) as z:
        names = sorted(z.files)
        if names != sorted(ARRAYS):
            sys.exit(f"{path}: entries {names}, expected {sorted(ARRAYS)}")
        for name, want in ARRAYS.items():
            got = z[name]
            if got.dtype != want.dtype or got.shape != want.shape:
                sys.exit(f"{path}: {name} is {got.dtype}{got.shape}, expected "
                         f"{want.dtype}{want.shape}")
            if not got.flags["C_CONTIGUOUS"]:
                sys.exit(f"{path}: {name} is not C-contiguous")
            if got.tobytes() != want.tobytes():
                sys.exit(f"{path}: {name} = {got!r}, expected {want!r}")
    print(f"{path}: numpy reads all {len(ARRAYS)} arrays exactly")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--verify":
        verify(sys.argv[2])
        return
    if len(sys.argv) != 1:
        sys.exit(__doc__)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "unit",
                       "fixtures")
    os.makedirs(out, exist_ok=True)
    np.savez(os.path.join(out, "numpy_arrays.npz"), **ARRAYS)
    np.savez_compressed(os.path.join(out, "numpy_arrays_compressed.npz"), **ARRAYS)
    for f in ("numpy_arrays.npz", "numpy_arrays_compressed.npz"):
        verify(os.path.join(out, f))


if __name__ == "__main__":
    main()
