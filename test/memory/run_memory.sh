#!/usr/bin/env bash
# run_memory.sh — backend peak memory of the C++ code at 100k and at 1M rows.
#
# Each query runs on a fresh backend; the client (same host, root or the
# cluster owner) reads that backend's VmHWM (peak resident set) from
# /proc/<pg_backend_pid()>/status before and after.  Rows come from
# generate_series, so no shared buffers are touched and the peak is the
# backend's own memory.  Queries:
#   fingerprint   errtrack.fingerprint over N rows of varied Java/Python stacks
#   agg-hash      tag_distribution + latest_sample + histogram over N groups of
#                 2 rows, hash aggregation (states of every group alive at once,
#                 bounded only if they are accounted in the aggregate context:
#                 HashAgg then spills to disk)
#   agg-sort      the same with sorted group aggregation (one state at a time)
# A leak per row or per group would make the 1M figure ~10x the 100k one: the
# check fails only when peak(1M) > 2 x peak(100k) + 64 MB.
#
#   PGPORT=... test/memory/run_memory.sh          (PG* environment; SKIP when
#                                                  /proc of the backend is unreadable)
set -uo pipefail
cd "$(dirname "$0")/../.."
DB=${MEMORY_DB:-errtrack_memory}
SMALL=${MEMORY_SMALL:-100000}
LARGE=${MEMORY_LARGE:-1000000}
fails=0

if ! psql -X -q -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
  echo "SKIP: no server in the PG* environment"; exit 0
fi
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" || exit 1
psql -X -q -d "$DB" -c "CREATE EXTENSION errtrack" || exit 1

# run_one <query with :n>: prints "baseline_kB peak_kB seconds" of a fresh backend
run_one() {
  local n=$1 q=$2
  psql -X -q -d "$DB" -tA -v n="$n" -v ON_ERROR_STOP=1 <<SQL
SET jit = off;
SET max_parallel_workers_per_gather = 0;
SELECT errtrack.fingerprint_version() \\gset
SELECT pg_backend_pid() AS bpid \\gset
\\setenv BPID :bpid
\\! awk '/VmHWM/ {printf "%s ", \$2}' /proc/\$BPID/status
SELECT extract(epoch FROM clock_timestamp()) AS t0 \\gset
\\o /dev/null
$q
\\o
SELECT extract(epoch FROM clock_timestamp()) AS t1 \\gset
\\! awk '/VmHWM/ {printf "%s ", \$2}' /proc/\$BPID/status
SELECT round((:t1 - :t0)::numeric, 1);
SQL
}

STACK="CASE WHEN g % 2 = 0 THEN
   'java.lang.IllegalStateException: order ' || g || E' not found\n\tat com.shop.orders.OrderService.load' || (g % 97) || '(OrderService.java:' || (g % 300) || E')\n\tat com.shop.orders.OrderController.get(OrderController.java:42)\n\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)\n\tat jdk.internal.reflect.GeneratedMethodAccessor' || g || E'.invoke(Unknown Source)\n\tat java.base/java.lang.Thread.run(Thread.java:829)'
 ELSE
   E'Traceback (most recent call last):\n  File \"/srv/app/venv/lib/python3.11/site-packages/flask/app.py\", line 1484, in full_dispatch_request\n    rv = self.dispatch_request()\n  File \"/srv/app/shop/views.py\", line ' || (g % 400) || ', in handler_' || (g % 89) || E'\n    return load(order_id)\nKeyError: ''order-' || g || '''' END"
declare -A QUERY=(
  [fingerprint]="SELECT count(DISTINCT errtrack.fingerprint(CASE WHEN g % 2 = 0 THEN 'java.lang.IllegalStateException' ELSE 'KeyError' END, 'order ' || g || ' not found', $STACK)) FROM generate_series(1, :n) AS g;"
  [agg-hash]="SET enable_sort = off; SELECT count(*), sum(pg_column_size(t) + pg_column_size(s) + pg_column_size(h)) FROM (SELECT g / 2 AS k, errtrack.tag_distribution('host' || (g % 7), 'c' || (g % 13), 'v' || (g % 3), 'prod', 'GET /o/' || g) AS t, errtrack.latest_sample(md5(g::text)::uuid, g, '2024-05-01'::timestamptz + g * interval '1 ms', 'KeyError', 'order ' || g, $STACK) AS s, errtrack.histogram('2024-05-01'::timestamptz + g * interval '1 ms', '2024-05-01', '2024-05-02', 24) AS h FROM generate_series(1, 2 * :n) AS g GROUP BY 1) AS x;"
  [agg-sort]="SET enable_hashagg = off; SELECT count(*), sum(pg_column_size(t) + pg_column_size(s) + pg_column_size(h)) FROM (SELECT g / 2 AS k, errtrack.tag_distribution('host' || (g % 7), 'c' || (g % 13), 'v' || (g % 3), 'prod', 'GET /o/' || g) AS t, errtrack.latest_sample(md5(g::text)::uuid, g, '2024-05-01'::timestamptz + g * interval '1 ms', 'KeyError', 'order ' || g, $STACK) AS s, errtrack.histogram('2024-05-01'::timestamptz + g * interval '1 ms', '2024-05-01', '2024-05-02', 24) AS h FROM generate_series(1, 2 * :n) AS g GROUP BY 1) AS x;"
)

# can the client read a backend's /proc status?
if ! run_one 10 "SELECT 1;" | grep -Eq '^[0-9]+ [0-9]+ '; then
  echo "SKIP: cannot read the backend's /proc/<pid>/status (run as root or as the cluster owner on the server's host)"
  psql -X -q -d postgres -c "DROP DATABASE $DB"; exit 0
fi

printf '%-12s %9s %12s %12s %12s %8s\n' query rows/groups baseline_MB peak_MB growth_MB seconds
for name in fingerprint agg-hash agg-sort; do
  declare -A peak=()
  for n in "$SMALL" "$LARGE"; do
    out=$(run_one "$n" "${QUERY[$name]}" 2>&1 | tr '\n' ' ')
    read -r base top secs _rest <<<"$out"
    if ! [[ "$base" =~ ^[0-9]+$ && "$top" =~ ^[0-9]+$ ]]; then
      echo "FAIL $name at $n rows: $out"; fails=$((fails + 1)); continue 2
    fi
    peak[$n]=$top
    printf '%-12s %9s %12.1f %12.1f %12.1f %8s\n' "$name" "$n" "$(echo "$base/1024" | bc -l)" \
      "$(echo "$top/1024" | bc -l)" "$(echo "($top-$base)/1024" | bc -l)" "$secs"
  done
  bound=$(( 2 * ${peak[$SMALL]} + 65536 ))
  if [ "${peak[$LARGE]}" -gt "$bound" ]; then
    echo "FAIL $name: peak at $LARGE rows ${peak[$LARGE]} kB > 2 x ${peak[$SMALL]} kB + 64 MB"
    fails=$((fails + 1))
  else
    echo "ok   $name: peak at $LARGE rows within 2 x (peak at $SMALL) + 64 MB"
  fi
  unset peak
done

psql -X -q -d postgres -c "DROP DATABASE $DB"
[ "$fails" -eq 0 ]
