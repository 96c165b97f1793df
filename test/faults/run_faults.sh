#!/usr/bin/env bash
# run_faults.sh — crash and failure injection for ingestion and refresh.
#
#   1. kill -9 the backend running a long errtrack.refresh(): after crash
#      recovery nothing of it is visible (watermark, issues unchanged);
#   2. kill -9 the backend running a long ingestion (INSERT ... SELECT and
#      errtrack.ingest_datadog): none of its spans are visible;
#   3. then a refresh completes and every issue's event_count equals a
#      from-scratch recount over errtrack.error_events;
#   4. a refresh that fails half-way (a trigger raising on errtrack.alerts,
#      after issues, buckets, versions and history were written; then a
#      statement_timeout) leaves every errtrack table exactly as before.
#
# Runs against the server of the PG* environment (tools/sql-tests.sh runs it
# inside pg_virtualenv); needs to be able to kill -9 that server's backends,
# i.e. run as root or as the cluster owner on the same host (SKIP otherwise).
# Kills crash-restart the whole cluster: never point it at a shared server.
# Uses its own database errtrack_faults.  Exit status 1 on any failed check.
set -uo pipefail
cd "$(dirname "$0")/../.."
DB=errtrack_faults
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -t -A)
fails=0

ok()   { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
# check <label> <expected> <sql>
check() {
  local got
  got=$("${PSQL[@]}" -c "$3" 2>&1)
  if [ "$got" == "$2" ]; then ok "$1"; else fail "$1: expected '$2', got '$got'"; fi
}
wait_up() {  # after a crash the postmaster restarts; wait until it accepts queries
  for _ in $(seq 1 120); do
    psql -X -q -d "$DB" -tAc "SELECT 1" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "server did not come back"; return 1
}
# backend_of <application_name>: pid of the active backend with that name
backend_of() {
  psql -X -d "$DB" -tAc "SELECT pid FROM pg_stat_activity WHERE application_name = '$1' AND state = 'active' LIMIT 1"
}
# kill_during <label> <seconds> <sql>: runs sql in the background, kill -9s its
# backend after <seconds>; fails the check if the statement finished first.
kill_during() {
  local label=$1 delay=$2 sql=$3 pid bg
  PGAPPNAME=faults_victim psql -X -q -d "$DB" -c "$sql" >/dev/null 2>&1 &
  bg=$!
  # wait (up to 10 s) for the statement to start, then let it run $delay s
  for _ in $(seq 1 200); do
    [ -n "$(backend_of faults_victim)" ] && break
    sleep 0.05
  done
  sleep "$delay"
  pid=$(backend_of faults_victim)
  if [ -z "$pid" ]; then
    wait $bg; fail "$label: the statement was not running after ${delay}s (too fast to kill)"; return
  fi
  kill -9 "$pid" && ok "$label: backend $pid killed with SIGKILL after ${delay}s"
  wait $bg
  wait_up || exit 1
}
# state: a digest of the contents of every errtrack table but the spans
# (issues, buckets, versions, fingerprints, history, alerts, refresh state:
# whatever a half-done refresh could change); faults_state() is created below
STATE="SELECT public.faults_state()"
MISMATCHES="SELECT count(*) FROM (SELECT service, fingerprint, count(*) AS n FROM errtrack.error_events GROUP BY 1, 2) e
  FULL JOIN errtrack.issues i USING (service, fingerprint) WHERE e.n IS DISTINCT FROM i.event_count"
# add_errors <tag> <n> <groups>: n committed error spans (Python stacks) in <groups> fingerprints per service
add_errors() {
  "${PSQL[@]}" -c "INSERT INTO errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type,
                                              error_message, error_stack, version, host)
    SELECT md5('$1' || g)::uuid, g, 'svc' || (g % 3), '2024-05-01'::timestamptz + (g % 86400) * interval '1 second', true,
           'ValueError', 'bad value ' || g,
           E'Traceback (most recent call last):\n  File \"/app/svc/handler.py\", line ' || (g % 90) || E', in handle\n    process(x)\n'
           || E'  File \"/app/svc/mod' || (g % $3) || E'.py\", line 12, in process_' || (g % $3) || E'\n    raise ValueError(\"bad\")\nValueError: bad value ' || g,
           '$1', 'h' || (g % 4)
      FROM generate_series(1, $2) g"
}

if ! psql -X -q -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
  echo "SKIP: no server in the PG* environment"; exit 0
fi
PGAPPNAME=faults_probe psql -X -q -d postgres -c "SELECT pg_sleep(2)" >/dev/null 2>&1 &
sleep 0.5
probe=$(psql -X -d postgres -tAc "SELECT pid FROM pg_stat_activity WHERE application_name = 'faults_probe' LIMIT 1")
if [ -z "$probe" ] || ! kill -0 "$probe" 2>/dev/null; then
  wait; echo "SKIP: cannot signal the server's backends (run as root or as the cluster owner on its host)"; exit 0
fi
wait

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" || exit 1
"${PSQL[@]}" -c "SET client_min_messages = warning; CREATE EXTENSION errtrack;
                 UPDATE errtrack.settings SET settle_window = '0', auto_resolve_after = NULL, notify = true" || exit 1
"${PSQL[@]}" >/dev/null <<'SQL' || exit 1
CREATE FUNCTION public.faults_state() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    r regclass;
    d text;
    acc text := '';
BEGIN
    FOR r IN SELECT c.oid FROM pg_class c
              WHERE c.relnamespace = 'errtrack'::regnamespace AND c.relkind = 'r' AND NOT c.relispartition
              ORDER BY c.relname LOOP
        EXECUTE format('SELECT md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), %L)) FROM %s t', '', r) INTO d;
        acc := acc || r::text || '=' || d || ' ';
    END LOOP;
    RETURN md5(acc);
END
$$;
SQL

# A: counted.  B: committed, not yet counted (the long refresh).
add_errors a 5000 50 && "${PSQL[@]}" -c "SELECT errtrack.refresh('0')" >/dev/null || exit 1
add_errors b 200000 100 || exit 1
before=$("${PSQL[@]}" -c "$STATE")
spans_before=$("${PSQL[@]}" -c "SELECT count(*) FROM errtrack.spans")
echo "   $spans_before spans, issues counted for the first 5000; refresh of 200000 more events takes seconds"

echo "-- kill -9 during a long refresh"
kill_during "refresh" 0.5 "SELECT errtrack.refresh('0')"
check "refresh killed: issues, buckets, history, alerts, watermark unchanged" "$before" "$STATE"

echo "-- kill -9 during a long ingestion"
kill_during "INSERT ... SELECT of 3M spans" 2 \
  "INSERT INTO errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type, error_message)
   SELECT md5('c' || g)::uuid, g, 'svc1', '2024-05-02'::timestamptz, true, 'E', 'm' FROM generate_series(1, 3000000) g"
check "INSERT killed: none of its spans stored" "$spans_before" "SELECT count(*) FROM errtrack.spans"
# a Datadog JSON payload of 300k spans, ingested in one call
kill_during "ingest_datadog(text) of 300k spans" 1.5 \
  "SELECT errtrack.ingest_datadog((SELECT '[' || string_agg(format('[{\"trace_id\":%s,\"span_id\":%s,\"service\":\"svc2\",\"name\":\"web.request\",\"resource\":\"GET /\",\"start\":1714557600000000000,\"duration\":1000,\"error\":1,\"meta\":{\"error.type\":\"KeyError\",\"error.message\":\"no %s\"}}]', g, g, g), ',') || ']' FROM generate_series(1, 300000) g))"
check "ingest_datadog killed: none of its spans stored" "$spans_before" "SELECT count(*) FROM errtrack.spans"
check "refresh state intact after the crashes" "$before" "$STATE"

echo "-- after recovery"
"${PSQL[@]}" -c "SELECT errtrack.refresh('0')" >/dev/null && ok "refresh completes" || fail "refresh after recovery"
check "every issue's event_count equals a recount over errtrack.error_events" "0" "$MISMATCHES"
check "events counted = error events" "205000|205000" \
  "SELECT (SELECT sum(event_count) FROM errtrack.issues), (SELECT count(*) FROM errtrack.error_events)"

echo "-- a refresh that fails half-way leaves no partial state"
add_errors d 20000 120 || exit 1   # 120 fingerprints per service: new issues, new alerts
"${PSQL[@]}" -c "CREATE FUNCTION public.faults_fail() RETURNS trigger LANGUAGE plpgsql AS
                   \$\$ BEGIN RAISE EXCEPTION 'injected failure' USING ERRCODE = 'XX001'; END \$\$;
                 CREATE TRIGGER faults_fail BEFORE INSERT ON errtrack.alerts
                   FOR EACH STATEMENT EXECUTE FUNCTION public.faults_fail()" >/dev/null || exit 1
before=$("${PSQL[@]}" -c "$STATE")
got=$("${PSQL[@]}" -c "SELECT errtrack.refresh('0')" 2>&1)
case "$got" in *"injected failure"*) ok "refresh failed at the alerts insert (after issues, buckets, versions, history)";;
               *) fail "refresh did not fail: $got";; esac
check "failed refresh: state unchanged" "$before" "$STATE"
"${PSQL[@]}" -c "DROP TRIGGER faults_fail ON errtrack.alerts; DROP FUNCTION public.faults_fail()" >/dev/null

got=$("${PSQL[@]}" -c "SET statement_timeout = '30ms'; SELECT errtrack.refresh('0')" 2>&1)
case "$got" in *"statement timeout"*) ok "refresh cancelled by statement_timeout";;
               *) fail "refresh was not cancelled by a 30 ms statement_timeout: $got";; esac
check "cancelled refresh: state unchanged" "$before" "$STATE"

"${PSQL[@]}" -c "SELECT errtrack.refresh('0')" >/dev/null && ok "refresh completes" || fail "final refresh"
check "recount after the failures" "0" "$MISMATCHES"
check "events counted = error events" "225000|225000" \
  "SELECT (SELECT sum(event_count) FROM errtrack.issues), (SELECT count(*) FROM errtrack.error_events)"

psql -X -q -d postgres -c "DROP DATABASE $DB"
echo "faults: $fails failed"
[ "$fails" -eq 0 ]
