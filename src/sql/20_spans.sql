-- ---------------------------------------------------------------------------
-- Spans: storage, ingestion, service entry spans, error events   (issue #4)
--
-- CONTRACT (other fragments build on these names; columns may be added,
-- never renamed or retyped):
--   errtrack.spans         one row per span, PARTITION BY RANGE (start_time),
--                          default partition errtrack.spans_default.
--       trace_id uuid      128-bit trace id: high 64 bits then low 64, big-endian
--       span_id bigint     uint64 stored as two's complement; never 0
--       parent_id bigint   NULL when the span has no parent (a wire 0 is NULL)
--       service text NOT NULL, name, resource, span_type, span_kind,
--       start_time timestamptz (µs, truncated), start_ns bigint (exact ns since
--       the Unix epoch), duration_ns, is_error, error_type, error_message,
--       error_stack, error_fingerprint, env, version, host, container_id,
--       resource_attributes / meta / metrics jsonb, top_level boolean (tracer
--       marker, NULL when unknown), source, ingest_xid xid8 (the inserting
--       transaction: the incremental-refresh watermark), ingested_at.
--   Indexes: UNIQUE (trace_id, span_id, start_time) (serves (trace_id, span_id)
--       look-ups and makes re-sent payloads idempotent), (ingest_xid).
--   errtrack.entry_spans   view: service entry spans (rule in docs/spans.md)
--   errtrack.error_events  view: entry spans with an error, fingerprinted; it is
--       a flat view over errtrack.spans, so WHERE ingest_xid ... pushes down to
--       the (ingest_xid) index.
--   errtrack.ingest_datadog(bytea [, text]), errtrack.ingest_datadog(jsonb),
--   errtrack.ingest_otlp(jsonb) (the jsonb is walked directly, never printed
--   back to text), and (text) overloads of the JSON ones that decode the text
--   without building a jsonb -> bigint: spans stored (atomic, idempotent).
--   errtrack.create_span_partitions(timestamptz, timestamptz, interval),
--   errtrack.drop_span_partitions(timestamptz).
-- ---------------------------------------------------------------------------

CREATE TABLE errtrack.spans (
    trace_id            uuid        NOT NULL,
    span_id             bigint      NOT NULL,
    parent_id           bigint,
    service             text        NOT NULL,
    name                text,
    resource            text,
    span_type           text,
    span_kind           text,
    start_time          timestamptz NOT NULL,
    start_ns            bigint,
    duration_ns         bigint,
    is_error            boolean     NOT NULL DEFAULT false,
    error_type          text,
    error_message       text,
    error_stack         text,
    error_fingerprint   text,
    env                 text,
    version             text,
    host                text,
    container_id        text,
    resource_attributes jsonb,
    meta                jsonb,
    metrics             jsonb,
    top_level           boolean,
    source              text,
    ingest_xid          xid8        NOT NULL DEFAULT pg_catalog.pg_current_xact_id(),
    ingested_at         timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT spans_trace_id_nonzero CHECK (trace_id OPERATOR(pg_catalog.<>) '00000000-0000-0000-0000-000000000000'::uuid),
    CONSTRAINT spans_span_id_nonzero CHECK (span_id OPERATOR(pg_catalog.<>) 0),
    CONSTRAINT spans_parent_id_nonzero CHECK (parent_id OPERATOR(pg_catalog.<>) 0),
    CONSTRAINT spans_service_nonempty CHECK (service OPERATOR(pg_catalog.<>) '')
) PARTITION BY RANGE (start_time);

COMMENT ON TABLE errtrack.spans IS
'spans from tracers (Datadog agent API, OTLP) or loaded directly (COPY / INSERT ... SELECT, see docs/spans.md); partitioned by start_time (errtrack.create_span_partitions), rows outside every partition land in errtrack.spans_default';
COMMENT ON COLUMN errtrack.spans.trace_id IS '128-bit trace id: high 64 bits (Datadog _dd.p.tid, 0 for 64-bit traces) then low 64 bits, big-endian';
COMMENT ON COLUMN errtrack.spans.span_id IS 'span id: the uint64 as two''s complement bigint; never 0';
COMMENT ON COLUMN errtrack.spans.parent_id IS 'parent span id (two''s complement); NULL for a root span (the wire value 0)';
COMMENT ON COLUMN errtrack.spans.service IS 'the span''s own service (Datadog span.service, never meta.service; OTLP span attribute service.name, else resource service.name)';
COMMENT ON COLUMN errtrack.spans.name IS 'operation name (Datadog name, e.g. web.request; OTLP span name, or its operation.name attribute)';
COMMENT ON COLUMN errtrack.spans.resource IS 'resource (endpoint, query); the name when the source has none';
COMMENT ON COLUMN errtrack.spans.span_type IS 'Datadog span type (web, http, db, worker, ...)';
COMMENT ON COLUMN errtrack.spans.span_kind IS 'server, client, producer, consumer or internal (Datadog meta span.kind, OTLP kind)';
COMMENT ON COLUMN errtrack.spans.start_time IS 'start, truncated to microseconds (the partition key)';
COMMENT ON COLUMN errtrack.spans.start_ns IS 'exact start in nanoseconds since the Unix epoch';
COMMENT ON COLUMN errtrack.spans.duration_ns IS 'duration in nanoseconds';
COMMENT ON COLUMN errtrack.spans.is_error IS 'the span is marked as failed (Datadog error = 1, OTLP status code ERROR)';
COMMENT ON COLUMN errtrack.spans.error_type IS 'exception type: meta error.type, else error.kind; OTLP exception event exception.type, else attribute error.type';
COMMENT ON COLUMN errtrack.spans.error_message IS 'error message: meta error.message, else error.msg; OTLP exception.message, else attribute error.message, else status message';
COMMENT ON COLUMN errtrack.spans.error_stack IS 'stack trace: meta error.stack; OTLP exception.stacktrace, else attribute error.stack';
COMMENT ON COLUMN errtrack.spans.error_fingerprint IS 'user-supplied grouping key (tag / attribute error.fingerprint)';
COMMENT ON COLUMN errtrack.spans.env IS 'environment (meta env; OTLP deployment.environment.name or deployment.environment)';
COMMENT ON COLUMN errtrack.spans.version IS 'service version (meta version; OTLP service.version)';
COMMENT ON COLUMN errtrack.spans.host IS 'host name (meta _dd.hostname; OTLP host.name)';
COMMENT ON COLUMN errtrack.spans.container_id IS 'container id (meta container_id or _dd.tags.container; OTLP container.id)';
COMMENT ON COLUMN errtrack.spans.resource_attributes IS 'OTLP resource attributes as a JSON object (k8s.*, cloud.*, ...); NULL for Datadog spans';
COMMENT ON COLUMN errtrack.spans.meta IS 'string tags as a JSON object (Datadog meta; OTLP non-numeric span attributes)';
COMMENT ON COLUMN errtrack.spans.metrics IS 'numeric tags as a JSON object (Datadog metrics; OTLP int and double span attributes)';
COMMENT ON COLUMN errtrack.spans.top_level IS 'tracer marker: true when the source said this is a service entry span (Datadog _top_level / _dd.top_level = 1, OTLP flags "parent is remote"); NULL when unknown';
COMMENT ON COLUMN errtrack.spans.source IS 'where the row came from: datadog-v0.4, datadog-v0.5, datadog-json, otlp-json, or anything a direct loader writes';
COMMENT ON COLUMN errtrack.spans.ingest_xid IS 'inserting transaction; incremental consumers read rows with ingest_xid >= their watermark and below pg_snapshot_xmin(pg_current_snapshot())';
COMMENT ON COLUMN errtrack.spans.ingested_at IS 'time of the inserting transaction';

CREATE TABLE errtrack.spans_default PARTITION OF errtrack.spans DEFAULT;

COMMENT ON TABLE errtrack.spans_default IS
'default partition of errtrack.spans: spans whose start_time has no time partition (create some with errtrack.create_span_partitions)';

SELECT pg_catalog.pg_extension_config_dump('errtrack.spans_default', '');

CREATE UNIQUE INDEX spans_trace_span_key ON errtrack.spans (trace_id, span_id, start_time);
CREATE INDEX spans_ingest_xid_idx ON errtrack.spans (ingest_xid);

COMMENT ON INDEX errtrack.spans_trace_span_key IS
'a span is stored once (re-sent payloads are skipped by ON CONFLICT DO NOTHING); serves parent look-ups by (trace_id, span_id)';
COMMENT ON INDEX errtrack.spans_ingest_xid_idx IS
'incremental refresh: rows by inserting transaction';

-- Time partitions ---------------------------------------------------------

CREATE FUNCTION errtrack.create_span_partitions(
    from_time timestamptz,
    to_time timestamptz,
    step interval DEFAULT '1 day')
RETURNS SETOF regclass
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    lo timestamptz;
    hi timestamptz;
    part_name text;
    part regclass;
    n_moved bigint;
BEGIN
    IF step <= interval '0' THEN
        RAISE EXCEPTION 'step must be a positive interval, got %', step
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF step < interval '1 hour' THEN
        RAISE EXCEPTION 'step must be at least 1 hour, got %', step
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- partitions are aligned on UTC midnights (or hours for sub-day steps)
    lo := CASE WHEN step >= interval '1 day'
               THEN date_trunc('day', from_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
               ELSE date_trunc('hour', from_time AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' END;
    -- one table lock for the whole run: concurrent ingestion waits instead of
    -- racing with the move out of the default partition
    LOCK TABLE errtrack.spans IN SHARE ROW EXCLUSIVE MODE;
    WHILE lo < to_time LOOP
        hi := (lo AT TIME ZONE 'UTC' + step) AT TIME ZONE 'UTC';
        part_name := 'spans_p' || to_char(lo AT TIME ZONE 'UTC',
                                          CASE WHEN step >= interval '1 day' THEN 'YYYYMMDD' ELSE 'YYYYMMDD"_"HH24' END);
        IF to_regclass(format('errtrack.%I', part_name)) IS NULL THEN
            -- build the partition standalone, move the rows the default
            -- partition holds for its range into it, then attach it
            EXECUTE format('CREATE TABLE errtrack.%I (LIKE errtrack.spans INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name);
            EXECUTE format('WITH moved AS (DELETE FROM errtrack.spans_default WHERE start_time >= %L AND start_time < %L RETURNING *) '
                           'INSERT INTO errtrack.%I SELECT * FROM moved', lo, hi, part_name);
            GET DIAGNOSTICS n_moved = ROW_COUNT;
            EXECUTE format('ALTER TABLE errtrack.spans ATTACH PARTITION errtrack.%I FOR VALUES FROM (%L) TO (%L)',
                           part_name, lo, hi);
            part := format('errtrack.%I', part_name)::regclass;
            EXECUTE format('COMMENT ON TABLE errtrack.%I IS %L', part_name,
                           format('errtrack.spans partition for [%s, %s)', lo, hi));
            RETURN NEXT part;
        END IF;
        lo := hi;
    END LOOP;
END
$$;

COMMENT ON FUNCTION errtrack.create_span_partitions(timestamptz, timestamptz, interval) IS
'creates the missing time partitions errtrack.spans_pYYYYMMDD (UTC-aligned, step >= 1 hour) covering [from_time, to_time), moving rows of their range out of the default partition; returns the partitions created';

CREATE FUNCTION errtrack.drop_span_partitions(older_than timestamptz)
RETURNS SETOF text
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.oid::regclass AS part, c.relname,
               (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz AS upper_bound
        FROM pg_inherits AS i
        JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'errtrack.spans'::regclass
          AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
        ORDER BY 3
    LOOP
        IF r.upper_bound IS NOT NULL AND r.upper_bound <= older_than THEN
            EXECUTE format('DROP TABLE %s', r.part);
            RETURN NEXT r.relname::text;
        END IF;
    END LOOP;
    DELETE FROM errtrack.spans_default WHERE start_time < older_than;
END
$$;

COMMENT ON FUNCTION errtrack.drop_span_partitions(timestamptz) IS
'retention: drops the time partitions of errtrack.spans that end at or before older_than (returns their names) and deletes older rows from the default partition';

-- Decoders (C, materialized set-returning functions) ------------------------

CREATE FUNCTION errtrack._decode_datadog_msgpack(
    payload bytea,
    api_version text,
    OUT trace_id uuid, OUT span_id bigint, OUT parent_id bigint, OUT service text,
    OUT name text, OUT resource text, OUT span_type text, OUT span_kind text,
    OUT start_time timestamptz, OUT start_ns bigint, OUT duration_ns bigint,
    OUT is_error boolean, OUT error_type text, OUT error_message text,
    OUT error_stack text, OUT error_fingerprint text, OUT env text, OUT version text,
    OUT host text, OUT container_id text, OUT resource_attributes text,
    OUT meta text, OUT metrics text, OUT top_level boolean, OUT source text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'errtrack_decode_datadog_msgpack'
LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION errtrack._decode_datadog_msgpack(bytea, text) IS
'decodes a Datadog agent /v0.4/traces or /v0.5/traces msgpack body (api_version ''v0.4'', ''v0.5'' or NULL to detect) into span rows (meta, metrics as JSON text); all or nothing; used by errtrack.ingest_datadog';

CREATE FUNCTION errtrack._decode_datadog_json(
    payload text,
    OUT trace_id uuid, OUT span_id bigint, OUT parent_id bigint, OUT service text,
    OUT name text, OUT resource text, OUT span_type text, OUT span_kind text,
    OUT start_time timestamptz, OUT start_ns bigint, OUT duration_ns bigint,
    OUT is_error boolean, OUT error_type text, OUT error_message text,
    OUT error_stack text, OUT error_fingerprint text, OUT env text, OUT version text,
    OUT host text, OUT container_id text, OUT resource_attributes text,
    OUT meta text, OUT metrics text, OUT top_level boolean, OUT source text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'errtrack_decode_datadog_json'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION errtrack._decode_datadog_json(text) IS
'decodes Datadog traces as JSON (an array of traces, each an array of span objects) into span rows; all or nothing; used by errtrack.ingest_datadog(text)';

CREATE FUNCTION errtrack._decode_otlp_json(
    payload text,
    OUT trace_id uuid, OUT span_id bigint, OUT parent_id bigint, OUT service text,
    OUT name text, OUT resource text, OUT span_type text, OUT span_kind text,
    OUT start_time timestamptz, OUT start_ns bigint, OUT duration_ns bigint,
    OUT is_error boolean, OUT error_type text, OUT error_message text,
    OUT error_stack text, OUT error_fingerprint text, OUT env text, OUT version text,
    OUT host text, OUT container_id text, OUT resource_attributes text,
    OUT meta text, OUT metrics text, OUT top_level boolean, OUT source text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'errtrack_decode_otlp_json'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION errtrack._decode_otlp_json(text) IS
'decodes an OTLP/JSON ExportTraceServiceRequest into span rows; all or nothing; used by errtrack.ingest_otlp(text)';

CREATE FUNCTION errtrack._decode_datadog_jsonb(
    payload jsonb,
    OUT trace_id uuid, OUT span_id bigint, OUT parent_id bigint, OUT service text,
    OUT name text, OUT resource text, OUT span_type text, OUT span_kind text,
    OUT start_time timestamptz, OUT start_ns bigint, OUT duration_ns bigint,
    OUT is_error boolean, OUT error_type text, OUT error_message text,
    OUT error_stack text, OUT error_fingerprint text, OUT env text, OUT version text,
    OUT host text, OUT container_id text, OUT resource_attributes text,
    OUT meta text, OUT metrics text, OUT top_level boolean, OUT source text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'errtrack_decode_datadog_jsonb'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION errtrack._decode_datadog_jsonb(jsonb) IS
'as errtrack._decode_datadog_json(text) for a jsonb value, walked directly (never printed back to text); used by errtrack.ingest_datadog(jsonb)';

CREATE FUNCTION errtrack._decode_otlp_jsonb(
    payload jsonb,
    OUT trace_id uuid, OUT span_id bigint, OUT parent_id bigint, OUT service text,
    OUT name text, OUT resource text, OUT span_type text, OUT span_kind text,
    OUT start_time timestamptz, OUT start_ns bigint, OUT duration_ns bigint,
    OUT is_error boolean, OUT error_type text, OUT error_message text,
    OUT error_stack text, OUT error_fingerprint text, OUT env text, OUT version text,
    OUT host text, OUT container_id text, OUT resource_attributes text,
    OUT meta text, OUT metrics text, OUT top_level boolean, OUT source text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'errtrack_decode_otlp_jsonb'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION errtrack._decode_otlp_jsonb(jsonb) IS
'as errtrack._decode_otlp_json(text) for a jsonb value, walked directly (never printed back to text); used by errtrack.ingest_otlp(jsonb)';

-- Ingestion ---------------------------------------------------------------
-- One INSERT ... SELECT per payload: a bad payload raises before any row is
-- written (SQLSTATE 22000, the message says where and what was expected);
-- spans already stored (same trace, span and start) are skipped, so a
-- re-sent payload is harmless.  The result is the number of spans stored.

CREATE FUNCTION errtrack.ingest_datadog(payload bytea, api_version text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    IF payload IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO errtrack.spans (
        trace_id, span_id, parent_id, service, name, resource, span_type, span_kind,
        start_time, start_ns, duration_ns, is_error, error_type, error_message, error_stack,
        error_fingerprint, env, version, host, container_id, resource_attributes, meta,
        metrics, top_level, source)
    SELECT d.trace_id, d.span_id, d.parent_id, d.service, d.name, d.resource, d.span_type, d.span_kind,
           d.start_time, d.start_ns, d.duration_ns, d.is_error, d.error_type, d.error_message, d.error_stack,
           d.error_fingerprint, d.env, d.version, d.host, d.container_id, d.resource_attributes::jsonb, d.meta::jsonb,
           d.metrics::jsonb, d.top_level, d.source
    FROM errtrack._decode_datadog_msgpack(payload, api_version) AS d
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

COMMENT ON FUNCTION errtrack.ingest_datadog(bytea, text) IS
'stores the spans of a Datadog agent /v0.4/traces or /v0.5/traces msgpack body (exact request body; api_version ''v0.4'', ''v0.5'' or NULL to detect); atomic; returns the number of spans stored';

CREATE FUNCTION errtrack.ingest_datadog(payload jsonb)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    IF payload IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO errtrack.spans (
        trace_id, span_id, parent_id, service, name, resource, span_type, span_kind,
        start_time, start_ns, duration_ns, is_error, error_type, error_message, error_stack,
        error_fingerprint, env, version, host, container_id, resource_attributes, meta,
        metrics, top_level, source)
    SELECT d.trace_id, d.span_id, d.parent_id, d.service, d.name, d.resource, d.span_type, d.span_kind,
           d.start_time, d.start_ns, d.duration_ns, d.is_error, d.error_type, d.error_message, d.error_stack,
           d.error_fingerprint, d.env, d.version, d.host, d.container_id, d.resource_attributes::jsonb, d.meta::jsonb,
           d.metrics::jsonb, d.top_level, d.source
    FROM errtrack._decode_datadog_jsonb(payload) AS d
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

COMMENT ON FUNCTION errtrack.ingest_datadog(jsonb) IS
'stores Datadog spans given as JSON: an array of traces, each an array of span objects with the v0.4 field names (ids as numbers, decimal strings or {"dec","hex"}), or an object with such a "traces" member; atomic; returns the number of spans stored';

CREATE FUNCTION errtrack.ingest_otlp(payload jsonb)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    IF payload IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO errtrack.spans (
        trace_id, span_id, parent_id, service, name, resource, span_type, span_kind,
        start_time, start_ns, duration_ns, is_error, error_type, error_message, error_stack,
        error_fingerprint, env, version, host, container_id, resource_attributes, meta,
        metrics, top_level, source)
    SELECT d.trace_id, d.span_id, d.parent_id, d.service, d.name, d.resource, d.span_type, d.span_kind,
           d.start_time, d.start_ns, d.duration_ns, d.is_error, d.error_type, d.error_message, d.error_stack,
           d.error_fingerprint, d.env, d.version, d.host, d.container_id, d.resource_attributes::jsonb, d.meta::jsonb,
           d.metrics::jsonb, d.top_level, d.source
    FROM errtrack._decode_otlp_jsonb(payload) AS d
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

COMMENT ON FUNCTION errtrack.ingest_otlp(jsonb) IS
'stores the spans of an OTLP/JSON ExportTraceServiceRequest (POST /v1/traces body); exception events, status, resource attributes mapped as in docs/spans.md; atomic; returns the number of spans stored';

CREATE FUNCTION errtrack.ingest_datadog(payload text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    IF payload IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO errtrack.spans (
        trace_id, span_id, parent_id, service, name, resource, span_type, span_kind,
        start_time, start_ns, duration_ns, is_error, error_type, error_message, error_stack,
        error_fingerprint, env, version, host, container_id, resource_attributes, meta,
        metrics, top_level, source)
    SELECT d.trace_id, d.span_id, d.parent_id, d.service, d.name, d.resource, d.span_type, d.span_kind,
           d.start_time, d.start_ns, d.duration_ns, d.is_error, d.error_type, d.error_message, d.error_stack,
           d.error_fingerprint, d.env, d.version, d.host, d.container_id, d.resource_attributes::jsonb, d.meta::jsonb,
           d.metrics::jsonb, d.top_level, d.source
    FROM errtrack._decode_datadog_json(payload) AS d
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

COMMENT ON FUNCTION errtrack.ingest_datadog(text) IS
'as errtrack.ingest_datadog(jsonb) for JSON text (e.g. a request body as received): decoded directly without building a jsonb (cheaper than a ::jsonb cast of the body); atomic; returns the number of spans stored';

CREATE FUNCTION errtrack.ingest_otlp(payload text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    IF payload IS NULL THEN
        RETURN 0;
    END IF;
    INSERT INTO errtrack.spans (
        trace_id, span_id, parent_id, service, name, resource, span_type, span_kind,
        start_time, start_ns, duration_ns, is_error, error_type, error_message, error_stack,
        error_fingerprint, env, version, host, container_id, resource_attributes, meta,
        metrics, top_level, source)
    SELECT d.trace_id, d.span_id, d.parent_id, d.service, d.name, d.resource, d.span_type, d.span_kind,
           d.start_time, d.start_ns, d.duration_ns, d.is_error, d.error_type, d.error_message, d.error_stack,
           d.error_fingerprint, d.env, d.version, d.host, d.container_id, d.resource_attributes::jsonb, d.meta::jsonb,
           d.metrics::jsonb, d.top_level, d.source
    FROM errtrack._decode_otlp_json(payload) AS d
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

COMMENT ON FUNCTION errtrack.ingest_otlp(text) IS
'as errtrack.ingest_otlp(jsonb) for JSON text (e.g. a POST /v1/traces body as received): decoded directly without building a jsonb (cheaper than a ::jsonb cast of the body); atomic; returns the number of spans stored';

-- Service entry spans and error events -------------------------------------

CREATE VIEW errtrack.entry_spans AS
SELECT s.*
FROM errtrack.spans AS s
WHERE s.parent_id IS NULL
   OR s.top_level IS TRUE
   OR NOT EXISTS (
        SELECT 1
        FROM errtrack.spans AS p
        WHERE p.trace_id OPERATOR(pg_catalog.=) s.trace_id
          AND p.span_id OPERATOR(pg_catalog.=) s.parent_id
          AND p.service OPERATOR(pg_catalog.=) s.service);

COMMENT ON VIEW errtrack.entry_spans IS
'service entry spans: no parent, or no stored parent of the same service in the trace (parent absent or in another service), or marked by the tracer (top_level); evaluated at query time, so a child stops being an entry span once a same-service parent arrives (docs/spans.md)';

CREATE VIEW errtrack.error_events AS
SELECT e.trace_id,
       e.span_id,
       e.parent_id,
       e.service,
       e.env,
       e.version,
       e.host,
       e.container_id,
       e.resource,
       e.name,
       e.start_time,
       e.duration_ns,
       e.error_type,
       e.error_message,
       e.error_stack,
       CASE WHEN pg_catalog.btrim(e.error_fingerprint) OPERATOR(pg_catalog.<>) ''
            THEN errtrack.fingerprint_custom(e.error_fingerprint)
            ELSE errtrack.fingerprint(e.error_type, e.error_message, e.error_stack)
       END AS fingerprint,
       CASE WHEN pg_catalog.btrim(e.error_fingerprint) OPERATOR(pg_catalog.<>) ''
            THEN 'custom' ELSE 'computed'
       END AS fingerprint_kind,
       e.ingest_xid,
       e.start_ns,
       e.span_kind,
       e.error_fingerprint,
       e.source,
       e.ingested_at
FROM errtrack.spans AS e
WHERE e.is_error
  AND (e.error_type OPERATOR(pg_catalog.<>) ''
       OR e.error_message OPERATOR(pg_catalog.<>) ''
       OR e.error_stack OPERATOR(pg_catalog.<>) '')
  AND (e.parent_id IS NULL
       OR e.top_level IS TRUE
       OR NOT EXISTS (
            SELECT 1
            FROM errtrack.spans AS p
            WHERE p.trace_id OPERATOR(pg_catalog.=) e.trace_id
              AND p.span_id OPERATOR(pg_catalog.=) e.parent_id
              AND p.service OPERATOR(pg_catalog.=) e.service));

COMMENT ON VIEW errtrack.error_events IS
'error occurrences: service entry spans (as errtrack.entry_spans) with is_error and an error type, message or stack; fingerprint = errtrack.fingerprint_custom(error.fingerprint) when set (kind custom), else errtrack.fingerprint(type, message, stack) (kind computed); issues are keyed by (service, fingerprint); filter on ingest_xid for incremental reads';
