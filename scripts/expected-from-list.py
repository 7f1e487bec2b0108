#!/usr/bin/env python3
"""Turns a hand-written list of expected findings into a seed's `.expected.toml`, computing each finding's column
independently of mtlint (so the expected positions are not copied from mtlint's own output).

Input lines (tab-separated): line, the flagged text, which occurrence on that line (1 = first), rule id,
the first suggestion (empty when the rule offers none; `<delete>` when it is to delete the flagged text).
Usage: expected-from-list.py SEED.txt < LIST.tsv > SEED.expected.toml
"""
import sys

lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
out = ["# Expected findings of mtlint on the seed beside this file: the rule, the 1-based line and column",
       "# (in characters) of the flagged text, the text, and the first suggestion. Written by hand; columns",
       "# computed by scripts/expected-from-list.py.", ""]
for raw in sys.stdin:
    if not raw.strip() or raw.startswith("#"):
        continue
    line_no, matched, occurrence, rule, suggestion = raw.rstrip("\n").split("\t")
    text = lines[int(line_no) - 1]
    at = -1
    for _ in range(int(occurrence)):
        at = text.find(matched, at + 1)
        if at < 0:
            sys.exit(f"{matched!r} occurrence {occurrence} not on line {line_no}")
    esc = lambda s: s.replace("\\", "\\\\").replace('"', '\\"')
    out += ["[[finding]]", f'rule = "{rule}"', f"line = {line_no}", f"column = {at + 1}", f'matched = "{esc(matched)}"']
    if suggestion == "<delete>":
        out.append('suggestion = ""')
    elif suggestion:
        out.append(f'suggestion = "{esc(suggestion)}"')
    out.append("")
sys.stdout.write("\n".join(out))
