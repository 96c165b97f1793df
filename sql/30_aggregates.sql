SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;

-- A plain table of events: the aggregates work over any query.
CREATE TABLE agg_events AS
SELECT ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid AS trace_id,
       g::bigint AS span_id,
       '2024-03-01 00:00:00+00'::timestamptz + (g % 1440) * interval '1 minute' AS at,
       'host-' || (g % 7) AS host,
       CASE WHEN g % 10 = 0 THEN 'c-rare-' || g ELSE 'c-' || (g % 3) END AS container_id,
       CASE WHEN g % 4 = 0 THEN 'v2' ELSE 'v1' END AS version,
       CASE WHEN g % 2 = 0 THEN 'prod' END AS env,
       'GET /items/{id}' AS resource,
       'ValueError' AS error_type,
       'bad value ' || g AS error_message,
       CASE WHEN g % 5 = 0
            THEN E'Traceback (most recent call last):\n  File "/app/handlers.py", line 12, in handle\n    parse(x)\n  File "/app/parse.py", line 3, in parse\n    raise ValueError(x)\nValueError: bad value'
            WHEN g % 5 = 1
            THEN E'Traceback (most recent call last):\n  File "/usr/lib/python3.11/json/decoder.py", line 337, in decode\n    obj, end = self.raw_decode(s, idx=_w(s, 0).end())\nValueError: bad value'
       END AS error_stack
  FROM generate_series(1, 20000) g;
ANALYZE agg_events;

-- top values: exact while a dimension has at most 16 distinct values
SELECT errtrack.top_values(host) FROM agg_events;
SELECT jsonb_pretty(errtrack.tag_distribution(host, container_id, version, env, resource)) FROM agg_events WHERE span_id <= 100;
-- NULLs are skipped; no rows gives NULL
SELECT errtrack.top_values(env) FROM agg_events WHERE span_id <= 10;
SELECT errtrack.top_values(host) FROM agg_events WHERE false;
-- Space-Saving keeps heavy hitters among many distinct values (2000 rare containers)
SELECT e->>'value' AS value, (e->>'count')::bigint AS count
  FROM jsonb_array_elements((SELECT errtrack.top_values(container_id) FROM agg_events)) e
 LIMIT 3;
-- against an exact count: each reported count over-estimates by at most "error"
SELECT bool_and((e->>'count')::bigint - coalesce((e->>'error')::bigint, 0) <= x.n AND x.n <= (e->>'count')::bigint) AS within_bounds
  FROM jsonb_array_elements((SELECT errtrack.top_values(container_id) FROM agg_events)) e
  JOIN (SELECT container_id, count(*) AS n FROM agg_events GROUP BY 1) x ON x.container_id = e->>'value';
-- long values are clipped at a character boundary (96 bytes)
SELECT length(e->>'value') AS chars, octet_length(e->>'value') AS bytes
  FROM jsonb_array_elements((SELECT errtrack.top_values(repeat('é', 80)))) e;

-- latest sample: complete in-app stack beats a library-only stack beats none, then newest
SELECT s->>'span_id' AS span_id, s->>'score' AS score, s->>'time' AS time, s->>'message' AS message
  FROM (SELECT errtrack.latest_sample(trace_id, span_id, at, error_type, error_message, error_stack) AS s
          FROM agg_events) x;
SELECT s->>'span_id' AS span_id, s->>'score' AS score
  FROM (SELECT errtrack.latest_sample(trace_id, span_id, at, error_type, error_message, error_stack) AS s
          FROM agg_events WHERE span_id % 5 IN (1, 2)) x;
SELECT s->>'span_id' AS span_id, s->>'score' AS score, s->'stack' AS stack
  FROM (SELECT errtrack.latest_sample(trace_id, span_id, at, error_type, error_message, NULL) AS s
          FROM agg_events WHERE span_id < 50) x;
SELECT errtrack.latest_sample(trace_id, span_id, at, error_type, error_message, error_stack) FROM agg_events WHERE false;
-- a stack over 64 kB is kept clipped and flagged
SELECT s->'stack_truncated' AS truncated, octet_length(s->>'stack') AS bytes
  FROM (SELECT errtrack.latest_sample(NULL, 1, '2024-01-01', 'E', 'm', repeat('x', 70000)) AS s) x;

-- histogram and sparkline
SELECT errtrack.histogram(at, '2024-03-01 00:00+00', '2024-03-02 00:00+00', 24) FROM agg_events;
SELECT errtrack.histogram(at, '2024-03-01 00:00+00', '2024-03-01 06:00+00', 6, span_id % 2) FROM agg_events;
SELECT errtrack.sparkline(ARRAY[0, 1, 2, 3, 5, 8, 13, 100]::bigint[]);
SELECT errtrack.sparkline(ARRAY[0, 0, 0]::bigint[]), errtrack.sparkline('{}'::bigint[]), errtrack.sparkline(ARRAY[NULL, 4]::bigint[]);
SELECT errtrack.sparkline(errtrack.histogram(at, '2024-03-01 00:00+00', '2024-03-01 12:00+00', 12))
  FROM agg_events WHERE span_id % 97 < (span_id / 1000);
SELECT errtrack.histogram(at, '2024-03-02', '2024-03-01', 10) FROM agg_events;
SELECT errtrack.histogram(at, '2024-03-01', '2024-03-02', 0) FROM agg_events;
SELECT errtrack.histogram(at, '2024-03-01', '2024-03-01'::timestamptz + span_id * interval '1 day', 3) FROM agg_events;

-- Parallel plans: the same results with partial aggregation in workers
CREATE TABLE agg_serial AS
SELECT version,
       errtrack.tag_distribution(host, container_id, version, env, resource) AS tags,
       errtrack.latest_sample(trace_id, span_id, at, error_type, error_message, error_stack) AS sample,
       errtrack.histogram(at, '2024-03-01 00:00+00', '2024-03-02 00:00+00', 24) AS hist,
       errtrack.top_values(container_id) AS containers
  FROM agg_events GROUP BY version;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT version,
       errtrack.tag_distribution(host, container_id, version, env, resource),
       errtrack.latest_sample(trace_id, span_id, at, error_type, error_message, error_stack),
       errtrack.histogram(at, '2024-03-01 00:00+00', '2024-03-02 00:00+00', 24)
  FROM agg_events GROUP BY version;
CREATE TABLE agg_parallel AS
SELECT version,
       errtrack.tag_distribution(host, container_id, version, env, resource) AS tags,
       errtrack.latest_sample(trace_id, span_id, at, error_type, error_message, error_stack) AS sample,
       errtrack.histogram(at, '2024-03-01 00:00+00', '2024-03-02 00:00+00', 24) AS hist,
       errtrack.top_values(container_id) AS containers
  FROM agg_events GROUP BY version;
-- host/version/env/resource have few values: exact either way; the sample and histogram are exact
SELECT s.version,
       s.tags->'host' = p.tags->'host' AS host_same,
       s.tags->'env' = p.tags->'env' AS env_same,
       s.sample = p.sample AS sample_same,
       s.hist = p.hist AS hist_same,
       (SELECT array_agg(e->>'value' ORDER BY e->>'value') FROM jsonb_array_elements(s.containers) e WHERE (e->>'count')::int > 100)
         = (SELECT array_agg(e->>'value' ORDER BY e->>'value') FROM jsonb_array_elements(p.containers) e WHERE (e->>'count')::int > 100) AS heavy_hitters_same
  FROM agg_serial s JOIN agg_parallel p USING (version) ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT errtrack.top_values(host) FROM agg_events;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;

