#!/usr/bin/env bash
# demo-run.sh — the demo's SQL session; run by tools/demo.sh inside a
# throwaway cluster (PG* variables set by pg_virtualenv).
set -euo pipefail
cd "$(dirname "$0")/.."
FIX=test/fixtures/stacks
TRACERS=test/fixtures/tracers
hex() { od -An -tx1 -v "$1" | tr -d ' \n'; }

# Payloads captured from real tracers (dd-trace msgpack v0.4/v0.5, OTLP/JSON
# from dd-trace and OpenTelemetry JS): the project's own captures and, when
# present, the shared ones.
PAYLOADS=$(mktemp /tmp/errtrack-demo-payloads-XXXXXX.sql)
trap 'rm -f "$PAYLOADS"' EXIT
for f in test/fixtures/tracers/*.msgpack ../shared/fixtures/tracers/*.msgpack; do
  [ -f "$f" ] || continue
  printf "SELECT %s AS payload, errtrack.ingest_datadog(decode('%s', 'hex')) AS spans;\n" \
    "'$(basename "$f")'" "$(hex "$f")" >> "$PAYLOADS"
done
for f in test/fixtures/tracers/*otlp*.json ../shared/fixtures/tracers/*otlp*.json; do
  [ -f "$f" ] || continue
  printf "\\set p \`cat %s\`\nSELECT %s AS payload, errtrack.ingest_otlp(:'p'::jsonb) AS spans;\n" \
    "$f" "'$(basename "$f")'" >> "$PAYLOADS"
done

export PSQL_PAGER=cat
psql -X -q -v ON_ERROR_STOP=1 -P pager=off <<SQL
\pset null '-'
SET client_min_messages = warning;
CREATE EXTENSION errtrack;
RESET client_min_messages;

\echo
\echo '== 1. Fingerprints of real errors =========================================='
\set j1 \`cat $FIX/java/plain_order_not_found_1.txt\`
\set j2 \`cat $FIX/java/plain_order_not_found_2.txt\`
\set j3 \`cat $FIX/java/lookalike_invoice_not_found.txt\`
\set p1 \`cat $FIX/python/lookalike_validate_quantity.txt\`
\set p2 \`cat $FIX/python/validate_quantity_2.txt\`
\set n1 \`cat $FIX/node/typeerror_undefined_property.txt\`
SELECT label, errtrack.fingerprint(t, m, s) AS fingerprint, errtrack.normalize_message(m) AS message_template
FROM (VALUES
  ('java: order 4711 not found',        'java.lang.IllegalStateException', 'Order 4711 not found',  :'j1'),
  ('java: order 90210 not found',       'java.lang.IllegalStateException', 'Order 90210 not found', :'j2'),
  ('java: look-alike, other function',  'java.lang.IllegalStateException', 'Order 4711 not found',  :'j3'),
  ('python: quantity -3',               'ValueError', 'quantity must be positive, got -3', :'p1'),
  ('python: quantity -17',              'ValueError', 'quantity must be positive, got -17', :'p2'),
  ('node: reading id of undefined',     'TypeError', 'Cannot read properties of undefined (reading ''id'')', :'n1')
) AS e(label, t, m, s);

\echo 'Why the Java error got its fingerprint:'
SELECT errtrack.fingerprint_explain('java.lang.IllegalStateException', 'Order 4711 not found', :'j1');
\echo 'Its canonical stack:'
SELECT errtrack.normalize_stack(:'j1');

\echo
\echo '== 2. Ingest spans =========================================================='
\set demo \`cat "\$ERRTRACK_DEMO_SPANS"\`
SELECT errtrack.ingest_datadog(:'demo'::jsonb) AS spans_from_nine_services;
\\i $PAYLOADS
SELECT count(*) AS spans, count(*) FILTER (WHERE is_error) AS error_spans FROM errtrack.spans;
SELECT count(*) AS error_events_on_entry_spans FROM errtrack.error_events;

\echo
\echo '== 3. Issues ================================================================'
\i tools/demo.sql
SQL
