#!/usr/bin/env python3
"""Turns an MQM annotation file (WMT format, see ../shared/mqm-dev/README.md) into one bilingual TSV per MT system:
columns `source` and `target`, one row per segment in document order, the raters' `<v>` marks removed. The files can
then be checked like any translation export:

    python3 scripts/mqm-to-tsv.py ../shared/mqm-dev/mqm_generalMT2023_zhen.dev.tsv /tmp/mqm-tsv
    mtlint check --format concise /tmp/mqm-tsv

Tabs and line breaks inside a segment are replaced by spaces (TSV has no quoting here); nothing else is changed.
"""
import os
import re
import sys


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
            clean = lambda s: re.sub(r"</?v>", "", s).replace("\t", " ").replace("\n", " ")
            segments[(system, doc, seg)] = (clean(cols[5]), clean(cols[6]))
    os.makedirs(out_dir, exist_ok=True)
    by_system = {}
    for (system, doc, seg), pair in sorted(segments.items()):
        by_system.setdefault(system, []).append(pair)
    for system, rows in by_system.items():
        name = re.sub(r"[^A-Za-z0-9_.-]", "_", system) + ".tsv"
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as out:
            out.write("source\ttarget\n")
            for source, target in rows:
                out.write(f"{source}\t{target}\n")
    print(f"{len(segments)} segments of {len(by_system)} systems written to {out_dir}")


if __name__ == "__main__":
    main()
