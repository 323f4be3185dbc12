#!/usr/bin/env python3
"""Writes docs/ops.md: a one-line-per-op table of what a .graph file can call, made
from the ODS records (llvm-tblgen --dump-json), followed by mlir-tblgen's full op
reference. Run by the build (`ninja nn-op-doc`); a test checks the committed copy."""
import json
import sys


def attr_default(record):
    value = record.get("defaultValue")
    if value is None:
        return None
    base = (record.get("baseAttr") or {}).get("def", "")
    if "Array" in base:
        return "[" + value.strip("{}").replace(",", ", ") + "]"
    return value.strip('\\"').strip('"')


def signature(records, op):
    parts = []
    for constraint, name in op["arguments"]["args"]:
        record = records.get(constraint["def"], {})
        supers = record.get("!superclasses", [])
        if "AttrConstraint" in supers or constraint["def"].endswith("Attr"):
            default = attr_default(record)
            parts.append(name if default is None else f"{name}={default}")
        elif "Variadic" in supers:
            parts.append(f"{name}...")
        elif "Optional" in supers:
            parts.append(f"{name}?")
        else:
            parts.append(name)
    return f"{op['opName']}({', '.join(parts)})"


def main(json_path, doc_path, out_path):
    records = json.load(open(json_path))
    rows = []
    for name in sorted(records["!instanceof"]["Op"], key=lambda n: records[n]["opName"]):
        op = records[name]
        traits = [t["def"] for t in op.get("traits", [])]
        if "NN_Internal" in traits:
            continue
        results = op["results"]["args"]
        variadic = any("Variadic" in records.get(c["def"], {}).get("!superclasses", []) for c, _ in results)
        rows.append(f"| `{signature(records, op)}` | {'several' if variadic else 'one'} | {op['summary'].replace('|', chr(92) + '|')} |")
    with open(out_path, "w") as out:
        out.write("# The nn op table\n\n")
        out.write("Generated from `dialects/nn/include/nn/NNOps.td` by `scripts/gen_op_table.py`\n")
        out.write("(`ninja -C build/default nn-op-doc` refreshes it). Each op as a `.graph` file calls\n")
        out.write("it: operands in order (`?` optional, `...` any number), then attributes with their\n")
        out.write("defaults; a spatial list attribute also takes one integer for every axis.\n")
        out.write("Shape rules are in `dialects/nn/lib/rules/`.\n\n")
        out.write("| call | results | what it computes |\n|---|---|---|\n")
        out.write("\n".join(rows) + "\n\n# Full reference\n\n")
        out.write(open(doc_path).read())


if __name__ == "__main__":
    main(*sys.argv[1:4])
