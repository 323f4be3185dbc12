"""Checks for the pictures test (standard library only).
  check_png.py size FILE WIDTH HEIGHT gray|rgb   the PNG's IHDR: dimensions, 8-bit, colour type
  check_png.py rose FILE MARGIN                  `dream` output: final mean probability > start + MARGIN
"""
import re
import struct
import sys
import zlib


def size(path, width, height, kind):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    length, tag = struct.unpack(">I4s", data[8:16])
    assert tag == b"IHDR" and length == 13, f"{path}: no IHDR first"
    w, h, depth, colour = struct.unpack(">IIBB", data[16:26])
    assert zlib.crc32(data[12:29]) == struct.unpack(">I", data[29:33])[0], f"{path}: IHDR CRC"
    want = {"gray": 0, "rgb": 2}[kind]
    assert (w, h, depth, colour) == (int(width), int(height), 8, want), \
        f"{path}: {w}x{h}, depth {depth}, colour type {colour}; expected {width}x{height}, 8, {want}"
    print(f"ok {w}x{h} {kind}")


def rose(path, margin):
    text = open(path).read()
    m = re.search(r"mean probability over \d+ starts ([0-9.]+) -> ([0-9.]+)", text)
    assert m, f"{path}: no probability line in:\n{text}"
    start, final = float(m.group(1)), float(m.group(2))
    assert final > start + float(margin), f"probability {start} -> {final}: rose by less than {margin}"
    print(f"ok {start} -> {final}")


if __name__ == "__main__":
    {"size": size, "rose": rose}[sys.argv[1]](*sys.argv[2:])
