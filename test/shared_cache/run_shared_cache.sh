#!/usr/bin/env bash
# run_shared_cache.sh — the shared stack cache (errtrack in
# shared_preload_libraries; src/glue/shared_cache.cpp).  Run by
# tools/sql-tests.sh inside the CI cluster, which preloads errtrack; SKIP
# (exit 0) on a server that does not.
#
# Checks, in a database of its own, with 3,000 distinct stacks of four
# runtimes stored three times each (9,000 rows):
#   1. reference values computed with every cache off (stack_cache_size = 0);
#   2. a new backend with the shared cache cold: the same values, each
#      distinct stack parsed and published once (inserts = distinct stacks);
#   3. another new backend: the same values, every stack from the shared cache
#      (hits = distinct stacks, no insert);
#   4. after a reset, a parallel query with two workers: the same grouping,
#      each stack published at most once between the workers;
#   5. a stack whose parsed form is larger than a set's area: counted as oversized,
#      its value right;
#   6. stack_cache_size = 0 and use_shared_stack_cache = off leave the shared
#      cache alone; 7. reset needs a grant;
#   8. on a second server whose shared cache is 64 kB, where every insert
#      evicts: values right, cold, warm and with two workers; memory bounded;
#   9. on a third server without errtrack preloaded: CREATE EXTENSION and
#      fingerprints work, the shared cache reads as off.
set -euo pipefail
DB=errtrack_shared_cache_check
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

preloaded=$("${PSQL[@]}" -d postgres -At -c "SELECT current_setting('shared_preload_libraries') ~ '(^|[, ])errtrack($|[, ])'")
if [ "$preloaded" != t ]; then
  if [ "${SHARED_CACHE_NONE:-}" = 1 ]; then
    # (step 9, on a server without errtrack preloaded: the default setup)
    db=errtrack_no_preload_check
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
    got=$("${PSQL[@]}" -d $db -At -c "CREATE EXTENSION errtrack" -c "SET errtrack.use_shared_stack_cache = on" \
            -c "SELECT errtrack.fingerprint('E', 'm', 'E: m' || chr(10) || '    at f (/srv/a.js:1:2)') IS NOT NULL" \
            -c "SELECT size || '|' || entries FROM errtrack.shared_stack_cache_stats()" \
            -c "SELECT count(*) = 1 FROM (SELECT errtrack.shared_stack_cache_reset()) r" | tr '\n' ' ')
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null
    if [ "$got" = "t 0|0 t " ]; then
      echo "ok: without preloading: the extension works, the shared cache is off ($got)"
      exit 0
    fi
    echo "FAIL: without preloading: expected 't 0|0 t ', got '$got'"
    exit 1
  fi
  echo "SKIP: errtrack is not in shared_preload_libraries"
  exit 0
fi
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
cleanup() {
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  "${PSQL[@]}" -d postgres -c "DROP ROLE IF EXISTS errtrack_sc_nobody" >/dev/null 2>&1 || true
}
trap cleanup EXIT

q() { "${PSQL[@]}" -d $DB -At "$@"; }
fail=0
check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then
    echo "ok: $1 ($3)"
  else
    echo "FAIL: $1: expected $2, got $3"
    fail=1
  fi
}

q <<'SQL'
CREATE EXTENSION errtrack;
-- 3,000 distinct stacks: Java, Python, Go and Node frames named after the row,
-- so every stack text differs and so does its key; each stored three times
-- with its own message.
CREATE TABLE sc_errors AS
SELECT g % 3000 AS s, v,
       CASE g % 4 WHEN 0 THEN 'java.lang.IllegalStateException' WHEN 1 THEN 'KeyError'
                  WHEN 2 THEN 'panic' ELSE 'TypeError' END AS t,
       'order ' || (g * 7 + v) || ' failed' AS m,
       CASE g % 4
         WHEN 0 THEN format(E'java.lang.IllegalStateException: bad\n\tat com.shop.Svc%s.pay(Svc.java:%s)\n\tat com.shop.Api.handle(Api.java:12)\n\tat java.base/java.lang.Thread.run(Thread.java:833)', g % 3000, 10 + g % 3000)
         WHEN 1 THEN format(E'Traceback (most recent call last):\n  File "/srv/app/views.py", line %s, in view_%s\n    return lookup(k)\n  File "/srv/app/store.py", line 9, in lookup\n    return d[k]\nKeyError: ''x''', g % 3000, g % 3000)
         WHEN 2 THEN format(E'panic: boom\n\ngoroutine 1 [running]:\nmain.handler%s(...)\n\t/srv/app/main.go:%s +0x1d\nmain.main()\n\t/srv/app/main.go:40 +0x25', g % 3000, 10 + g % 3000)
         ELSE format(E'TypeError: x is undefined\n    at render%s (/srv/app/src/view.js:%s:7)\n    at Server.handle (/srv/app/src/server.js:30:5)', g % 3000, 10 + g % 3000)
       END AS st
FROM generate_series(0, 2999) g, generate_series(1, 3) v
ORDER BY v, g;  -- a stack's three rows far apart: parallel workers each meet most stacks
SQL

# earlier suites in this cluster filled the shared cache: start empty
q -c "SELECT errtrack.shared_stack_cache_reset()" >/dev/null

# 1. reference: no cache at all
q -c "SET errtrack.stack_cache_size = 0" -c "CREATE TABLE sc_ref AS SELECT s, v, errtrack.fingerprint(t, m, st) AS fp FROM sc_errors"
check "reference rows" 9000 "$(q -c 'SELECT count(*) FROM sc_ref')"

PAR=(-c "SET max_parallel_workers_per_gather = 2" -c "SET parallel_setup_cost = 0" -c "SET parallel_tuple_cost = 0"
     -c "SET min_parallel_table_scan_size = 0" -c "SET parallel_leader_participation = off")
if [ "${SHARED_CACHE_SMALL:-}" = 1 ]; then  # (step 8, on the 64 kB server)
  # A shared cache far smaller than the stacks (set by the caller below): every
  # insert evicts and packs a set's area; values stay right, memory stays put.
  q -c "SELECT errtrack.shared_stack_cache_reset()" >/dev/null
  for round in cold again; do
    check "small cache, $round: same values" 0 "$(q -c 'SELECT count(*) FROM sc_errors e JOIN sc_ref r USING (s, v) WHERE errtrack.fingerprint(e.t, e.m, e.st) <> r.fp')"
  done
  check "small cache, two workers: same values" 0 \
    "$(q "${PAR[@]}" -c 'SELECT count(*) FROM sc_errors e JOIN sc_ref r USING (s, v) WHERE errtrack.fingerprint(e.t, e.m, e.st) <> r.fp')"
  # 64 kB: 27 sets of 8 entries and a 2 KB area each
  check "small cache: entries and bytes within the sets, evictions happened" "t" \
    "$(q -c 'SELECT entries <= 27 * 8 AND bytes <= 27 * 2048 AND entries > 27 AND inserts > 3 * entries AND size <= 65536 FROM errtrack.shared_stack_cache_stats()')"
  echo "   ($(q -c "SELECT 'small cache: inserts ' || inserts || ', entries ' || entries || ', bytes ' || bytes || ', size ' || size FROM errtrack.shared_stack_cache_stats()"))"
  exit $fail  # (small mode ends here)
fi
check "the backend with its cache off left the shared cache alone" "0|0|0" \
  "$(q -c 'SELECT hits, misses, inserts FROM errtrack.shared_stack_cache_stats()')"

# 2. cold shared cache, new backend
q -c "SELECT errtrack.shared_stack_cache_reset()" >/dev/null
check "cold: same values" 0 "$(q -c 'SELECT count(*) FROM sc_errors e JOIN sc_ref r USING (s, v) WHERE errtrack.fingerprint(e.t, e.m, e.st) <> r.fp')"
check "cold: each distinct stack parsed and published once" "0|3000|3000|3000" \
  "$(q -c 'SELECT hits, misses, inserts, entries FROM errtrack.shared_stack_cache_stats()')"

# 3. another new backend: every stack from the shared cache
check "warm: same values" 0 "$(q -c 'SELECT count(*) FROM sc_errors e JOIN sc_ref r USING (s, v) WHERE errtrack.fingerprint(e.t, e.m, e.st) <> r.fp')"
check "warm: the new backend parsed nothing" "3000|3000|3000" \
  "$(q -c 'SELECT hits, misses, inserts FROM errtrack.shared_stack_cache_stats()')"
check "warm: its own cache missed each stack once, then hit" "3000|6000" \
  "$(q -c 'CREATE TEMP TABLE x AS SELECT errtrack.fingerprint(t, m, st) FROM sc_errors' -c "SELECT misses || '|' || hits FROM errtrack.stack_cache_stats()")"

# 4. two parallel workers, cold shared cache
q -c "SELECT errtrack.shared_stack_cache_reset()" >/dev/null
plan=$(q "${PAR[@]}" -c "EXPLAIN (COSTS OFF) SELECT errtrack.fingerprint(t, m, st), count(*) FROM sc_errors GROUP BY 1" | grep -c "Workers Planned: 2" || true)
check "the query has a parallel plan" 1 "$plan"
got=$(q "${PAR[@]}" -c "SELECT md5(string_agg(fp::text || ':' || n, ',' ORDER BY fp)) FROM (SELECT errtrack.fingerprint(t, m, st) AS fp, count(*) AS n FROM sc_errors GROUP BY 1) g")
want=$(q -c "SELECT md5(string_agg(fp::text || ':' || n, ',' ORDER BY fp)) FROM (SELECT fp, count(*) AS n FROM sc_ref GROUP BY 1) g")
check "parallel: the same groups as the reference" "$want" "$got"
check "parallel: each distinct stack published once between the workers" "3000|3000" \
  "$(q -c 'SELECT inserts, entries FROM errtrack.shared_stack_cache_stats()')"
# (each worker looks up what its own cache misses: at most 3,000 each; how
# many a worker found published by the other depends on how the scan split)
check "parallel: one shared look-up per stack and worker at most, every stack missed at least once" "t" \
  "$(q -c 'SELECT hits + misses <= 6000 AND misses >= 3000 FROM errtrack.shared_stack_cache_stats()')"
echo "   (parallel: $(q -c "SELECT 'shared hits ' || hits || ', misses ' || misses FROM errtrack.shared_stack_cache_stats()"))"

# 5. a parsed stack larger than a set's area (2 KB): not shared, value right
BIG="'java.lang.IllegalStateException: ' || repeat('word ', 600) || E'\\n\\tat com.shop.Big.run(Big.java:1)'"
want=$(q -c "SET errtrack.stack_cache_size = 0" -c "SELECT errtrack.fingerprint('', '', $BIG)")
check "oversized: value" "$want" "$(q -c "SELECT errtrack.fingerprint('', '', $BIG)")"
check "oversized: counted, not kept" "1|3000" "$(q -c 'SELECT oversized, entries FROM errtrack.shared_stack_cache_stats()')"

# 6. a session that opts out reads and adds nothing
before=$(q -c 'SELECT hits, misses, inserts FROM errtrack.shared_stack_cache_stats()')
check "use_shared_stack_cache = off: same values" 0 \
  "$(q -c 'SET errtrack.use_shared_stack_cache = off' -c 'SELECT count(*) FROM sc_errors e JOIN sc_ref r USING (s, v) WHERE errtrack.fingerprint(e.t, e.m, e.st) <> r.fp')"
check "use_shared_stack_cache = off: the shared cache untouched" "$before" \
  "$(q -c 'SELECT hits, misses, inserts FROM errtrack.shared_stack_cache_stats()')"

# 7. privileges: stats for everybody, reset only when granted
"${PSQL[@]}" -d postgres -c "DROP ROLE IF EXISTS errtrack_sc_nobody" -c "CREATE ROLE errtrack_sc_nobody LOGIN" >/dev/null
denied=$(q -c "SET ROLE errtrack_sc_nobody" -c "SELECT errtrack.shared_stack_cache_reset()" 2>&1 | grep -c "permission denied for function shared_stack_cache_reset" || true)
check "reset needs a grant (errtrack_admin has it)" 1 "$denied"
check "stats are readable by everybody" 3000 "$(q -c 'SET ROLE errtrack_sc_nobody' -c 'SELECT entries FROM errtrack.shared_stack_cache_stats()')"

# 8. eviction: the same checks once more on a server of its own whose shared
# cache is 64 kB (this script, in small mode)
# (PGPORT unset: pg_virtualenv would otherwise take this server's port)
if ! env -u PGPORT -u PGHOST -u PGDATABASE pg_virtualenv -t -v 15 -o shared_preload_libraries=errtrack \
     -o errtrack.shared_stack_cache_size=64kB env SHARED_CACHE_SMALL=1 bash "$0"; then
  fail=1
fi
# 9. and on a server without errtrack preloaded (the default setup): the
# extension loads on demand, its shared cache is off
if ! env -u PGPORT -u PGHOST -u PGDATABASE pg_virtualenv -t -v 15 env SHARED_CACHE_NONE=1 bash "$0"; then
  fail=1
fi
exit $fail
