#!/usr/bin/env bash
# run_fixtures.sh — end-to-end ingestion of every captured tracer payload:
# the shared fixtures (../shared/fixtures/tracers, SKIP when absent) and the
# ones captured by test/tracers/capture.sh (test/fixtures/tracers/*/).
# For each group it ingests the payloads into a fresh errtrack.spans and checks
# errtrack.error_events: which entry spans count, for which service, with the
# 128-bit trace id, the fingerprint kind, and exact start times (the msgpack
# body and the sink's independent decoding must give identical rows).
#
#   test/ingest/run_fixtures.sh        (psql env: PGPORT, PGHOST, PGDATABASE;
#                                       uses database ${FIXTURE_DB:-errtrack_fixtures})
# Exit status 1 on any failed check.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHARED=${ERRTRACK_SHARED_DIR:-$ROOT/../shared}/fixtures/tracers
DB=${FIXTURE_DB:-errtrack_fixtures}
psql -X -q -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 || createdb "$DB"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -t -A)
"${PSQL[@]}" -c "SET client_min_messages = warning; DROP EXTENSION IF EXISTS errtrack CASCADE; CREATE EXTENSION errtrack;" >/dev/null || exit 1
fails=0; passes=0

reset() { "${PSQL[@]}" -c "TRUNCATE errtrack.spans" >/dev/null; }
# ingest <file>: prints the number of spans stored
ingest() {
  local f=$1
  case "$f" in
    *.msgpack) "${PSQL[@]}" -v p="$(xxd -p "$f" | tr -d '\n')" <<<"SELECT errtrack.ingest_datadog(decode(:'p', 'hex'));" ;;
    *.decoded.json) "${PSQL[@]}" -v p="$(cat "$f")" <<<"SELECT errtrack.ingest_datadog(:'p'::jsonb);" ;;
    *.json) "${PSQL[@]}" -v p="$(cat "$f")" <<<"SELECT errtrack.ingest_otlp(:'p'::jsonb);" ;;
  esac
}
# check <label> <expected> <sql>
check() {
  local got
  got=$("${PSQL[@]}" -c "$3" 2>&1)
  if [ "$got" == "$2" ]; then passes=$((passes + 1)); echo "ok   $1"
  else fails=$((fails + 1)); echo "FAIL $1"; echo "  expected: $(echo "$2" | tr '\n' ';')"; echo "  got:      $(echo "$got" | tr '\n' ';')"; fi
}
EVENTS="SELECT string_agg(format('%s|%s|%s|%s', service, name, error_type, fingerprint_kind), E'\n' ORDER BY service, name) FROM errtrack.error_events"

# --- shared fixtures ----------------------------------------------------------
if [ ! -d "$SHARED" ]; then
  echo "SKIP shared fixtures: $SHARED is absent"
else
  for ver in v0.4 v0.5; do
    mp=$SHARED/ddtrace-js-5.132.0-$ver.msgpack; dec=$SHARED/ddtrace-js-5.132.0-$ver.decoded.json
    reset
    check "shared $ver msgpack stores 4 spans" 4 "SELECT $(ingest "$mp")"
    check "shared $ver events" "billing-worker|invoice.generate|TimeoutError|custom
checkout-api|web.request|CardDeclinedError|computed
payments-client|payment.charge|CardDeclinedError|computed" "$EVENTS"
    check "shared $ver 128-bit trace ids" "6756c1a5-0000-0000-4bf9-2f3577b34da6|2" \
      "SELECT trace_id || '|' || count(*) FROM errtrack.error_events WHERE service <> 'billing-worker' GROUP BY trace_id"
    check "shared $ver billing trace id has _dd.p.tid high half" "t" \
      "SELECT bool_and(trace_id::text NOT LIKE '00000000-0000-0000-%') FROM errtrack.spans"
    # the sink decoded the same body independently (@msgpack/msgpack, BigInt):
    # identical (trace, span, start) -> nothing new; and the exact start values
    check "shared $ver decoded.json = msgpack (exact ids and starts)" 0 "SELECT $(ingest "$dec")"
    check "shared $ver start_ns equals the decoded starts" "t" "SELECT
      (SELECT array_agg(x ORDER BY x) FROM (SELECT (s->>'start')::bigint AS x FROM jsonb_array_elements(\$j\$$(cat "$dec")\$j\$::jsonb->'traces') t, jsonb_array_elements(t) s) q)
      = (SELECT array_agg(start_ns ORDER BY start_ns) FROM errtrack.spans)"
  done
  reset
  check "shared otel-js stores 4 spans" 4 "SELECT $(ingest "$SHARED/otel-js-2.12.0-otlp-http.json")"
  check "shared otel-js events (child CLIENT span in the same service not counted)" "checkout-api|GET /checkout|CardDeclinedError|computed
checkout-api|invoice.generate|TimeoutError|custom" "$EVENTS"
  check "shared otel-js server span trace id" "6756c1a5-0000-0000-4bf9-2f3577b34da6" \
    "SELECT trace_id FROM errtrack.error_events WHERE name = 'GET /checkout'"
  check "shared otel-js resource mapping" "staging|1.4.2|node-7.example.internal|shop" \
    "SELECT DISTINCT env || '|' || version || '|' || host || '|' || (resource_attributes->>'k8s.namespace.name') FROM errtrack.spans"
  reset
  n=0; for i in 1 2 3; do n=$((n + $(ingest "$SHARED/ddtrace-js-5.132.0-otlp-http-$i.json"))); done
  check "shared dd-trace OTLP export stores 4 spans" 4 "SELECT $n"
  check "shared dd-trace OTLP export events" "billing-worker|invoice.generate|TimeoutError|custom
checkout-api|web.request|CardDeclinedError|computed
payments-client|payment.charge|CardDeclinedError|computed" "$EVENTS"
  check "shared dd-trace OTLP export: 64-bit JSON-number times kept digit for digit" "t" \
    "SELECT bool_and(start_ns::text ~ '00\$') FROM errtrack.spans"
fi

# --- payloads captured by test/tracers/capture.sh -----------------------------
CAP=$ROOT/test/fixtures/tracers
found=0
for dir in "$CAP"/ddtrace-js-*; do
  [ -d "$dir" ] || continue
  for ver in v0.4 v0.5; do
    for mp in "$dir"/scenarios-$ver-*.msgpack; do
      [ -f "$mp" ] || continue
      found=1; reset
      check "$(basename "$dir")/$(basename "$mp") stores 5 spans" 5 "SELECT $(ingest "$mp")"
      check "$(basename "$mp") events: root error and downstream error only" "batch-worker|job.run|TypeError|computed
inventory-api|inventory.check|StockError|computed" "$EVENTS"
      check "$(basename "$mp") same-service child error stored but not an event" "1|0" \
        "SELECT count(*) FILTER (WHERE name = 'db.query' AND is_error) || '|' || (SELECT count(*) FROM errtrack.error_events WHERE service = 'checkout-api') FROM errtrack.spans"
      check "$(basename "$mp") downstream event shares the caller's 128-bit trace" "t" \
        "SELECT (SELECT trace_id FROM errtrack.error_events WHERE service = 'inventory-api') = (SELECT trace_id FROM errtrack.spans WHERE resource = 'POST /order') AND (SELECT trace_id::text NOT LIKE '00000000-0000-0000-%' FROM errtrack.spans WHERE resource = 'POST /order')"
      check "$(basename "$mp") decoded.json = msgpack" 0 "SELECT $(ingest "${mp%.msgpack}.decoded.json")"
    done
  done
done
for dir in "$CAP"/otel-js-*; do
  [ -d "$dir" ] || continue
  found=1; reset; n=0
  for f in "$dir"/scenarios-otlp-http-*.json; do n=$((n + $(ingest "$f"))); done
  check "$(basename "$dir") stores 6 spans" 6 "SELECT $n"
  check "$(basename "$dir") events: root error and downstream error only" "batch-worker|job.run|TypeError|computed
inventory-api|GET /stock/:sku|StockError|computed" "$EVENTS"
  check "$(basename "$dir") downstream SERVER span: remote parent flag, caller's trace" "true|true" \
    "SELECT e.top_level || '|' || (e.trace_id = c.trace_id) FROM errtrack.spans e, errtrack.spans c WHERE e.service = 'inventory-api' AND c.name = 'GET inventory'"
done
[ $found = 1 ] || echo "SKIP captured fixtures: none under $CAP (run test/tracers/capture.sh)"

echo "fixtures: $passes passed, $fails failed"
[ $fails = 0 ]
