-- Service entry spans and error events: which spans count, for which service,
-- late parents, tracer markers, fingerprints, ingest_xid push-down.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;
\set VERBOSITY terse

-- trace 1 (128-bit id): web root (checkout-api) -> db child in the same service
-- with an error (NOT an entry span: not counted) -> payments-client child with
-- an error (entry span of payments-client: counted) -> its own child in
-- payments-client with an error (not counted)
-- trace 2: root worker span with a custom fingerprint (counted, custom)
-- trace 3: a span whose parent is upstream (not stored) with an error (counted)
-- trace 4: is_error without type, message or stack (not an error event)
-- trace 5: tracer marker _top_level on a span whose same-service parent is stored (counted)
SELECT errtrack.ingest_datadog('[
 [{"service": "checkout-api", "name": "web.request", "resource": "GET /checkout", "trace_id": 1001, "span_id": 1, "parent_id": 0,
   "start": 1795478133469019392, "duration": 9000, "meta": {"_dd.p.tid": "6756c1a500000000", "env": "prod", "version": "1.0"}},
  {"service": "checkout-api", "name": "db.query", "trace_id": 1001, "span_id": 2, "parent_id": 1,
   "start": 1795478133469019500, "duration": 100, "error": 1,
   "meta": {"error.type": "QueryError", "error.message": "deadlock detected", "error.stack": "QueryError: deadlock detected\n    at q (/srv/db.js:1:1)"}},
  {"service": "payments-client", "name": "payment.charge", "resource": "POST /v1/charges", "trace_id": 1001, "span_id": 3, "parent_id": 1,
   "start": 1795478133469019601, "duration": 200, "error": 1,
   "meta": {"env": "prod", "version": "2.0", "_dd.hostname": "pay-1", "container_id": "c0ffee",
            "error.type": "CardDeclinedError", "error.message": "card declined for amount 250",
            "error.stack": "CardDeclinedError: card declined for amount 250\n    at charge (/srv/pay.js:39:29)"}},
  {"service": "payments-client", "name": "http.request", "trace_id": 1001, "span_id": 4, "parent_id": 3,
   "start": 1795478133469019700, "duration": 50, "error": 1,
   "meta": {"error.type": "HttpError", "error.message": "402", "error.stack": "HttpError: 402\n    at r (/srv/http.js:2:2)"}}],
 [{"service": "billing-worker", "name": "invoice.generate", "trace_id": 1002, "span_id": 10, "parent_id": 0,
   "start": 1795478133469020000, "duration": 80566, "error": 1,
   "meta": {"error.type": "TimeoutError", "error.message": "timeout after 30000ms waiting for ledger",
            "error.stack": "TimeoutError: timeout\n    at w (/srv/w.js:71:17)", "error.fingerprint": "ledger-timeout"}}],
 [{"service": "api", "name": "web.request", "trace_id": 1003, "span_id": 20, "parent_id": 19,
   "start": 1795478133469021000, "duration": 10, "error": 1,
   "meta": {"error.type": "NotFound", "error.message": "user 42 not found", "error.stack": "NotFound: user 42 not found\n    at u (/srv/u.js:3:3)"}}],
 [{"service": "api", "name": "web.request", "trace_id": 1004, "span_id": 30, "parent_id": 0,
   "start": 1795478133469022000, "duration": 10, "error": 1, "meta": {"http.status_code": "500"}}],
 [{"service": "api", "name": "web.request", "trace_id": 1005, "span_id": 40, "parent_id": 0,
   "start": 1795478133469023000, "duration": 10},
  {"service": "api", "name": "handler", "trace_id": 1005, "span_id": 41, "parent_id": 40,
   "start": 1795478133469023100, "duration": 5, "error": 1, "metrics": {"_top_level": 1},
   "meta": {"error.type": "E", "error.message": "marked"}}]
]'::jsonb) AS stored;

SELECT trace_id, span_id, parent_id, service, name, top_level
FROM errtrack.entry_spans ORDER BY start_ns;

SELECT trace_id, span_id, parent_id, service, env, version, host, container_id, resource, name,
       start_time, duration_ns, error_type, error_message, fingerprint_kind, start_ns
FROM errtrack.error_events ORDER BY start_ns;

-- fingerprints: computed from (type, message, stack), or from error.fingerprint
SELECT span_id, fingerprint_kind,
       fingerprint = CASE fingerprint_kind WHEN 'custom' THEN errtrack.fingerprint_custom(error_fingerprint)
                          ELSE errtrack.fingerprint(error_type, error_message, error_stack) END AS fingerprint_ok
FROM errtrack.error_events ORDER BY start_ns;

-- late parent: trace 3's parent (span 19) arrives afterwards.  In another
-- service it changes nothing; in the same service span 20 stops being an
-- entry span, and the parent (now the entry span, without error) is no event.
SELECT errtrack.ingest_datadog('[[{"service": "gateway", "name": "proxy", "trace_id": 1003, "span_id": 19, "parent_id": 0,
   "start": 1795478133469020900, "duration": 100}]]'::jsonb) AS stored_other_service_parent;
SELECT span_id, service FROM errtrack.error_events WHERE span_id = 20;
-- (a parent with the same id in the same service in another trace does not count)
SELECT errtrack.ingest_datadog('[[{"service": "api", "name": "proxy", "trace_id": 9999, "span_id": 19, "parent_id": 0,
   "start": 1795478133469020900, "duration": 100}]]'::jsonb) AS stored_other_trace;
SELECT span_id, service FROM errtrack.error_events WHERE span_id = 20;
DELETE FROM errtrack.spans WHERE trace_id = '00000000-0000-0000-0000-0000000003eb' AND span_id = 19;
SELECT errtrack.ingest_datadog('[[{"service": "api", "name": "web.request", "trace_id": 1003, "span_id": 19, "parent_id": 0,
   "start": 1795478133469020900, "duration": 100}]]'::jsonb) AS stored_same_service_parent;
SELECT count(*) AS span20_events FROM errtrack.error_events WHERE span_id = 20;
SELECT span_id, service FROM errtrack.entry_spans WHERE trace_id = '00000000-0000-0000-0000-0000000003eb' ORDER BY span_id;

-- ingest_xid: every span of one call shares the inserting transaction
SELECT count(DISTINCT ingest_xid) AS xids_first_payload
FROM errtrack.spans WHERE trace_id IN ('6756c1a5-0000-0000-0000-0000000003e9', '00000000-0000-0000-0000-0000000003ea');
SELECT bool_and(ingest_xid < pg_current_xact_id()) AS committed_before FROM errtrack.spans;

-- a predicate on ingest_xid reaches the spans (ingest_xid) index through the view
SET enable_seqscan = off;
EXPLAIN (COSTS OFF)
SELECT service, fingerprint FROM errtrack.error_events WHERE ingest_xid >= '100'::xid8;
RESET enable_seqscan;
