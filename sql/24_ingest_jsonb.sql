SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;

-- The jsonb overloads walk the jsonb value directly (no jsonb -> text -> parse).
-- They must produce exactly the rows the text decoders produce from the same
-- JSON: compare both decoders on payloads that exercise every value kind.
CREATE FUNCTION pg_temp.same_dd(p text) RETURNS text LANGUAGE sql AS $$
    SELECT format('jsonb %s rows, text %s rows, differing %s',
                  (SELECT count(*) FROM errtrack._decode_datadog_jsonb(p::jsonb)),
                  (SELECT count(*) FROM errtrack._decode_datadog_json(p)),
                  (SELECT count(*) FROM (
                      (SELECT trace_id, span_id, parent_id, service, name, resource, span_type, span_kind, start_time, start_ns,
                              duration_ns, is_error, error_type, error_message, error_stack, error_fingerprint, env, version, host,
                              container_id, resource_attributes::jsonb, meta::jsonb, metrics::jsonb, top_level, source
                         FROM errtrack._decode_datadog_jsonb(p::jsonb)
                       EXCEPT ALL
                       SELECT trace_id, span_id, parent_id, service, name, resource, span_type, span_kind, start_time, start_ns,
                              duration_ns, is_error, error_type, error_message, error_stack, error_fingerprint, env, version, host,
                              container_id, resource_attributes::jsonb, meta::jsonb, metrics::jsonb, top_level, source
                         FROM errtrack._decode_datadog_json(p))
                      UNION ALL
                      (SELECT trace_id, span_id, parent_id, service, name, resource, span_type, span_kind, start_time, start_ns,
                              duration_ns, is_error, error_type, error_message, error_stack, error_fingerprint, env, version, host,
                              container_id, resource_attributes::jsonb, meta::jsonb, metrics::jsonb, top_level, source
                         FROM errtrack._decode_datadog_json(p)
                       EXCEPT ALL
                       SELECT trace_id, span_id, parent_id, service, name, resource, span_type, span_kind, start_time, start_ns,
                              duration_ns, is_error, error_type, error_message, error_stack, error_fingerprint, env, version, host,
                              container_id, resource_attributes::jsonb, meta::jsonb, metrics::jsonb, top_level, source
                         FROM errtrack._decode_datadog_jsonb(p::jsonb))) d))
$$;
CREATE FUNCTION pg_temp.same_otlp(p text) RETURNS text LANGUAGE sql AS $$
    SELECT format('jsonb %s rows, text %s rows, differing %s',
                  (SELECT count(*) FROM errtrack._decode_otlp_jsonb(p::jsonb)),
                  (SELECT count(*) FROM errtrack._decode_otlp_json(p)),
                  (SELECT count(*) FROM (
                      (SELECT trace_id, span_id, parent_id, service, name, resource, span_type, span_kind, start_time, start_ns,
                              duration_ns, is_error, error_type, error_message, error_stack, error_fingerprint, env, version, host,
                              container_id, resource_attributes::jsonb, meta::jsonb, metrics::jsonb, top_level, source
                         FROM errtrack._decode_otlp_jsonb(p::jsonb)
                       EXCEPT ALL
                       SELECT trace_id, span_id, parent_id, service, name, resource, span_type, span_kind, start_time, start_ns,
                              duration_ns, is_error, error_type, error_message, error_stack, error_fingerprint, env, version, host,
                              container_id, resource_attributes::jsonb, meta::jsonb, metrics::jsonb, top_level, source
                         FROM errtrack._decode_otlp_json(p))
                      UNION ALL
                      (SELECT trace_id, span_id, parent_id, service, name, resource, span_type, span_kind, start_time, start_ns,
                              duration_ns, is_error, error_type, error_message, error_stack, error_fingerprint, env, version, host,
                              container_id, resource_attributes::jsonb, meta::jsonb, metrics::jsonb, top_level, source
                         FROM errtrack._decode_otlp_json(p)
                       EXCEPT ALL
                       SELECT trace_id, span_id, parent_id, service, name, resource, span_type, span_kind, start_time, start_ns,
                              duration_ns, is_error, error_type, error_message, error_stack, error_fingerprint, env, version, host,
                              container_id, resource_attributes::jsonb, meta::jsonb, metrics::jsonb, top_level, source
                         FROM errtrack._decode_otlp_jsonb(p::jsonb))) d))
$$;

-- Datadog: uint64 ids above 2^63 as numbers, strings and {"dec","hex"}; start in
-- exponent form (exact, never through a double); escapes and non-ASCII text;
-- scalar meta values; nested nulls; metrics as integers and fractions; _dd.p.tid.
SELECT pg_temp.same_dd($j$[[
  {"service": "web", "name": "web.request", "resource": "GET /a\"b\\c\u00e9\ud83d\ude00", "type": "web",
   "trace_id": 18446744073709551615, "span_id": 11529215046068469761, "parent_id": 0,
   "start": 1.7954781138220234e+18, "duration": 5276611, "error": 1,
   "meta": {"_dd.p.tid": "6756c1a500000000", "error.type": "E", "error.message": "tab\there", "error.stack": "line1\nline2",
            "env": "prod", "version": "1.0", "num": 42, "flag": true, "gone": null, "span.kind": "server"},
   "metrics": {"_top_level": 1, "ratio": 0.25, "big": 12345678901234567890, "neg": -3e-2}},
  {"service": "db", "trace_id": "18446744073709551615", "span_id": {"dec": "7", "hex": "7"}, "parent_id": {"hex": "a000000000000001"},
   "start": "1795478133469019393", "error": false, "meta": null, "metrics": null, "extra": [1, {"x": [null]}]}
]]$j$);
-- {"traces": [...]} wrapper, empty traces
SELECT pg_temp.same_dd('{"endpoint": "PUT /v0.4/traces", "traces": [[], [{"service": "w", "trace_id": 9, "span_id": 9, "start": 1795478133469019392}]], "z": {}}');

-- OTLP: every AnyValue kind (string, bool, int as string and number, double,
-- NaN as string, bytes, arrays, nested kvlists), resource attributes, scope,
-- exception events (the last wins), status, flags, enum names and numbers.
SELECT pg_temp.same_otlp($j${"resourceSpans": [
 {"resource": {"attributes": [
    {"key": "service.name", "value": {"stringValue": "checkout"}},
    {"key": "deployment.environment.name", "value": {"stringValue": "staging"}},
    {"key": "host.name", "value": {"stringValue": "vm-1"}},
    {"key": "k8s.pod.uid", "value": {"stringValue": "ab\u00e9"}},
    {"key": "cpu.count", "value": {"intValue": 8}}]},
  "scopeSpans": [{"scope": {"name": "my.lib", "version": "1.2"}, "spans": [
   {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "parentSpanId": "eee19b7ec3c1b173",
    "name": "GET /x", "kind": "SPAN_KIND_SERVER", "startTimeUnixNano": "1795478133469019392",
    "endTimeUnixNano": 1795478133479019392, "flags": 768,
    "attributes": [
      {"key": "http.request.method", "value": {"stringValue": "GET"}},
      {"key": "http.route", "value": {"stringValue": "/x/:id"}},
      {"key": "retry", "value": {"boolValue": true}},
      {"key": "count", "value": {"intValue": "-9223372036854775808"}},
      {"key": "ratio", "value": {"doubleValue": 0.5}},
      {"key": "weird", "value": {"doubleValue": "NaN"}},
      {"key": "blob", "value": {"bytesValue": "AAEC"}},
      {"key": "list", "value": {"arrayValue": {"values": [{"stringValue": "a"}, {"intValue": 2}, {}]}}},
      {"key": "map", "value": {"kvlistValue": {"values": [{"key": "k", "value": {"kvlistValue": {"values": [{"key": "d", "value": {"doubleValue": 1.5}}]}}}]}}},
      {"key": "nothing", "value": null}],
    "events": [
      {"name": "exception", "attributes": [{"key": "exception.type", "value": {"stringValue": "First"}}]},
      {"name": "log", "attributes": []},
      {"name": "exception", "timeUnixNano": "1795478133469019400", "attributes": [
        {"key": "exception.type", "value": {"stringValue": "java.lang.IllegalStateException"}},
        {"key": "exception.message", "value": {"stringValue": "Order 4711 not found"}},
        {"key": "exception.stacktrace", "value": {"stringValue": "java.lang.IllegalStateException: Order 4711 not found\n\tat com.shop.Orders.find(Orders.java:42)\n"}}]}],
    "status": {"code": "STATUS_CODE_ERROR", "message": "boom"}},
   {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b175", "parentSpanId": "",
    "name": "child", "kind": 3, "startTimeUnixNano": 1795478133469019500,
    "attributes": [{"key": "service.name", "value": {"stringValue": "own"}},
                   {"key": "operation.name", "value": {"stringValue": "op"}},
                   {"key": "error.message", "value": {"stringValue": "attr msg"}}],
    "status": {"code": 2}}]}]},
 {"scopeSpans": [{"spans": [
   {"traceId": "00000000000000000000000000000001", "spanId": "0000000000000001", "startTimeUnixNano": "1"}]}]}
]}$j$);

-- ingest_*(jsonb) stores what ingest_*(text) stores
SELECT errtrack.ingest_otlp('{"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "a"}}]}, "scopeSpans": [{"spans": [{"traceId": "00000000000000000000000000000002", "spanId": "0000000000000002", "startTimeUnixNano": 1795478133469019392, "status": {"code": 2}, "events": [{"name": "exception", "attributes": [{"key": "exception.type", "value": {"stringValue": "E"}}]}]}]}]}]}'::jsonb) AS stored_otlp_jsonb;
SELECT errtrack.ingest_datadog('[[{"service": "b", "trace_id": 3, "span_id": 3, "start": 1795478133469019392, "error": 1, "meta": {"error.type": "E"}}]]'::jsonb) AS stored_dd_jsonb;
SELECT service, span_id, start_ns, is_error, error_type, source FROM errtrack.spans ORDER BY service;

-- a bare scalar or a wrong shape is rejected (a jsonb has no byte offsets: the message names the path)
SELECT errtrack.ingest_otlp('42'::jsonb);
SELECT errtrack.ingest_otlp('42'::text);
SELECT errtrack.ingest_datadog('"x"'::jsonb);
SELECT errtrack.ingest_datadog('[[{"service": "x", "trace_id": 1, "span_id": 1, "start": 1795478133469019392, "meta": {"a": [1]}}]]'::jsonb);
SELECT errtrack.ingest_datadog('[[{"service": "x", "trace_id": 1, "span_id": 1, "start": 1e400}]]'::jsonb);
-- stored jsonb (the argument is already a jsonb datum, e.g. a received column)
CREATE TEMP TABLE inbox (body jsonb);
INSERT INTO inbox VALUES ('[[{"service": "c", "trace_id": 4, "span_id": 4, "start": 1795478133469019392}]]');
SELECT errtrack.ingest_datadog(body) AS from_column FROM inbox;
SELECT count(*) FROM errtrack.spans;
