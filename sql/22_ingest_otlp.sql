-- errtrack.ingest_otlp: OTLP/JSON ExportTraceServiceRequest mapping and malformed payloads.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;
\set VERBOSITY terse

-- resource attributes (service, version, the deprecated deployment.environment,
-- host, container, k8s), exception events (the last one wins), status, kinds,
-- numbers as strings and as JSON numbers (a 64-bit time written in exponent
-- form is still converted exactly), flags 0x301 = parent is remote
SELECT errtrack.ingest_otlp('{
 "resourceSpans": [{
  "scopeSpans": [{
   "spans": [
    {"traceId": "6756C1A5000000004BF92F3577B34DA6", "spanId": "46a874c9002dff1b", "parentSpanId": "00f067aa0ba902b7",
     "name": "GET /checkout", "kind": 2, "startTimeUnixNano": "1795478121142000001", "endTimeUnixNano": 1795478121148970773,
     "attributes": [{"key": "http.request.method", "value": {"stringValue": "GET"}},
                    {"key": "http.route", "value": {"stringValue": "/checkout"}},
                    {"key": "http.response.status_code", "value": {"intValue": 500}},
                    {"key": "retry", "value": {"intValue": "9007199254740993"}},
                    {"key": "ratio", "value": {"doubleValue": 0.5}},
                    {"key": "sampled", "value": {"boolValue": true}},
                    {"key": "tags", "value": {"arrayValue": {"values": [{"stringValue": "a"}, {"intValue": 2}]}}},
                    {"key": "ctx", "value": {"kvlistValue": {"values": [{"key": "k", "value": {"stringValue": "v"}}]}}}],
     "events": [{"name": "log", "attributes": []},
                {"name": "exception", "timeUnixNano": "1795478121148943663", "attributes": [
                   {"key": "exception.type", "value": {"stringValue": "FirstError"}}]},
                {"name": "exception", "timeUnixNano": "1795478121148943663", "attributes": [
                   {"key": "exception.type", "value": {"stringValue": "CardDeclinedError"}},
                   {"key": "exception.message", "value": {"stringValue": "card declined for amount 250"}},
                   {"key": "exception.stacktrace", "value": {"stringValue": "CardDeclinedError: card declined for amount 250\n    at charge (/srv/app/otel_app.js:64:31)"}}]}],
     "status": {"code": 2, "message": "card declined for amount 250"}, "flags": 769},
    {"traceId": "6756c1a5000000004bf92f3577b34da6", "spanId": "1ca45380809867f5", "parentSpanId": "46a874c9002dff1b",
     "name": "POST /v1/charges", "kind": "SPAN_KIND_CLIENT", "startTimeUnixNano": 1.795478121143e18,
     "endTimeUnixNano": "1795478121144000000", "status": {"code": "STATUS_CODE_ERROR", "message": "declined"}, "flags": 257},
    {"traceId": "84b5abc442a2ffd3c07fbc0ca32c1243", "spanId": "49024ec42f864db7", "parentSpanId": "",
     "name": "invoice.generate", "kind": 5, "startTimeUnixNano": "1795478121150000000", "endTimeUnixNano": "1795478121150304111",
     "attributes": [{"key": "error.fingerprint", "value": {"stringValue": "ledger-timeout"}}],
     "status": {"code": 1}}
   ],
   "scope": {"name": "errtrack-eval", "version": "0.0.1"}}],
  "resource": {"attributes": [
    {"key": "service.name", "value": {"stringValue": "checkout-api"}},
    {"key": "service.version", "value": {"stringValue": "1.4.2"}},
    {"key": "deployment.environment", "value": {"stringValue": "staging"}},
    {"key": "host.name", "value": {"stringValue": "node-7"}},
    {"key": "container.id", "value": {"stringValue": "a3bf90e006b2"}},
    {"key": "k8s.pod.name", "value": {"stringValue": "checkout-api-7d9f8-abcde"}}]}
 }]
}'::jsonb) AS stored;

SELECT trace_id, to_hex(span_id) AS span_id, to_hex(parent_id) AS parent_id, service, name, resource, span_kind,
       start_ns, duration_ns, is_error, error_type, error_message, error_fingerprint, env, version, host,
       container_id, top_level, source
FROM errtrack.spans ORDER BY start_ns;
SELECT name, error_stack, resource_attributes, meta, metrics FROM errtrack.spans ORDER BY start_ns;

-- dd-trace's own OTLP export: per-span service.name, operation.name /
-- resource.name attributes, error.* attributes instead of an exception event
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"resource": {"attributes": [
   {"key": "service.name", "value": {"stringValue": "checkout-api"}},
   {"key": "deployment.environment.name", "value": {"stringValue": "prod"}}]},
  "scopeSpans": [{"scope": {"name": "dd-trace"}, "spans": [
   {"traceId": "00000000000000000000000000000abc", "spanId": "0000000000000def", "parentSpanId": "0000000000000123",
    "name": "payment.charge", "startTimeUnixNano": 1795478113822023400, "endTimeUnixNano": 1795478113823023400,
    "attributes": [{"key": "service.name", "value": {"stringValue": "payments-client"}},
                   {"key": "operation.name", "value": {"stringValue": "payment.charge"}},
                   {"key": "resource.name", "value": {"stringValue": "POST /v1/charges"}},
                   {"key": "span.type", "value": {"stringValue": "http"}},
                   {"key": "error.type", "value": {"stringValue": "CardDeclinedError"}},
                   {"key": "error.message", "value": {"stringValue": "card declined"}},
                   {"key": "error.stack", "value": {"stringValue": "CardDeclinedError: card declined\n    at x (/a.js:1:1)"}}],
    "status": {"code": 2, "message": "CardDeclinedError: card declined"}}]}]}]}'::jsonb) AS stored_dd_export;
SELECT service, name, resource, span_type, env, start_ns, error_type, error_message, parent_id
FROM errtrack.spans WHERE trace_id = '00000000-0000-0000-0000-000000000abc';

-- text overload; unknown members ignored; a resource without service.name
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"resource": {}, "schemaUrl": "x", "scopeSpans": [{"spans": [
   {"traceId": "00000000000000000000000000000abd", "spanId": "0000000000000001", "name": "x",
    "startTimeUnixNano": "1795478113822023400", "unknown": [1, {"a": null}]}]}]}]}'::text) AS stored_text;
SELECT service, duration_ns, is_error FROM errtrack.spans WHERE trace_id = '00000000-0000-0000-0000-000000000abd';
-- empty request
SELECT errtrack.ingest_otlp('{}'::jsonb) AS stored_empty, errtrack.ingest_otlp('{"resourceSpans": []}'::jsonb) AS stored_none;
-- re-sent: nothing new
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"resource": {}, "scopeSpans": [{"spans": [
   {"traceId": "00000000000000000000000000000abd", "spanId": "0000000000000001", "name": "x",
    "startTimeUnixNano": "1795478113822023400"}]}]}]}'::jsonb) AS stored_again;

-- malformed
SELECT count(*) AS before FROM errtrack.spans;
SELECT errtrack.ingest_otlp('[]'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": {}}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [{"spanId": "0000000000000001", "startTimeUnixNano": "1"}]}]}]}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "abc", "spanId": "0000000000000001", "startTimeUnixNano": "1"}]}]}]}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "00000000000000000000000000000000", "spanId": "0000000000000001", "startTimeUnixNano": "1"}]}]}]}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "0000000000000000000000000000000g", "spanId": "0000000000000001", "startTimeUnixNano": "1"}]}]}]}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "00000000000000000000000000000001", "spanId": "0000000000000000", "startTimeUnixNano": "1"}]}]}]}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "00000000000000000000000000000001", "spanId": "0000000000000001"}]}]}]}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "00000000000000000000000000000001", "spanId": "0000000000000001", "startTimeUnixNano": "12.5"}]}]}]}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "00000000000000000000000000000001", "spanId": "0000000000000001", "startTimeUnixNano": "1", "attributes": [{"key": "a", "value": {"intValue": "x"}}]}]}]}]}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "00000000000000000000000000000001", "spanId": "0000000000000001", "startTimeUnixNano": "1", "kind": "SPAN_KIND_WEIRD"}]}]}]}'::jsonb);
-- duplicate span ids, and a good span before a bad one: nothing stored
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [
  {"traceId": "00000000000000000000000000000001", "spanId": "0000000000000001", "startTimeUnixNano": "1"},
  {"traceId": "00000000000000000000000000000001", "spanId": "0000000000000001", "startTimeUnixNano": "2"}]}]}]}'::jsonb);
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"scopeSpans": [{"spans": [
  {"traceId": "00000000000000000000000000000001", "spanId": "0000000000000001", "startTimeUnixNano": "1795478113822023400"},
  {"traceId": "00000000000000000000000000000001", "spanId": "0000000000000002"}]}]}]}'::jsonb);
SELECT count(*) AS after FROM errtrack.spans;
