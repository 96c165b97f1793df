#!/usr/bin/env python3
# gen_seed.py — prints every real trace of the repository as CSV rows
# (runtime, error_type, error_message, error_stack) for the SQL benchmarks:
# the fixtures under test/fixtures/stacks/<runtime>/ (MANIFEST.tsv) and the
# labelled corpus test/corpus/data/*.jsonl.  Used by sql_bench.sh and
# query_bench.sh with psql's \copy ... FROM PROGRAM ... CSV.
import csv
import glob
import json
import os
import sys

root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
out = csv.writer(sys.stdout)


def unescape(s):
    r, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            n = s[i + 1]
            r.append("\n" if n == "n" else "\t" if n == "t" else n)
            i += 2
        else:
            r.append(s[i])
            i += 1
    return "".join(r)


def clean(s):
    return (s or "").replace("\x00", "")


for manifest in sorted(glob.glob(os.path.join(root, "test/fixtures/stacks/*/MANIFEST.tsv"))):
    d = os.path.dirname(manifest)
    lang = os.path.basename(d)
    with open(manifest, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 3 or not cols[0]:
                continue
            try:
                with open(os.path.join(d, cols[0]), encoding="utf-8", errors="replace") as sf:
                    stack = sf.read()
            except OSError:
                continue
            if stack:
                out.writerow([lang, clean(cols[1]), clean(unescape(cols[2])), clean(stack)])

for path in sorted(glob.glob(os.path.join(root, "test/corpus/data/*.jsonl"))):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            out.writerow([o.get("runtime", ""), clean(o.get("error_type")), clean(o.get("error_message")),
                          clean(o.get("error_stack"))])
