#!/usr/bin/env bash
# tools/bench.sh — every errtrack benchmark in one run, one table:
#   figure | value | baseline (measured in the same run) | ratio | target
#
#   bash tools/bench.sh            # as root (pg_virtualenv), from the repo root
#
# 1. core: build-bench/bench_core (Google Benchmark, median of 5 repetitions):
#    the repository's mix of ~1 KB traces, and the real data sets of
#    ../shared/datasets (Eclipse Java 4 KB, Ubuntu gdb 7 KB) when present
# 2. make -j2 && make install (skip with SKIP_INSTALL=1), then on a throwaway
#    cluster (pg_virtualenv -v 15): test/bench/sql_bench.sh, query_bench.sh and,
#    when present, ingest_bench.sh, refresh_bench.sh and first_refresh_bench.sh (their own output is
#    printed as they report it).
# Machines are shared and noisy: every figure is a ratio against a baseline of
# the same run.  Nothing here fails on a figure.
#   CORE_ONLY=1  skip the SQL part;  SQL_ROWS=240000 rows for sql_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out=$(mktemp -d /tmp/errtrack-bench.XXXXXX)
chmod 755 "$out"

echo "== core benchmarks (build-bench, Release)" >&2
nice cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DERRTRACK_BENCH=ON -DERRTRACK_TESTS=OFF >/dev/null
nice cmake --build build-bench -j2 --target bench_core >/dev/null
nice ./build-bench/bench_core --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
	--benchmark_format=json --benchmark_out="$out/core.json" --benchmark_out_format=json >/dev/null

python3 - "$out/core.json" > "$out/results.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for b in d["benchmarks"]:
    if b.get("aggregate_name") != "median" or "bytes_per_second" not in b:
        continue  # (a benchmark skipped for want of its data set has no figures)
    name = b["run_name"]
    print(f"RESULT core_{name}_MBps {b['bytes_per_second'] / 1e6:.1f} MB/s")
    print(f"RESULT core_{name}_ns_per_error {b['ns_per_error'] * 1e9:.0f} ns")
PY

if [ -z "${CORE_ONLY:-}" ]; then
	if [ -z "${SKIP_INSTALL:-}" ]; then
		echo "== make install" >&2
		nice make -j2 >/dev/null && make install >/dev/null
	fi
	echo "== SQL benchmarks on a throwaway cluster (pg_virtualenv -v 15, errtrack preloaded: shared stack cache)" >&2
	pg_virtualenv -t -v 15 -o shared_preload_libraries=errtrack bash -c "
		set -e
		cd '$root'
		ROWS=\${SQL_ROWS:-240000} bash test/bench/sql_bench.sh >> '$out/results.txt'
		bash test/bench/query_bench.sh >> '$out/results.txt'
		if [ -f test/bench/ingest_bench.sh ]; then echo '== ingest_bench.sh' >&2; bash test/bench/ingest_bench.sh >&2 || echo 'ingest_bench.sh failed' >&2; fi
		if [ -f test/bench/refresh_bench.sh ]; then echo '== refresh_bench.sh' >&2; bash test/bench/refresh_bench.sh >&2 || echo 'refresh_bench.sh failed' >&2; fi
		if [ -f test/bench/first_refresh_bench.sh ]; then echo '== first_refresh_bench.sh' >&2; bash test/bench/first_refresh_bench.sh >&2 || echo 'first_refresh_bench.sh failed' >&2; fi
	" || echo "SQL part failed (see above)" >&2
fi

python3 - "$out/results.txt" <<'PY'
import sys
r = {}
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) >= 3 and p[0] == "RESULT":
        try:
            r[p[1]] = float(p[2])
        except ValueError:
            pass

rows = []
def row(fig, val, unit, base_name, base, ratio, target):
    rows.append((fig, f"{val:g} {unit}" if val is not None else "-",
                 f"{base_name} {base:g}" if base is not None else "-",
                 f"{ratio:.2f}x" if ratio is not None else "-", target))

g = r.get
x = g("core_BM_Xxh3_Mix_MBps")
for name, label in [("BM_Fingerprint_Mix", "core fingerprint, mix"), ("BM_NormalizeStack_Mix", "core normalize_stack, mix"),
                    ("BM_NormalizeMessage_Mix", "core normalize_message, mix")]:
    v = g(f"core_{name}_MBps")
    if v is not None:
        row(label + " (MB/s)", v, "MB/s", "xxh3 MB/s", x, x / v if x else None,
            ">= 500 MB/s" if name == "BM_Fingerprint_Mix" else "")
        row(label + " (ns/error)", g(f"core_{name}_ns_per_error"), "ns", "xxh3 ns", g("core_BM_Xxh3_Mix_ns_per_error"), None, "")
v = g("core_BM_FingerprintStackSeen_Mix_MBps")
if v is not None:
    row("core fingerprint, mix, stack seen before (stack cache hit) (MB/s)", v, "MB/s", "xxh3 MB/s", x, x / v if x else None, "")
    row("core fingerprint, mix, stack seen before (ns/error)", g("core_BM_FingerprintStackSeen_Mix_ns_per_error"), "ns",
        "uncached ns", g("core_BM_Fingerprint_Mix_ns_per_error"), None, "")
for ds, label in [("Eclipse", "Eclipse Java traces, 4 KB avg"), ("Ubuntu", "Ubuntu gdb traces, 7 KB avg")]:
    v, xd = g(f"core_BM_Dataset/Fingerprint_{ds}_MBps"), g(f"core_BM_Dataset/Xxh3_{ds}_MBps")
    if v is not None:
        row(f"core fingerprint, {label} (MB/s)", v, "MB/s", "xxh3 MB/s", xd, xd / v if xd else None, ">= 500 MB/s")
        row(f"core fingerprint, {label} (ns/error)", g(f"core_BM_Dataset/Fingerprint_{ds}_ns_per_error"), "ns", None, None, None, "")
fl = g("sql_floor_ms")
if fl:
    fp, md = g("sql_fingerprint_ms"), g("sql_md5_regexp_ms")
    row(f"SQL count(DISTINCT fingerprint), {g('sql_rows'):.0f} rows / {g('sql_stack_mb')} MB", fp, "ms", "(a) read all bytes ms", fl, fp / fl, "<= 1.5x of (a)")
    row("SQL plain md5+regexp_replace (c) vs fingerprint (b)", md, "ms", "(b) ms", fp, md / fp, ">= 10x")
    nc = g("sql_fingerprint_nocache_ms")
    if nc:
        row(f"  (b) with the stack cache off (every row parses; cached run reused {g('sql_stack_cache_hit_pct')}% of "
            f"{g('sql_distinct_stacks'):.0f} distinct stacks)", nc, "ms", "(a) read all bytes ms", fl, nc / fl, "")
        row("  (c) vs (b) with the stack cache off", md, "ms", "(b, no cache) ms", nc, md / nc, "")
    ws = g("sql_fingerprint_warm_shared_ms")
    if ws:
        row("  (b) in a new backend, shared stack cache warm", ws, "ms", "(a) read all bytes ms", fl, ws / fl, "")
    w1, w2 = g("sql_fingerprint_group_1w_ms"), g("sql_fingerprint_group_2w_ms")
    row("SQL fingerprint GROUP BY, 2 workers" + (" (stack caches cold, shared one on)" if ws else ""), w2, "ms",
        "1 worker ms", w1, w1 / w2, ">= 1.6x")
    w1l, w2l = g("sql_fingerprint_group_1w_local_ms"), g("sql_fingerprint_group_2w_local_ms")
    if w1l and w2l:
        row("SQL fingerprint GROUP BY, 2 workers, each worker's own cache only", w2l, "ms", "1 worker ms", w1l, w1l / w2l, "")
    w1n, w2n = g("sql_fingerprint_group_1w_nocache_ms"), g("sql_fingerprint_group_2w_nocache_ms")
    if w1n and w2n:
        row("SQL fingerprint GROUP BY, 2 workers, stack cache off", w2n, "ms", "1 worker ms", w1n, w1n / w2n, ">= 1.6x")
    row("SQL fingerprint GROUP BY, 0 workers (leader only)", g("sql_fingerprint_group_0w_ms"), "ms", None, None, None, "")
    m1, m2 = g("sql_vmhwm_100000_kb"), g("sql_vmhwm_1000000_kb")
    if m1 and m2:
        row("backend VmHWM, 1M rows fingerprinted", m2, "kB", "100k rows kB", m1, m2 / m1, "flat (~1.0x)")
for n in ("10000", "100000"):
    t = g(f"query_top50_24h_{n}_ms")
    if t is not None:
        base = g("query_top50_24h_10000_ms") if n != "10000" else None
        row(f"top-50 issues 24h + sparklines, {n} issues", t, "ms", "10k issues ms" if base else None, base,
            t / base if base else None, "")
        row(f"issue detail, {n} issues", g(f"query_issue_detail_{n}_ms"), "ms", None, None, None, "")

last_n = max((int(k.split("_")[3]) for k in r if k.startswith("query_top50_24h_") and "_spans_" in k), default=None)
if last_n:
    for k in sorted((k for k in r if k.startswith(f"query_top50_24h_{last_n}_spans_")), key=lambda k: int(k.split("_")[5])):
        sp = k.split("_")[5]
        base = g(f"query_top50_24h_{last_n}_ms")
        row(f"top-50 issues 24h, {last_n} issues, errtrack.spans of {int(sp):,} spans", g(k), "ms",
            "no spans ms", base, g(k) / base if base else None, "flat")
        bd = g(f"query_issue_detail_{last_n}_ms")
        dv = g(f"query_issue_detail_{last_n}_spans_{sp}_ms")
        row(f"issue detail, {last_n} issues, errtrack.spans of {int(sp):,} spans", dv, "ms",
            "no spans ms", bd, dv / bd if bd and dv else None, "flat")
w = [max(len(str(c[i])) for c in rows + [("figure", "value", "baseline", "ratio", "target")]) for i in range(5)]
fmt = " | ".join("{:<%d}" % n for n in w)
print(fmt.format("figure", "value", "baseline", "ratio", "target"))
print("-+-".join("-" * n for n in w))
for c in rows:
    print(fmt.format(*c))
PY
echo "(raw results: $out/results.txt, core JSON: $out/core.json)" >&2
