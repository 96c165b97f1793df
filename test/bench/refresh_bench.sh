#!/bin/bash
# Refresh cost vs table size: errtrack.refresh() over 10k new error events on
# a spans table of N rows, for each N, in one run; prints the ratio.
#
#   PGPORT=5503 test/bench/refresh_bench.sh [sizes...]     (default: 100000 1000000)
#   PGPORT=5503 test/bench/refresh_bench.sh 100000 10000000
#
# Each size gets its own database errtrack_bench_<N> (dropped and re-created).
# The table is filled with generate_series INSERTs (logged, as in production),
# 1% of the spans are errors, then refreshed once; then 10k new error entry
# spans (plus 30k non-error children) arrive and the next refresh is timed.
set -euo pipefail
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
NEW_ERRORS=10000
declare -A MS

for N in "${SIZES[@]}"; do
  DB=errtrack_bench_$N
  PSQL="psql -X -q -v ON_ERROR_STOP=1 -d $DB"
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
  $PSQL -c "CREATE EXTENSION errtrack" \
        -c "UPDATE errtrack.settings SET settle_window = '0', auto_resolve_after = NULL, notify = false"
  t0=$(date +%s)
  # 5 spans per trace: a root and 4 same-service children; errors on 1% of roots
  $PSQL <<SQL
INSERT INTO errtrack.spans (trace_id, span_id, parent_id, service, resource, start_time, is_error,
                            error_type, error_message, version, host)
SELECT md5((g / 5)::text)::uuid, g, CASE WHEN g % 5 = 0 THEN NULL ELSE g - g % 5 END,
       'svc' || (g / 5) % 20, 'GET /r' || g % 50,
       '2024-01-01'::timestamptz + (g / 5) * interval '1 second',
       g % 500 = 0, CASE WHEN g % 500 = 0 THEN 'Err' || (g / 500) % 40 END,
       CASE WHEN g % 500 = 0 THEN 'failed ' || (g / 500) % 7 END, 'v1', 'h' || g % 16
  FROM generate_series(5, $N + 4) g;
ANALYZE errtrack.spans;
SQL
  $PSQL -At -c "SELECT events_processed FROM errtrack.refresh()" > /dev/null
  load_s=$(( $(date +%s) - t0 ))
  # 10k new error events (entry spans) and 30k ordinary children
  $PSQL <<SQL
INSERT INTO errtrack.spans (trace_id, span_id, parent_id, service, resource, start_time, is_error,
                            error_type, error_message, version, host)
SELECT md5('new' || (g / 4)::text)::uuid, g, CASE WHEN g % 4 = 0 THEN NULL ELSE g - g % 4 END,
       'svc' || (g / 4) % 20, 'GET /r' || g % 50,
       '2024-06-01'::timestamptz + (g / 4) * interval '1 second',
       g % 4 = 0, CASE WHEN g % 4 = 0 THEN 'Err' || (g / 4) % 40 END,
       CASE WHEN g % 4 = 0 THEN 'failed ' || (g / 4) % 7 END, 'v2', 'h' || g % 16
  FROM generate_series(4, 4 * $NEW_ERRORS + 3) g;
SQL
  out=$($PSQL -At -F' ' <<'SQL'
\timing on
SELECT events_processed FROM errtrack.refresh();
SQL
)
  events=$(echo "$out" | head -1)
  ms=$(echo "$out" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
  MS[$N]=$ms
  echo "spans=$N load+initial_refresh=${load_s}s new_events=$events refresh_ms=$ms"
done

first=${SIZES[0]}
for N in "${SIZES[@]:1}"; do
  echo "ratio refresh_ms(${N}) / refresh_ms(${first}) = $(echo "scale=2; ${MS[$N]} / ${MS[$first]}" | bc)"
done
