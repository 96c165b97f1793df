-- errtrack.spans: layout, constraints, direct loading (COPY, INSERT ... SELECT
-- from a user's own span table), time partitions and retention.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;
\set VERBOSITY terse

SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default
FROM pg_attribute AS a LEFT JOIN pg_attrdef AS d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE a.attrelid = 'errtrack.spans'::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;
SELECT pg_get_partkeydef('errtrack.spans'::regclass) AS partition_key;
SELECT indexrelid::regclass AS index, pg_get_indexdef(indexrelid) FROM pg_index
WHERE indrelid = 'errtrack.spans'::regclass ORDER BY 1;

-- COPY straight into the table (the columns a loader must provide)
COPY errtrack.spans (trace_id, span_id, parent_id, service, name, resource, start_time, start_ns, duration_ns,
                     is_error, error_type, error_message, error_stack, env, version, meta, source) FROM stdin (FORMAT csv);
6756c1a5-0000-0000-4bf9-2f3577b34da6,-6917529027641081855,,checkout-api,web.request,GET /checkout,2026-11-23 23:55:33.469019+00,1795478133469019392,5276611,t,CardDeclinedError,card declined,"CardDeclinedError: card declined
    at charge (/srv/pay.js:39:29)",prod,1.0,"{""team"": ""payments""}",copy
\.
SELECT trace_id, span_id, parent_id, service, start_ns, is_error, meta, source, ingest_xid IS NOT NULL AS has_xid
FROM errtrack.spans;
-- constraints: ids of zero, empty service
INSERT INTO errtrack.spans (trace_id, span_id, service, start_time) VALUES (gen_random_uuid(), 0, 'a', now());
INSERT INTO errtrack.spans (trace_id, span_id, parent_id, service, start_time) VALUES (gen_random_uuid(), 1, 0, 'a', now());
INSERT INTO errtrack.spans (trace_id, span_id, service, start_time) VALUES ('00000000-0000-0000-0000-000000000000', 1, 'a', now());
INSERT INTO errtrack.spans (trace_id, span_id, service, start_time) VALUES (gen_random_uuid(), 1, '', now());

-- INSERT ... SELECT from a user's own span table (the mapping in docs/spans.md):
-- hex ids, 64-bit ids above 2^63, a 0 parent, a separate error table
CREATE TABLE my_spans (
    trace_id_hex text, span_id numeric(20), parent_id numeric(20), svc text, op text, res text,
    started_at_ns bigint, took_ms double precision, failed boolean, exc_class text, exc_msg text, exc_trace text,
    attrs jsonb);
INSERT INTO my_spans VALUES
  ('4bf92f3577b34da6a3ce929d0e0e4736', 18446744073709551615, 0, 'shop', 'GET /cart', 'GET /cart',
   1795478133469019392, 12.5, true, 'KeyError', 'no such cart', 'Traceback (most recent call last):\n  File "/app/cart.py", line 3, in get\nKeyError: no such cart',
   '{"env": "prod", "version": "3.1", "host": "web-1"}'),
  ('4bf92f3577b34da6a3ce929d0e0e4736', 7, 18446744073709551615, 'shop', 'db.query', 'SELECT 1',
   1795478133469029392, 1, false, NULL, NULL, NULL, '{"env": "prod"}');
INSERT INTO errtrack.spans (trace_id, span_id, parent_id, service, name, resource, start_time, start_ns, duration_ns,
                            is_error, error_type, error_message, error_stack, env, version, host, meta, source)
SELECT s.trace_id_hex::uuid,
       (CASE WHEN s.span_id >= 9223372036854775808 THEN s.span_id - 18446744073709551616 ELSE s.span_id END)::bigint,
       NULLIF((CASE WHEN s.parent_id >= 9223372036854775808 THEN s.parent_id - 18446744073709551616 ELSE s.parent_id END)::bigint, 0),
       s.svc, s.op, s.res,
       to_timestamp(0) + (s.started_at_ns / 1000) * interval '1 microsecond',
       s.started_at_ns, (s.took_ms * 1e6)::bigint,
       s.failed, s.exc_class, s.exc_msg, s.exc_trace,
       s.attrs->>'env', s.attrs->>'version', s.attrs->>'host', s.attrs, 'my_spans'
FROM my_spans AS s;
SELECT trace_id, span_id, parent_id, service, start_time AT TIME ZONE 'UTC' AS start_utc, start_ns, duration_ns, env, host
FROM errtrack.spans WHERE source = 'my_spans' ORDER BY start_ns;
SELECT service, error_type, fingerprint_kind FROM errtrack.error_events WHERE service = 'shop';

-- time partitions: rows already in the default partition move to the new one
SELECT p::text FROM errtrack.create_span_partitions('2026-11-23 05:00+00', '2026-11-25 00:00+00') AS p;
SELECT tableoid::regclass AS partition, count(*) FROM errtrack.spans GROUP BY 1 ORDER BY 1;
-- existing partitions are skipped; sub-day steps are hourly-aligned
SELECT p::text FROM errtrack.create_span_partitions('2026-11-23', '2026-11-24 00:00+00') AS p;
SELECT p::text FROM errtrack.create_span_partitions('2026-11-25 00:00+00', '2026-11-25 12:00+00', '6 hours') AS p;
SELECT errtrack.create_span_partitions('2026-11-25', '2026-11-26', '10 minutes');
-- ingestion after partitioning lands in the partition
SELECT errtrack.ingest_datadog('[[{"service": "late", "trace_id": 77, "span_id": 1, "start": 1795564800000000000}]]'::jsonb) AS stored;
SELECT tableoid::regclass AS partition, service FROM errtrack.spans WHERE service = 'late';
-- retention
SELECT errtrack.drop_span_partitions('2026-11-24 00:00+00') AS dropped;
SELECT tableoid::regclass AS partition, count(*) FROM errtrack.spans GROUP BY 1 ORDER BY 1;
