#!/usr/bin/env bash
# sql_bench.sh — errtrack.fingerprint() inside PostgreSQL, against the floor
# (reading every byte) and against the plain-SQL approach (md5 + regexp_replace).
#
#   PGPORT=5504 bash test/bench/sql_bench.sh          # any cluster given by PG* env vars
#
# Needs: a superuser connection, errtrack installed (make install), python3
# (test/bench/gen_seed.py).  Creates and drops its own database.
#
# Environment:
#   ROWS=240000      rows of the error table (>= 200 MB of stack text)
#   REPS=3           timed runs of each query (median reported)
#   MEM_ROWS="100000 1000000"   row counts of the memory test (fresh backend each)
#   KEEP=1           keep the database (errtrack_bench) afterwards
#
# Output: "RESULT <name> <value> <unit>" lines (tools/bench.sh turns them into
# its table) around a human-readable log.  Benchmarks never fail on a figure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ROWS="${ROWS:-240000}"
REPS="${REPS:-3}"
MEM_ROWS="${MEM_ROWS:-100000 1000000}"
DB=errtrack_bench

psql_q() { psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
log() { echo "# $*" >&2; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
psql -X -q -d postgres -c "CREATE DATABASE $DB" >/dev/null
cleanup() { [ -n "${KEEP:-}" ] || psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

# ---- the table ---------------------------------------------------------------
# Seed: every real trace of the repo (fixtures + corpus, nine runtimes).  Rows
# cycle over the seeds; each copy gets its digits rotated (ids in messages,
# line numbers, addresses) so copies differ.  The corpus traces are ~1 KB,
# smaller than production ones (a few KB, which PostgreSQL stores compressed
# or out of line); toast_tuple_target=256 makes PostgreSQL compress/TOAST
# these rows as it would real ones, so every read pays the detoasting a
# real table pays.
t0=$(date +%s.%N)
psql_q <<SQL
CREATE EXTENSION errtrack;
CREATE TABLE bench_seed(k serial, lang text, t text, m text, s text);
\copy bench_seed(lang, t, m, s) FROM PROGRAM 'python3 $here/gen_seed.py' WITH (FORMAT csv)
CREATE TABLE bench_errors(id bigint, t text, m text, s text) WITH (toast_tuple_target = 256, autovacuum_enabled = off);
INSERT INTO bench_errors
SELECT i, sd.t,
       translate(sd.m, '0123456789', substr('01234567890123456789', (i / 2203) % 10 + 1, 10)),
       translate(sd.s, '0123456789', substr('01234567890123456789', (i / 2203) % 10 + 1, 10))
FROM generate_series(0, $ROWS - 1) i
JOIN bench_seed sd ON sd.k = i % (SELECT count(*) FROM bench_seed) + 1;
VACUUM (ANALYZE) bench_errors;
SQL
t1=$(date +%s.%N)
psql_q -At -F ' ' <<'SQL' | while read -r n stack_mb total_mb rel_mb compressed; do
SELECT count(*), round(sum(octet_length(s)) / 1e6, 1), round(sum(octet_length(t) + octet_length(m) + octet_length(s)) / 1e6, 1),
       round(pg_total_relation_size('bench_errors') / 1e6, 1),
       round(100.0 * count(*) FILTER (WHERE pg_column_compression(s) IS NOT NULL) / count(*), 1)
FROM bench_errors;
SQL
	log "table: $n rows, $stack_mb MB stack text ($total_mb MB t+m+s), relation+toast $rel_mb MB, $compressed% of stacks stored compressed; built in $(echo "$t1 - $t0" | bc) s"
	echo "RESULT sql_rows $n rows"
	echo "RESULT sql_stack_mb $stack_mb MB"
done

# ---- timing helpers --------------------------------------------------------
# time_query NAME SETTINGS SQL: REPS runs, each in a new session (so every run
# starts with a cold stack cache, as a refresh job's new backend does), median
# wall ms.
time_query() {
	local name="$1" settings="$2" sql="$3"
	local ms
	ms=$(for _ in $(seq "$REPS"); do { echo "$settings"; echo '\timing on'; echo "$sql"; } | psql_q -At 2>&1; done |
		sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
	log "$name: median of $REPS = $ms ms"
	echo "RESULT $name $ms ms"
}

# With errtrack in shared_preload_libraries (tools/bench.sh starts the cluster
# so), a shared stack cache serves every backend: each timed run empties it
# first, so every run starts with both caches cold.
SHARED=$(psql_q -At -c "SELECT size > 0 FROM errtrack.shared_stack_cache_stats()")
if [ "$SHARED" = t ]; then
	COLD="SELECT errtrack.shared_stack_cache_reset() \\g /dev/null"
	log "shared stack cache: on ($(psql_q -At -c "SELECT pg_size_pretty(size) FROM errtrack.shared_stack_cache_stats()")); emptied before every timed run"
else
	COLD=""
	log "shared stack cache: off (errtrack not in shared_preload_libraries)"
fi
SERIAL="SET max_parallel_workers_per_gather = 0; SET jit = off; $COLD
"
Q_FLOOR="SELECT sum(length(t) + length(m) + length(s)) FROM bench_errors;"
Q_FP="SELECT count(DISTINCT errtrack.fingerprint(t, m, s)) FROM bench_errors;"
Q_MD5="SELECT count(DISTINCT md5(coalesce(t, '') || E'\\\\x1f' || regexp_replace(coalesce(m, ''), '[0-9]+', '0', 'g') || E'\\\\x1f' || regexp_replace(coalesce(s, ''), '0x[0-9a-fA-F]+|[0-9a-fA-F]{8,}|[0-9]+', '0', 'g'))) FROM bench_errors;"
# count(DISTINCT) never runs in parallel; GROUP BY does (partial aggregates).
Q_FP_GROUP="SELECT count(*) FROM (SELECT errtrack.fingerprint(t, m, s) FROM bench_errors GROUP BY 1) g;"
Q_FLOOR_GROUP="SELECT count(*) FROM (SELECT length(t) + length(m) + length(s) FROM bench_errors GROUP BY 1) g;"

# warm the OS cache
psql_q -c "$Q_FLOOR" >/dev/null

time_query sql_floor_ms "$SERIAL" "$Q_FLOOR"
time_query sql_fingerprint_ms "$SERIAL" "$Q_FP"
# The same query with the stack cache off (errtrack.stack_cache_size = 0): every
# row parses its stack, as when no two rows share a stack text.
time_query sql_fingerprint_nocache_ms "$SERIAL SET errtrack.stack_cache_size = 0;" "$Q_FP"
# How often the cached run reused a stack parsed before, and how many distinct
# stack texts the table holds (the rows cycle over the seeds' 10 digit variants).
psql_q -At -F ' ' <<SQL | while read -r hit_pct entries kb distinct; do
$SERIAL
SELECT count(DISTINCT errtrack.fingerprint(t, m, s)) FROM bench_errors \g /dev/null
SELECT round(100.0 * hits / nullif(hits + misses, 0), 1), entries, bytes / 1024,
       (SELECT count(DISTINCT md5(s)) FROM bench_errors) FROM errtrack.stack_cache_stats();
SQL
	log "stack cache: $hit_pct% of rows reused a parsed stack; $entries stacks kept in $kb kB; $distinct distinct stack texts in the table"
	echo "RESULT sql_stack_cache_hit_pct $hit_pct %"
	echo "RESULT sql_distinct_stacks $distinct stacks"
done
if [ "$SHARED" = t ]; then
	# a new backend with the shared cache warm (what the next refresh job's
	# backend meets): the previous query left it filled
	psql_q -c "$Q_FP" >/dev/null
	time_query sql_fingerprint_warm_shared_ms "SET max_parallel_workers_per_gather = 0; SET jit = off;" "$Q_FP"
fi
time_query sql_md5_regexp_ms "$SERIAL" "$Q_MD5"
# one worker vs two workers, the leader not participating: pure worker scaling
PAR="SET jit = off; SET parallel_leader_participation = off; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; $COLD
"
time_query sql_fingerprint_group_0w_ms "$SERIAL" "$Q_FP_GROUP"
time_query sql_fingerprint_group_1w_ms "$PAR SET max_parallel_workers_per_gather = 1;" "$Q_FP_GROUP"
time_query sql_fingerprint_group_2w_ms "$PAR SET max_parallel_workers_per_gather = 2;" "$Q_FP_GROUP"
# the same with the stack cache off (parse-bound: what workers divide); with the
# cache, each worker starts its own cache and parses every distinct stack it meets
NOCACHE="SET errtrack.stack_cache_size = 0;"
if [ "$SHARED" = t ]; then
	# each worker with its own cache only (errtrack.use_shared_stack_cache = off)
	LOCAL="SET errtrack.use_shared_stack_cache = off;"
	time_query sql_fingerprint_group_1w_local_ms "$PAR $LOCAL SET max_parallel_workers_per_gather = 1;" "$Q_FP_GROUP"
	time_query sql_fingerprint_group_2w_local_ms "$PAR $LOCAL SET max_parallel_workers_per_gather = 2;" "$Q_FP_GROUP"
fi
time_query sql_fingerprint_group_1w_nocache_ms "$PAR $NOCACHE SET max_parallel_workers_per_gather = 1;" "$Q_FP_GROUP"
time_query sql_fingerprint_group_2w_nocache_ms "$PAR $NOCACHE SET max_parallel_workers_per_gather = 2;" "$Q_FP_GROUP"
psql_q -At -c "SET parallel_leader_participation = off; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET max_parallel_workers_per_gather = 2; EXPLAIN (COSTS OFF) $Q_FP_GROUP" | sed 's/^/#   /' >&2

# ---- memory: peak RSS of a backend fingerprinting N rows ----------------
# Fresh backend per N; rows generated on the fly from the seeds (no table);
# VmHWM (peak resident set) read from /proc by the backend itself afterwards.
for n in $MEM_ROWS; do
	hwm=$(psql_q -At <<SQL | tail -1
SET max_parallel_workers_per_gather = 0;
SELECT count(*) FROM (
  SELECT errtrack.fingerprint(sd.t, translate(sd.m, '0123456789', substr('01234567890123456789', i % 10 + 1, 10)), sd.s) AS f
  FROM generate_series(0, $n - 1) i JOIN bench_seed sd ON sd.k = i % 2192 + 1) x WHERE f IS NOT NULL;
SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'VmHWM:\s*([0-9]+) kB');
SQL
)
	log "peak backend RSS (VmHWM) after fingerprinting $n rows: $hwm kB"
	echo "RESULT sql_vmhwm_${n}_kb $hwm kB"
done
