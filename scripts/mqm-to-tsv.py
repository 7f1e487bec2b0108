#!/usr/bin/env python3
"""Turns an MQM annotation file (WMT format, see ../shared/mqm-dev/README.md) into one bilingual TSV per MT system:
columns `source` and `target`, one row per segment in document order, the raters' `<v>` marks removed. The files can
then be checked like any translation export:

    python3 scripts/mqm-to-tsv.py ../shared/mqm-dev/mqm_generalMT2023_zhen.dev.tsv /tmp/mqm-tsv
    mtlint check --format concise /tmp/mqm-tsv

The MQM file's backslash escapes are decoded (`\\"` is a quotation mark, `\\\\` a backslash; an escaped tab or line
break becomes a space), and fields are written with the usual TSV quoting (a field holding a quotation mark is quoted,
its marks doubled); nothing else is changed.
"""
import csv
import os
import re
import sys


def unescape(field: str) -> str:
    """Decodes the file's escapes: \\" and \\\\ to the character, \\t and \\n to a space."""
    out, i = [], 0
    while i < len(field):
        c = field[i]
        if c == "\\" and i + 1 < len(field) and field[i + 1] in '"\\tn':
            nxt = field[i + 1]
            out.append(" " if nxt in "tn" else nxt)
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: mqm-to-tsv.py MQM.tsv OUT_DIR")
    source_path, out_dir = sys.argv[1], sys.argv[2]
    segments = {}
    with open(source_path, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 9:
                continue
            system, doc, seg = cols[0], cols[1], int(cols[2])
            clean = lambda s: unescape(re.sub(r"</?v>", "", s))
            segments[(system, doc, seg)] = (clean(cols[5]), clean(cols[6]))
    os.makedirs(out_dir, exist_ok=True)
    by_system = {}
    for (system, doc, seg), pair in sorted(segments.items()):
        by_system.setdefault(system, []).append(pair)
    for system, rows in by_system.items():
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", system) + ".tsv"
        with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter="\t", lineterminator="\n")
            writer.writerow(["source", "target"])
            writer.writerows(rows)
    print(f"{len(segments)} segments of {len(by_system)} systems written to {out_dir}")


if __name__ == "__main__":
    main()
