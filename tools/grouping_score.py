#!/usr/bin/env python3
"""grouping_score.py — grouping quality of errtrack's fingerprint (fp1) against
ground-truth labels, next to re-implementations of other products' default
grouping rules.  Python 3 standard library only.

Data sources (each skipped with a message when absent):
  corpus   test/corpus/data/*.jsonl — the project's own labelled corpus
           (runtime, label, deploy, error_type, error_message, error_stack);
           scored overall and per runtime.
  eclipse  <shared>/datasets/eclipse_bugzilla_stacktraces — Java, Bugzilla
           DUPLICATE links; scored on the dup-only view (groups of >= 2) as its
           README says (--eclipse-view all adds the 16k-report view).
  ubuntu   <shared>/datasets/ubuntu_launchpad_gdb_subset — GDB back-traces,
           all 1,232 reports in 272 buckets (the view of its README numbers).

Methods:
  issues     the issues errtrack.refresh() makes of the records, taken in data
             set order as one service's events: one per fingerprint, except
             that a fingerprint whose stack is a known one's with one frame
             inserted (a refactor) joins its issue (`errtrack-cli issues`,
             fingerprint.hpp: join_signature); the main row, the floors' row
  fp2, fp1   errtrack's fingerprint, from `errtrack-cli fingerprint` (the real core)
  sentry     type of every exception in the chain + all in-app frames
             (module-or-file, function); no in-app frame: all non-plumbing
             frames (Sentry's system variant); no frame: type + parameterised
             message.  Message ignored when the stack contributes.
  datadog    reported type + word tokens of the message (numbers, punctuation,
             anything quoted or in parentheses dropped) + file & function of the
             top-most meaningful frame (has a function and a file/module).
  bugsnag    class of the innermost exception + file + line of its top in-app
             frame (top frame if none is in-app).
  The baselines read the frames that errtrack's own parser produced
  (`errtrack-cli parse`), so they differ from fp1 in the rule, not in parsing.
  Datasets also get a few of the simple signatures their README documents,
  recomputed from the dataset's own `frames` field, printed next to the value
  the README gives (a check of this scorer's B-cubed code).

Metrics (per data set, per method):
  B-cubed precision/recall/F1 (per item: |same fingerprint & same label| over
  |same fingerprint| resp. |same label|, averaged over items); pairwise F1;
  "split" = labels spread over more than one fingerprint; "merging" =
  fingerprints holding more than one label; "look-alike merges" (corpus only)
  = pairs of distinct labels with the same error type and the same loose
  message template that share a fingerprint.

Usage:
  tools/grouping_score.py --cli build-quality/errtrack-cli [--only corpus,eclipse,ubuntu]
      [--extra-cli NAME=PATH ...] [--examples N] [--json out.json]
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# --------------------------------------------------------------------------
# Metrics


def bcubed(labels, clusters):
    """B-cubed precision, recall, F1 of a clustering.

    labels, clusters: equal-length sequences; item i has ground-truth label
    labels[i] and predicted cluster clusters[i] (any hashable values).
    """
    n = len(labels)
    if n != len(clusters):
        raise ValueError("labels and clusters differ in length")
    if n == 0:
        return 0.0, 0.0, 0.0
    joint = collections.Counter(zip(labels, clusters))
    n_label = collections.Counter(labels)
    n_clust = collections.Counter(clusters)
    p = sum(c * c / n_clust[k] for (l, k), c in joint.items()) / n
    r = sum(c * c / n_label[l] for (l, k), c in joint.items()) / n
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def pairwise(labels, clusters):
    """Pairwise precision, recall, F1 (pairs of items put together)."""
    def pairs(c):
        return sum(v * (v - 1) // 2 for v in c.values())
    both = pairs(collections.Counter(zip(labels, clusters)))
    same_c = pairs(collections.Counter(clusters))
    same_l = pairs(collections.Counter(labels))
    p = both / same_c if same_c else 1.0
    r = both / same_l if same_l else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def split_merge(labels, clusters):
    """(labels spread over >1 cluster, clusters holding >1 label)."""
    by_label = collections.defaultdict(set)
    by_clust = collections.defaultdict(set)
    for l, c in zip(labels, clusters):
        by_label[l].add(c)
        by_clust[c].add(l)
    return (sum(1 for s in by_label.values() if len(s) > 1),
            sum(1 for s in by_clust.values() if len(s) > 1))


def lookalike_merges(labels, clusters, lookalike_key):
    """Number of pairs of distinct labels that look alike (share a value of
    lookalike_key[i], e.g. (type, message template)) and share a cluster."""
    keys_of_label = collections.defaultdict(set)
    for l, k in zip(labels, lookalike_key):
        keys_of_label[l].add(k)
    labels_of_clust = collections.defaultdict(set)
    for l, c in zip(labels, clusters):
        labels_of_clust[c].add(l)
    merged = set()
    for ls in labels_of_clust.values():
        if len(ls) < 2:
            continue
        ls = sorted(ls)
        for i in range(len(ls)):
            for j in range(i + 1, len(ls)):
                if keys_of_label[ls[i]] & keys_of_label[ls[j]]:
                    merged.add((ls[i], ls[j]))
    return len(merged)


def lookalike_pairs_total(labels, lookalike_key):
    keys_of_label = collections.defaultdict(set)
    for l, k in zip(labels, lookalike_key):
        keys_of_label[l].add(k)
    ls = sorted(keys_of_label)
    return sum(1 for i in range(len(ls)) for j in range(i + 1, len(ls))
               if keys_of_label[ls[i]] & keys_of_label[ls[j]])


def score(labels, clusters, lookalike_key=None):
    p, r, f = bcubed(labels, clusters)
    pp, pr, pf = pairwise(labels, clusters)
    split, merging = split_merge(labels, clusters)
    return {
        "n": len(labels), "labels": len(set(labels)), "groups": len(set(clusters)),
        "precision": p, "recall": r, "f1": f, "pair_f1": pf,
        "split": split, "merging": merging,
        "lookalike": (lookalike_merges(labels, clusters, lookalike_key)
                      if lookalike_key is not None else None),
    }


# --------------------------------------------------------------------------
# Text helpers for the baselines

_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|\([^()\n]*\)|\[[^\[\]\n]*\]")
_WORD = re.compile(r"[A-Za-z0-9_]+")


def datadog_message_tokens(msg):
    """Datadog: only word-like tokens count; digits, punctuation and anything
    between quotes or parentheses are ignored."""
    prev = None
    while prev != msg:  # nested parentheses
        prev, msg = msg, _QUOTED.sub(" ", msg)
    return " ".join(t for t in _WORD.findall(msg) if not any(ch.isdigit() for ch in t))


_PARAM = [
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"), "<uuid>"),
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "<email>"),
    (re.compile(r"\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b"), "<ip>"),
    (re.compile(r"\b[a-z][a-z0-9+.-]*://\S+"), "<url>"),
    (re.compile(r"\b0x[0-9a-fA-F]+\b"), "<hex>"),
    (re.compile(r"\b[0-9a-fA-F]{16,}\b"), "<hex>"),
    (re.compile(r"-?\d+(\.\d+)?"), "<int>"),
]


def sentry_parameterize(msg):
    """A small subset of Sentry's message parameterisation (first 2 lines)."""
    lines = [l for l in msg.splitlines() if l.strip()][:2]
    msg = "\n".join(lines)
    for rx, repl in _PARAM:
        msg = rx.sub(repl, msg)
    return msg


def loose_template(msg):
    """Template used to decide that two corpus labels look alike: the message
    with quoted text, numbers, ids, e-mails and hex removed, word tokens only."""
    msg = msg.splitlines()[0] if msg.strip() else ""
    for rx, repl in _PARAM:
        msg = rx.sub(" ", msg)
    return datadog_message_tokens(msg).lower()


def norm_type(t):
    t = (t or "").strip()
    for p in ("Uncaught ", "builtins.", "exceptions."):
        if t.startswith(p):
            t = t[len(p):]
    return t.lstrip("\\").rstrip(":")


def basename(path):
    return re.split(r"[\\/]", path or "")[-1]


# --------------------------------------------------------------------------
# Baselines over `errtrack-cli parse` output


def _main_chain(parsed):
    chain = parsed.get("chain") or []
    main = [e for e in chain if e.get("role") != "suppressed"]
    return main or chain[:1]


def sentry_key(rec, parsed):
    chain = _main_chain(parsed)
    if not chain:
        return ("sentry", "nostack", norm_type(rec["type"]), sentry_parameterize(rec["message"]))

    def types():
        out = []
        for i, e in enumerate(chain):
            t = rec["type"] if (i == 0 and rec["type"].strip()) else e.get("type", "")
            out.append(norm_type(t))
        return out

    def fid(f):
        return (f.get("module") or basename(f.get("file")).lower(), f.get("function", ""))

    app = [[fid(f) for f in e["frames"] if f.get("in_app")] for e in chain]
    if any(app):
        return ("sentry", "app", tuple(types()), tuple(tuple(a) for a in app))
    system = [[fid(f) for f in e["frames"] if f.get("category") not in ("plumbing", "generated")]
              for e in chain]
    if any(system):
        return ("sentry", "system", tuple(types()), tuple(tuple(s) for s in system))
    msg = rec["message"] or (chain[0].get("message") or "")
    return ("sentry", "nostack", tuple(types()), sentry_parameterize(msg))


def datadog_key(rec, parsed):
    chain = _main_chain(parsed)
    t = rec["type"] if rec["type"].strip() else (chain[0].get("type", "") if chain else "")
    msg = rec["message"] if rec["message"].strip() else (chain[0].get("message", "") if chain else "")
    top = None
    if chain:
        for f in chain[0]["frames"]:
            loc = basename(f.get("file")) or f.get("module")
            if f.get("function") and loc:
                top = (loc, f["function"])
                break
    return ("datadog", norm_type(t), datadog_message_tokens(msg), top)


def bugsnag_key(rec, parsed):
    chain = _main_chain(parsed)
    if not chain:
        return ("bugsnag", norm_type(rec["type"]), None)
    inner = max(chain, key=lambda e: e.get("depth", 0))
    t = inner.get("type", "")
    if inner is chain[0] and rec["type"].strip():
        t = rec["type"]
    frames = inner["frames"]
    top = next((f for f in frames if f.get("in_app")), frames[0] if frames else None)
    loc = None
    if top is not None:
        loc = (top.get("file") or top.get("module"), top.get("line"))
    return ("bugsnag", norm_type(t), loc)


BASELINES = [("sentry-like", sentry_key), ("datadog-like", datadog_key), ("bugsnag-like", bugsnag_key)]

# --------------------------------------------------------------------------
# The CLI


class CliError(Exception):
    pass


def encode_records(recs):
    out = bytearray()
    for r in recs:
        for field in (r["type"], r["message"], r["stack"]):
            out += field.replace("\0", "").encode("utf-8", "replace")
            out += b"\0"
    return bytes(out)


def run_cli(cli, mode, recs, timeout=600, algorithm=None):
    if not recs:
        return []
    argv = [cli, mode] + ([algorithm] if algorithm else [])
    p = subprocess.run(argv, input=encode_records(recs), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=timeout)
    if p.returncode not in (0, 1):
        raise CliError("%s %s exited %d: %s" % (cli, mode, p.returncode,
                                               p.stderr.decode("utf-8", "replace")[-2000:]))
    text = p.stdout.decode("utf-8", "replace")
    if mode == "explain":
        items = text.split("\n\n")
        if items and items[-1].strip() == "":
            items.pop()
        items = [i.strip("\n") for i in items]
    else:
        items = text.split("\n")
        if items and items[-1] == "":
            items.pop()
    if len(items) != len(recs):
        raise CliError("%s %s returned %d items for %d records" % (cli, mode, len(items), len(recs)))
    if p.returncode == 1:
        errs = p.stderr.decode("utf-8", "replace").strip().splitlines()
        sys.stderr.write("grouping_score: %s %s: %d record(s) failed, e.g. %s\n"
                         % (os.path.basename(cli), mode, len(errs), errs[0] if errs else "?"))
    return items


def fingerprints(cli, recs, algorithm=None, mode="fingerprint"):
    """mode "fingerprint": one group per fingerprint; "issues": the issues
    errtrack.refresh() makes of the records taken in order as one service's
    events (fingerprints, plus refactor joins: errtrack-cli issues)."""
    fps = run_cli(cli, mode, recs, algorithm=algorithm)
    # a failed record is its own group
    return [fp if fp != "error" else "error:%d" % i for i, fp in enumerate(fps)]


def parse_all(cli, recs):
    out = []
    for line in run_cli(cli, "parse", recs):
        d = json.loads(line)
        if "error" in d:
            d = {"lang": "error", "chain": []}
        out.append(d)
    return out


# --------------------------------------------------------------------------
# Data sources. A record: dict(id, label, type, message, stack, ...)


def load_jsonl(path, want=None):
    """Yields parsed objects; tolerates a partially written last line."""
    bad = 0
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if not line.strip():
                continue
            if want is not None and not want(line):
                continue
            try:
                yield json.loads(line)
            except ValueError:
                bad += 1
    if bad:
        sys.stderr.write("grouping_score: %s: skipped %d unreadable line(s) (file still being written?)\n"
                         % (path, bad))


def load_corpus(corpus_dir):
    files = sorted(f for f in os.listdir(corpus_dir) if f.endswith(".jsonl"))
    recs = []
    for f in files:
        for i, d in enumerate(load_jsonl(os.path.join(corpus_dir, f))):
            try:
                recs.append({
                    "id": "%s:%d" % (f, i + 1), "label": d["label"], "runtime": d["runtime"],
                    "deploy": d.get("deploy"), "type": d.get("error_type") or "",
                    "message": d.get("error_message") or "", "stack": d.get("error_stack") or "",
                })
            except (KeyError, TypeError):
                continue
    for r in recs:
        r["lookalike"] = (norm_type(r["type"]), loose_template(r["message"]))
    return recs


def _group_sizes(labels_csv):
    sizes = collections.Counter()
    with open(labels_csv, encoding="utf-8") as fh:
        next(fh, None)
        for line in fh:
            parts = line.rstrip("\n").split(",")
            if len(parts) >= 2:
                sizes[parts[1]] += 1
    return sizes


_RID = re.compile(r'"report_id":\s*"([^"]*)",\s*"group_id":\s*"([^"]*)"')


def load_eclipse(d, view):
    sizes = _group_sizes(os.path.join(d, "labels.csv"))

    def want(line):
        if view == "all":
            return True
        m = _RID.search(line[:200])
        return m is None or sizes[m.group(2)] >= 2
    recs = []
    for o in load_jsonl(os.path.join(d, "reports.jsonl"), want):
        if view != "all" and sizes[o["group_id"]] < 2:
            continue
        recs.append({"id": o["report_id"], "label": o["group_id"], "type": "", "message": "",
                     "stack": o.get("stack_text") or "", "frames": o.get("frames") or [],
                     "exception_types": o.get("exception_types") or []})
    return recs


def load_ubuntu(d):
    recs = []
    for o in load_jsonl(os.path.join(d, "reports.jsonl")):
        recs.append({"id": o["report_id"], "label": o["group_id"], "type": "", "message": "",
                     "stack": o.get("stack_text") or "",
                     "functions": [f.get("function") or "??" for f in o.get("frames") or []]})
    return recs


# Simple signatures documented in the data sets' READMEs: (name, function, documented F1).
_UBUNTU_SKIP = re.compile(r"^(\?\?|abort|raise|g_log|.*assert.*|_start|__GI_raise|__GI_abort|"
                          r"__libc_start_main|__kernel_vsyscall|g_logv|__assert_fail.*)$")


def _topn(seq, n):
    return tuple(seq[:n])


DOC_BASELINES = {
    "eclipse": [
        ("top-1 frame", lambda r: _topn(r["frames"], 1), 0.631, 0.829, 0.717),
        ("top-3 frames", lambda r: _topn(r["frames"], 3), 0.718, 0.761, 0.739),
        ("top-5 frames", lambda r: _topn(r["frames"], 5), 0.782, 0.720, 0.750),
        ("type + top-3 frames", lambda r: (tuple(r["exception_types"][:1]), _topn(r["frames"], 3)),
         0.745, 0.748, 0.746),
        ("exact full stack", lambda r: tuple(r["frames"]), 0.985, 0.374, 0.542),
    ],
    "ubuntu": [
        ("top-1 function", lambda r: _topn(r["functions"], 1), 0.417, 0.828, 0.555),
        ("top-3 functions", lambda r: _topn(r["functions"], 3), 0.635, 0.668, 0.651),
        ("top-5 functions", lambda r: _topn(r["functions"], 5), 0.782, 0.590, 0.673),
        ("top-1 fn, skip list", lambda r: _topn([f for f in r["functions"] if not _UBUNTU_SKIP.match(f)], 1),
         0.676, 0.779, 0.724),
        ("top-3 fn, skip list", lambda r: _topn([f for f in r["functions"] if not _UBUNTU_SKIP.match(f)], 3),
         0.774, 0.645, 0.704),
    ],
}

# --------------------------------------------------------------------------
# Analysis: why fp1 splits and merges


def parse_explain(text):
    """explain text -> {component: value}; every "name: value" line except the
    header lines is a component (frames, type, wrapper, api, codes, ...)."""
    comp = {}
    for line in text.splitlines():
        k, sep, v = line.partition(":")
        if not sep or k in ("algorithm", "fingerprint", "exceptions"):
            continue
        comp[k.strip()] = v.strip()
    comp.setdefault("frames", "")
    return comp


COMPONENTS = ("language", "type", "wrapper", "frames", "outer frame", "api", "codes", "message")


def _comp_order(c):
    return (COMPONENTS.index(c) if c in COMPONENTS else len(COMPONENTS), c)


def analyse(name, recs, clusters, explains, parsed, n_examples, out):
    """Tallies which fp1 component differs for split labels, what merged
    fingerprints look like, and prints examples."""
    comps = [parse_explain(e) for e in explains]
    by_label = collections.defaultdict(list)
    for i, r in enumerate(recs):
        by_label[r["label"]].append(i)
    split_causes = collections.Counter()
    split_cases = []
    for l, idx in by_label.items():
        fps = collections.Counter(clusters[i] for i in idx)
        if len(fps) < 2:
            continue
        major = fps.most_common(1)[0][0]
        rep = next(i for i in idx if clusters[i] == major)
        lost = 0
        for i in idx:
            if clusters[i] == major:
                continue
            names = sorted(set(comps[i]) | set(comps[rep]), key=_comp_order)
            diff = [c for c in names if comps[i].get(c, "") != comps[rep].get(c, "")]
            split_causes["+".join(diff) or "(explain identical)"] += 1
            lost += 1
        split_cases.append((lost, l, rep, next(i for i in idx if clusters[i] != major)))
    merge_kinds = collections.Counter()
    merge_cases = []
    by_clust = collections.defaultdict(list)
    for i, c in enumerate(clusters):
        by_clust[c].append(i)
    for c, idx in by_clust.items():
        ls = collections.Counter(recs[i]["label"] for i in idx)
        if len(ls) < 2:
            continue
        i0 = idx[0]
        e = comps[i0]
        has_app = any(f.get("in_app") for ex in parsed[i0].get("chain", []) for f in ex["frames"]) \
            if parsed else None
        if not e.get("frames") or e.get("frames") == "(none)":
            kind = "no frames (type%s)" % (" + message" if not e.get("message", "").startswith("(not") else "")
        elif has_app is False:
            kind = "no in-app frame (library frames only)"
        else:
            kind = "in-app frames"
        if not e.get("message", "").startswith("(not"):
            kind += ", message in key"
        wrong = len(idx) - ls.most_common(1)[0][1]
        merge_kinds[kind] += wrong
        other = next(i for i in idx if recs[i]["label"] != recs[i0]["label"])
        merge_cases.append((wrong, c, i0, other, len(ls)))

    w = out.write
    w("\n=== fp1 loss analysis: %s ===\n" % name)
    n_lost = sum(split_causes.values())
    w("split: %d reports outside their label's main fingerprint; differing components:\n" % n_lost)
    for k, v in split_causes.most_common(8):
        w("  %5d  %s\n" % (v, k))
    w("merge: %d reports in a fingerprint dominated by another label; kind of fingerprint:\n"
      % sum(merge_kinds.values()))
    for k, v in merge_kinds.most_common(8):
        w("  %5d  %s\n" % (v, k))

    def show(i, tag):
        r = recs[i]
        extra = (" deploy=%s" % r["deploy"]) if r.get("deploy") is not None else ""
        w("  [%s] id=%s label=%s%s\n" % (tag, r["id"], r["label"], extra))
        for line in explains[i].splitlines():
            if line.startswith(("algorithm", "fingerprint")):
                continue
            w("      %s\n" % line[:220])
        head = [l for l in r["stack"].splitlines() if l.strip()][:6]
        for line in head:
            w("      | %s\n" % line[:160])
    split_cases.sort(key=lambda x: -x[0])
    for lost, l, a, b in split_cases[:n_examples]:
        w("\n-- split: label %s (%d report(s) outside the main fingerprint)\n" % (l, lost))
        show(a, "main")
        show(b, "other")
    merge_cases.sort(key=lambda x: -x[0])
    for wrong, c, a, b, nl in merge_cases[:n_examples]:
        w("\n-- merge: fingerprint %s holds %d labels (%d reports outside the main label)\n" % (c, nl, wrong))
        show(a, "one")
        show(b, "another")


# --------------------------------------------------------------------------
# Driver


def fmt_row(ds, method, s):
    def f(x):
        return "%.3f" % x if isinstance(x, float) else ("-" if x is None else str(x))
    return [ds, method, f(s.get("n")), f(s.get("groups")), f(s.get("precision")), f(s.get("recall")),
            f(s.get("f1")), f(s.get("pair_f1")), f(s.get("split")), f(s.get("merging")),
            f(s.get("lookalike"))]


HEADER = ["data set", "method", "n", "groups", "B3 P", "B3 R", "B3 F1", "pair F1", "split", "merging",
          "look-alike"]


def print_table(rows, out):
    widths = [max(len(str(r[i])) for r in rows + [HEADER]) for i in range(len(HEADER))]
    line = "  ".join(h.ljust(widths[i]) if i < 2 else h.rjust(widths[i]) for i, h in enumerate(HEADER))
    out.write(line + "\n" + "-" * len(line) + "\n")
    prev = None
    for r in rows:
        if prev is not None and r[0] != prev:
            out.write("\n")
        prev = r[0]
        out.write("  ".join(str(c).ljust(widths[i]) if i < 2 else str(c).rjust(widths[i])
                            for i, c in enumerate(r)) + "\n")


def evaluate(name, recs, clis, lookalike, doc, args, rows, results, want_baselines=True):
    t0 = time.time()
    labels = [r["label"] for r in recs]
    lk = [r["lookalike"] for r in recs] if lookalike else None
    main_cli = clis[0][1]
    fp_by_method = {}
    for mname, cli, algorithm, mode in clis:
        if algorithm and not want_baselines:
            continue  # older algorithms are shown next to the baselines only
        fp_by_method[mname] = fingerprints(cli, recs, algorithm, mode)
    parsed = parse_all(main_cli, recs) if (want_baselines or args.examples) else None
    if want_baselines:
        for bname, fn in BASELINES:
            fp_by_method[bname] = [fn(r, p) for r, p in zip(recs, parsed)]
    for mname, fps in fp_by_method.items():
        s = score(labels, fps, lk)
        results.setdefault(name, {})[mname] = s
        rows.append(fmt_row(name, mname, s))
    for dname, fn, dp, dr, df in doc or []:
        s = score(labels, [fn(r) for r in recs])
        results.setdefault(name, {})["doc: " + dname] = dict(s, documented_f1=df)
        row = fmt_row(name, "%s (README %.3f)" % (dname, df), s)
        rows.append(row)
    if args.examples:
        explains = run_cli(main_cli, "explain", recs)
        analyse(name, recs, fp_by_method[clis[0][0]], explains, parsed, args.examples, args.analysis_out)
    sys.stderr.write("grouping_score: %s: %d records in %.1fs\n" % (name, len(recs), time.time() - t0))
    return fp_by_method


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", required=True, help="path of errtrack-cli (fp1)")
    ap.add_argument("--extra-cli", action="append", default=[], metavar="NAME=PATH",
                    help="score another errtrack-cli build as method NAME (e.g. an experiment)")
    ap.add_argument("--repo", default=REPO, help="repository root (default: this script's ..)")
    ap.add_argument("--shared", default=None, help="shared directory (default: <repo>/../shared)")
    ap.add_argument("--corpus", default=None, help="corpus directory (default: <repo>/test/corpus/data)")
    ap.add_argument("--only", default="corpus,eclipse,ubuntu",
                    help="comma-separated subset of corpus,eclipse,ubuntu")
    ap.add_argument("--eclipse-view", choices=("dup", "all", "both"), default="dup",
                    help="eclipse: dup-only view (groups >= 2, default), all 16k reports, or both")
    ap.add_argument("--no-baselines", action="store_true", help="score fp1 (and --extra-cli) only")
    ap.add_argument("--examples", type=int, default=0, metavar="N",
                    help="analyse fp1's losses and print N split and N merge examples per data set")
    ap.add_argument("--json", help="write all scores to this file")
    ap.add_argument("--floor", action="append", default=[], metavar="DATASET=F1",
                    help="fail (exit 1) when fp1's B-cubed F1 on DATASET (a table row name such as "
                         "'corpus/java' or 'eclipse (groups>=2)') is below F1; a regression guard")
    ap.add_argument("--max-lookalike", type=int, default=None, metavar="N",
                    help="fail when fp1 merges more than N look-alike label pairs on the corpus")
    args = ap.parse_args(argv)
    args.analysis_out = sys.stdout

    if not os.access(args.cli, os.X_OK):
        sys.stderr.write("grouping_score: %s is not an executable (build errtrack-cli first, "
                         "see tools/quality.sh)\n" % args.cli)
        return 2
    # errtrack.fingerprint()'s current algorithm, named as the CLI reports it
    current = "errtrack"
    for line in run_cli(args.cli, "explain", [{"type": "", "message": "", "stack": ""}])[0].splitlines():
        if line.startswith("algorithm: errtrack "):
            current = line.split()[-1]
    # the main row: the issues errtrack.refresh() makes (fingerprints plus
    # refactor joins, records in data set order); then the bare fingerprint
    clis = [("issues (%s + joins)" % current, args.cli, None, "issues"), (current, args.cli, None, "fingerprint")]
    if current != "fp1":
        clis.append(("fp1 (errtrack 0.1.0)", args.cli, "fp1", "fingerprint"))
    for e in args.extra_cli:
        n, _, p = e.partition("=")
        if not p or not os.access(p, os.X_OK):
            sys.stderr.write("grouping_score: bad --extra-cli %r\n" % e)
            return 2
        clis.append((n, p, None, "fingerprint"))
    shared = args.shared or os.path.join(args.repo, "..", "shared")
    corpus = args.corpus or os.path.join(args.repo, "test", "corpus", "data")
    only = set(x.strip() for x in args.only.split(",") if x.strip())
    rows, results = [], {}
    baselines = not args.no_baselines

    if "corpus" in only:
        recs = load_corpus(corpus) if os.path.isdir(corpus) else []
        if not recs:
            sys.stderr.write("grouping_score: SKIP corpus: no records in %s\n" % corpus)
        else:
            evaluate("corpus (all)", recs, clis, True, None,
                     argparse.Namespace(**dict(vars(args), examples=0)), rows, results, baselines)
            by_rt = collections.defaultdict(list)
            for r in recs:
                by_rt[r["runtime"]].append(r)
            for rt in sorted(by_rt):
                evaluate("corpus/" + rt, by_rt[rt], clis, True, None, args, rows, results, baselines)
            tot = lookalike_pairs_total([r["label"] for r in recs], [r["lookalike"] for r in recs])
            sys.stderr.write("grouping_score: corpus: %d look-alike label pair(s) (same type and "
                             "template)\n" % tot)
            results["corpus (all)"]["lookalike_pairs"] = tot
    if "eclipse" in only:
        d = os.path.join(shared, "datasets", "eclipse_bugzilla_stacktraces")
        if not os.path.isfile(os.path.join(d, "reports.jsonl")):
            sys.stderr.write("grouping_score: SKIP eclipse: %s absent\n" % d)
        else:
            views = ("dup", "all") if args.eclipse_view == "both" else (args.eclipse_view,)
            for v in views:
                recs = load_eclipse(d, v)
                name = "eclipse (groups>=2)" if v == "dup" else "eclipse (all)"
                evaluate(name, recs, clis, False, DOC_BASELINES["eclipse"] if v == "dup" else None,
                         args, rows, results, baselines)
    if "ubuntu" in only:
        d = os.path.join(shared, "datasets", "ubuntu_launchpad_gdb_subset")
        if not os.path.isfile(os.path.join(d, "reports.jsonl")):
            sys.stderr.write("grouping_score: SKIP ubuntu: %s absent\n" % d)
        else:
            recs = load_ubuntu(d)
            evaluate("ubuntu gdb (all)", recs, clis, False, DOC_BASELINES["ubuntu"], args, rows, results,
                     baselines)
    if rows:
        sys.stdout.write("\n")
        print_table(rows, sys.stdout)
        sys.stdout.write("\nsplit = labels spread over >1 fingerprint; merging = fingerprints holding >1 "
                         "label;\nlook-alike = pairs of labels with the same type and message template "
                         "sharing a fingerprint (corpus only).\n(README x.xxx) = B-cubed F1 documented in "
                         "the data set's README for that signature.\n")
    else:
        sys.stdout.write("grouping_score: nothing to score\n")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, sort_keys=True, default=str)
    failed = False
    main_name = clis[0][0]
    for spec in args.floor:
        ds, _, val = spec.rpartition("=")
        if ds not in results:
            sys.stdout.write("floor: %s not scored (data absent): skipped\n" % ds)
            continue
        f1 = results[ds][main_name]["f1"]
        ok = f1 + 1e-9 >= float(val)
        failed = failed or not ok
        sys.stdout.write("floor: %-24s %s F1 %.3f >= %s %s\n" % (ds, main_name, f1, val, "ok" if ok else "FAILED"))
    if args.max_lookalike is not None and "corpus (all)" in results:
        n = results["corpus (all)"][main_name].get("lookalike") or 0
        ok = n <= args.max_lookalike
        failed = failed or not ok
        sys.stdout.write("floor: look-alike merges %d <= %d %s\n" % (n, args.max_lookalike, "ok" if ok else "FAILED"))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except CliError as e:
        sys.stderr.write("grouping_score: %s\n" % e)
        sys.exit(1)
