#!/bin/bash
# Stress test for errtrack.refresh(): several clients ingest error spans
# (pgbench) while a refresh loop and a status-changing loop run; at the end the
# issue counts must equal a from-scratch recount over errtrack.error_events.
#
#   PGPORT=5503 test/stress/stress.sh [clients=4] [seconds=20]
#
# Uses its own database errtrack_stress (dropped and re-created).
set -euo pipefail
CLIENTS=${1:-4}
SECONDS_RUN=${2:-20}
DB=errtrack_stress
PSQL="psql -X -q -v ON_ERROR_STOP=1 -d $DB"
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
$PSQL -c "CREATE EXTENSION errtrack" \
      -c "UPDATE errtrack.settings SET settle_window = '0', auto_resolve_after = NULL, notify = true"

# One trace per transaction: a root error span and 0-4 same-service children
# (not entry spans); transactions stay open a few ms so refreshes overlap them.
cat > "$WORK/ingest.sql" <<'SQL'
\set t random(1, 2000000000)
\set n random(1, 5)
\set v random(1, 3)
BEGIN;
INSERT INTO errtrack.spans (trace_id, span_id, parent_id, service, start_time, is_error,
                            error_type, error_message, version, host)
SELECT md5(:t::text || ':' || pg_backend_pid() || ':' || now()::text)::uuid,
       g, CASE WHEN g = 1 THEN NULL ELSE 1 END, 'svc' || (:t % 3),
       '2024-05-01'::timestamptz + (:t % 86400) * interval '1 second', true,
       'Err' || (:t % 11), 'failure ' || (:t % 5), 'v' || :v, 'h' || (:t % 4)
  FROM generate_series(1, :n) g;
SELECT pg_sleep(random() * 0.02);
COMMIT;
SQL

echo "ingesting with $CLIENTS clients for ${SECONDS_RUN}s while refreshing..."
pgbench -n -c "$CLIENTS" -j 2 -T "$SECONDS_RUN" -f "$WORK/ingest.sql" "$DB" > "$WORK/pgbench.log" 2>&1 &
PGB=$!

# refresh loop (two concurrent refreshers) and a status loop
for r in 1 2; do
  ( while kill -0 $PGB 2>/dev/null; do
      $PSQL -At -c "SELECT events_processed FROM errtrack.refresh()" >> "$WORK/refresh$r.log" || echo fail >> "$WORK/fail"
      sleep 0.1
    done ) &
done
( while kill -0 $PGB 2>/dev/null; do
    $PSQL -At -c "SELECT count(*) FROM (SELECT errtrack.set_status(issue_id, (ARRAY['reviewed','resolved','ignored','for_review'])[1 + (random() * 3)::int]) FROM errtrack.issues ORDER BY random() LIMIT 3) x" >/dev/null || echo fail >> "$WORK/fail"
    sleep 0.3
  done ) &
wait $PGB
wait
grep -E "number of transactions|tps" "$WORK/pgbench.log" || cat "$WORK/pgbench.log"
[ ! -f "$WORK/fail" ] || { echo "a refresh or set_status call failed"; exit 1; }

# drain: everything committed is below the next snapshot's xmin
$PSQL -At -c "SELECT events_processed FROM errtrack.refresh()" > /dev/null
$PSQL -At -c "SELECT events_processed FROM errtrack.refresh()" > /dev/null

echo "refresh runs: $(cat "$WORK"/refresh*.log | wc -l), events processed during the run: $(cat "$WORK"/refresh*.log | paste -sd+ | bc)"
$PSQL -P pager=off <<'SQL'
SELECT (SELECT count(*) FROM errtrack.spans) AS spans,
       (SELECT count(*) FROM errtrack.error_events) AS error_events,
       (SELECT sum(event_count) FROM errtrack.issues) AS counted,
       (SELECT count(*) FROM errtrack.issues) AS issues,
       (SELECT events_total FROM errtrack.refresh_state) AS processed_total;
SQL
MISMATCH=$($PSQL -At <<'SQL'
SELECT (SELECT count(*)
          FROM (SELECT service, fingerprint, count(*) AS n FROM errtrack.error_events GROUP BY 1, 2) e
          FULL JOIN errtrack.issues i USING (service, fingerprint)
         WHERE e.n IS DISTINCT FROM i.event_count)
     + (SELECT count(*) FROM errtrack.issues i
         WHERE i.event_count <> (SELECT sum(b.events) FROM errtrack.issue_buckets b WHERE b.issue_id = i.issue_id))
     + (SELECT count(*) FROM (SELECT issue_id FROM errtrack.alerts WHERE kind = 'new_issue' GROUP BY 1 HAVING count(*) > 1) d)
     + (SELECT abs((SELECT count(*) FROM errtrack.error_events) - (SELECT events_total FROM errtrack.refresh_state)));
SQL
)
if [ "$MISMATCH" = "0" ]; then
  echo "OK: issue counts equal a from-scratch recount (and buckets, alerts, totals agree)"
else
  echo "FAIL: $MISMATCH mismatches"; exit 1
fi
