-- errtrack 0.1.0, released: frozen copy of the install script (tools/release.sh); never edit.
-- generated from src/sql/*.sql by the Makefile; do not edit

-- ---- src/sql/00_header.sql ----
-- errtrack install script (fragments under src/sql/ are concatenated in order).
--
-- Conventions: every object lives in schema errtrack and is created
-- schema-qualified; built-in functions and operators are qualified with
-- pg_catalog inside views and function bodies; SQL-language functions pin
-- search_path; no CREATE OR REPLACE, no IF NOT EXISTS.

\echo Use "CREATE EXTENSION errtrack" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;

-- The script creates the schema itself, so the extension owns it and
-- DROP EXTENSION removes it (the control file names pg_catalog).
CREATE SCHEMA errtrack;
COMMENT ON SCHEMA errtrack IS 'errtrack: error tracking inside PostgreSQL';
GRANT USAGE ON SCHEMA errtrack TO PUBLIC;

-- ---- src/sql/10_fingerprint.sql ----
-- ---------------------------------------------------------------------------
-- Fingerprints and normalisation (pure functions of their arguments)
-- ---------------------------------------------------------------------------

CREATE FUNCTION errtrack.fingerprint(error_type text, error_message text, error_stack text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'errtrack_fingerprint'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.fingerprint(text, text, text) IS
'128-bit fingerprint (XXH3-128 over a length-prefixed, versioned canonical input) of an error''s type, message and stack trace; NULL arguments count as empty; never NULL';

CREATE FUNCTION errtrack.fingerprint_explain(error_type text, error_message text, error_stack text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_explain'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.fingerprint_explain(text, text, text) IS
'the grouping input behind errtrack.fingerprint: language, type, wrapper, frames, boundary frame, codes, and whether and why the message template was used';

CREATE FUNCTION errtrack.fingerprint_custom(custom_fingerprint text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_custom'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.fingerprint_custom(text) IS
'the fingerprint of a user-supplied error.fingerprint tag (whitespace collapsed), in the same uuid space as errtrack.fingerprint but never equal to a computed one';

CREATE FUNCTION errtrack.fingerprint_version()
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_version'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.fingerprint_version() IS
'version of the fingerprint algorithm compiled into this library (a change of fingerprints is a new version)';

CREATE FUNCTION errtrack.normalize_message(message text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_normalize_message'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.normalize_message(text) IS
'message template: first line, variable parts (numbers, ids, UUIDs, hex, IPs, emails, URLs, paths, dates, durations, quoted values) replaced by placeholders; identifiers kept';

CREATE FUNCTION errtrack.normalize_stack(stack text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_normalize_stack'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.normalize_stack(text) IS
'canonical frames of the primary exception (root cause), innermost first, one "language:module::function" per line, plumbing and generated frames removed';

CREATE FUNCTION errtrack.parse_stack(
    stack text,
    OUT exception_index integer,
    OUT depth integer,
    OUT role text,
    OUT exception_type text,
    OUT exception_message text,
    OUT frame_index integer,
    OUT function text,
    OUT module text,
    OUT file text,
    OUT line bigint,
    OUT col bigint,
    OUT in_app boolean,
    OUT category text,
    OUT language text,
    OUT frame_key text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'errtrack_parse_stack'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 30;

COMMENT ON FUNCTION errtrack.parse_stack(text) IS
'parsed structure of a stack trace: one row per frame (innermost first) of each exception in the chain (outermost first), with role, type, message, function, module, file, line, column, in-app flag, category and language';

CREATE FUNCTION errtrack._raise_core_error(kind text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'errtrack_raise_core_error'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._raise_core_error(text) IS
'testing aid: throws a C++ exception of the given kind (invalid_input, invalid_data, too_large, bad_alloc, std_exception, unknown) inside the core to show how it reaches SQL';

REVOKE ALL ON FUNCTION errtrack._raise_core_error(text) FROM PUBLIC;

-- ---- src/sql/20_spans.sql ----
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

-- ---- src/sql/30_aggregates.sql ----
-- ---------------------------------------------------------------------------
-- Aggregates over error events (C++ logic, plain palloc'd states, parallel safe)
-- ---------------------------------------------------------------------------

-- Top values (Space-Saving, 16 counters per dimension, 10 returned) ----------

CREATE FUNCTION errtrack._topv_trans(internal, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_topv_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._topv_trans(internal, text) IS
'transition function of errtrack.top_values';

CREATE FUNCTION errtrack._topv_trans(internal, text, text, text, text, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_topv_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._topv_trans(internal, text, text, text, text, text) IS
'transition function of errtrack.tag_distribution';

CREATE FUNCTION errtrack._topv_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_topv_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._topv_combine(internal, internal) IS
'combine function of errtrack.top_values and errtrack.tag_distribution (mergeable Space-Saving)';

CREATE FUNCTION errtrack._topv_serial(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'errtrack_topv_serial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._topv_serial(internal) IS
'serialization function of errtrack.top_values and errtrack.tag_distribution';

CREATE FUNCTION errtrack._topv_deserial(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_topv_deserial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._topv_deserial(bytea, internal) IS
'deserialization function of errtrack.top_values and errtrack.tag_distribution (validates the state)';

CREATE FUNCTION errtrack._topv_final(internal)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'errtrack_topv_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._topv_final(internal) IS
'final function of errtrack.top_values and errtrack.tag_distribution';

CREATE AGGREGATE errtrack.top_values(value text) (
    SFUNC = errtrack._topv_trans,
    STYPE = internal,
    FINALFUNC = errtrack._topv_final,
    COMBINEFUNC = errtrack._topv_combine,
    SERIALFUNC = errtrack._topv_serial,
    DESERIALFUNC = errtrack._topv_deserial,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE errtrack.top_values(text) IS
'the most frequent non-NULL values with their counts, as a jsonb array [{"value","count"[,"error"]}] of at most 10, in bounded memory (Space-Saving with 16 counters; counts are exact while a group has at most 16 distinct values, else over-estimates by at most "error"; values clipped to 96 bytes)';

CREATE AGGREGATE errtrack.tag_distribution(host text, container_id text, version text, env text, resource text) (
    SFUNC = errtrack._topv_trans,
    STYPE = internal,
    FINALFUNC = errtrack._topv_final,
    COMBINEFUNC = errtrack._topv_combine,
    SERIALFUNC = errtrack._topv_serial,
    DESERIALFUNC = errtrack._topv_deserial,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE errtrack.tag_distribution(text, text, text, text, text) IS
'distribution of impacted spans: {"host":[...], "container_id":[...], "version":[...], "env":[...], "resource":[...]}, each the top values with counts as in errtrack.top_values';

-- Latest most relevant sample -------------------------------------------------

CREATE FUNCTION errtrack._sample_trans(internal, uuid, bigint, timestamptz, text, text, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_sample_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._sample_trans(internal, uuid, bigint, timestamptz, text, text, text) IS
'transition function of errtrack.latest_sample';

CREATE FUNCTION errtrack._sample_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_sample_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._sample_combine(internal, internal) IS
'combine function of errtrack.latest_sample';

CREATE FUNCTION errtrack._sample_serial(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'errtrack_sample_serial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._sample_serial(internal) IS
'serialization function of errtrack.latest_sample';

CREATE FUNCTION errtrack._sample_deserial(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_sample_deserial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._sample_deserial(bytea, internal) IS
'deserialization function of errtrack.latest_sample (validates the state)';

CREATE FUNCTION errtrack._sample_final(internal)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'errtrack_sample_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._sample_final(internal) IS
'final function of errtrack.latest_sample';

CREATE AGGREGATE errtrack.latest_sample(
    trace_id uuid, span_id bigint, at timestamptz,
    error_type text, error_message text, error_stack text) (
    SFUNC = errtrack._sample_trans,
    STYPE = internal,
    FINALFUNC = errtrack._sample_final,
    COMBINEFUNC = errtrack._sample_combine,
    SERIALFUNC = errtrack._sample_serial,
    DESERIALFUNC = errtrack._sample_deserial,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE errtrack.latest_sample(uuid, bigint, timestamptz, text, text, text) IS
'the most relevant event of a group in constant memory: a complete stack with in-app frames (score 2) beats any other stack (1) beats none (0), then the newest, then the largest span id; jsonb {trace_id, span_id, time (UTC), score, error_type, message, stack[, stack_truncated]}; the stack is kept up to 64 kB, the message 4 kB';

-- Time histogram and sparkline -------------------------------------------------

CREATE FUNCTION errtrack._hist_trans(internal, timestamptz, timestamptz, timestamptz, integer)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_hist_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._hist_trans(internal, timestamptz, timestamptz, timestamptz, integer) IS
'transition function of errtrack.histogram';

CREATE FUNCTION errtrack._hist_trans(internal, timestamptz, timestamptz, timestamptz, integer, bigint)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_hist_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._hist_trans(internal, timestamptz, timestamptz, timestamptz, integer, bigint) IS
'transition function of the weighted errtrack.histogram';

CREATE FUNCTION errtrack._hist_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_hist_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._hist_combine(internal, internal) IS
'combine function of errtrack.histogram';

CREATE FUNCTION errtrack._hist_serial(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'errtrack_hist_serial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._hist_serial(internal) IS
'serialization function of errtrack.histogram';

CREATE FUNCTION errtrack._hist_deserial(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'errtrack_hist_deserial'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._hist_deserial(bytea, internal) IS
'deserialization function of errtrack.histogram (validates the state)';

CREATE FUNCTION errtrack._hist_final(internal)
RETURNS bigint[]
AS 'MODULE_PATHNAME', 'errtrack_hist_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._hist_final(internal) IS
'final function of errtrack.histogram';

CREATE AGGREGATE errtrack.histogram(at timestamptz, lo timestamptz, hi timestamptz, buckets integer) (
    SFUNC = errtrack._hist_trans,
    STYPE = internal,
    FINALFUNC = errtrack._hist_final,
    COMBINEFUNC = errtrack._hist_combine,
    SERIALFUNC = errtrack._hist_serial,
    DESERIALFUNC = errtrack._hist_deserial,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE errtrack.histogram(timestamptz, timestamptz, timestamptz, integer) IS
'counts of rows per time bucket: [lo, hi) split into `buckets` equal buckets (1..10000), rows outside ignored; bigint[] of length buckets';

CREATE AGGREGATE errtrack.histogram(at timestamptz, lo timestamptz, hi timestamptz, buckets integer, weight bigint) (
    SFUNC = errtrack._hist_trans,
    STYPE = internal,
    FINALFUNC = errtrack._hist_final,
    COMBINEFUNC = errtrack._hist_combine,
    SERIALFUNC = errtrack._hist_serial,
    DESERIALFUNC = errtrack._hist_deserial,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE errtrack.histogram(timestamptz, timestamptz, timestamptz, integer, bigint) IS
'like errtrack.histogram(at, lo, hi, buckets) but adds `weight` per row (e.g. pre-aggregated bucket counts)';

CREATE FUNCTION errtrack.sparkline(counts bigint[])
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_sparkline'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.sparkline(bigint[]) IS
'one block character per value (▁ for zero, ▂..█ scaled to the maximum, non-zero values always visible), for reading timelines in psql; NULL elements count as zero';

-- ---- src/sql/40_issues.sql ----
-- ---------------------------------------------------------------------------
-- Issues: incremental refresh from errtrack.spans, lifecycle, alerts, views.
-- See docs/issues.md for the semantics (watermark, settle window, regressions).
-- ---------------------------------------------------------------------------

CREATE TABLE errtrack.settings (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    settle_window interval NOT NULL DEFAULT '2 minutes' CHECK (settle_window >= '0'::interval),
    auto_resolve_after interval DEFAULT '14 days' CHECK (auto_resolve_after > '0'::interval),
    bucket_width interval NOT NULL DEFAULT '1 hour' CHECK (bucket_width > '0'::interval),
    notify boolean NOT NULL DEFAULT true
);

COMMENT ON TABLE errtrack.settings IS
'one row of settings for errtrack.refresh(): settle_window (how long a span waits for a late parent before it is counted), auto_resolve_after (quiet period, NULL disables), bucket_width (timeline buckets; set before the first refresh), notify (NOTIFY errtrack_alerts)';

INSERT INTO errtrack.settings DEFAULT VALUES;

CREATE TABLE errtrack.refresh_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    watermark xid8 NOT NULL DEFAULT '0'::xid8,
    runs bigint NOT NULL DEFAULT 0,
    last_run_at timestamptz,
    events_total bigint NOT NULL DEFAULT 0
);

COMMENT ON TABLE errtrack.refresh_state IS
'progress of errtrack.refresh(): every span with ingest_xid < watermark has been processed exactly once; the row is also the lock that serializes refreshes';

INSERT INTO errtrack.refresh_state DEFAULT VALUES;

CREATE TABLE errtrack.refresh_marks (
    snapshot_xmin xid8 NOT NULL,
    taken_at timestamptz NOT NULL
);

COMMENT ON TABLE errtrack.refresh_marks IS
'(xmin, time) pairs recorded by errtrack.refresh(): every transaction below snapshot_xmin had ended by taken_at; a refresh processes up to the newest mark older than the settle window';

CREATE INDEX refresh_marks_taken_at_idx ON errtrack.refresh_marks (taken_at);

CREATE TABLE errtrack.issues (
    issue_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service text NOT NULL,
    fingerprint uuid NOT NULL,
    fingerprint_kind text NOT NULL CHECK (fingerprint_kind IN ('computed', 'custom')),
    error_type text,
    message text,
    status text NOT NULL DEFAULT 'for_review'
        CHECK (status IN ('for_review', 'reviewed', 'ignored', 'resolved', 'excluded')),
    is_regression boolean NOT NULL DEFAULT false,
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    event_count bigint NOT NULL CHECK (event_count >= 0),
    first_version text,
    last_version text,
    sample_trace_id uuid,
    sample_span_id bigint,
    sample_time timestamptz,
    sample_score integer NOT NULL DEFAULT 0,
    sample_message text,
    sample_stack text,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    status_changed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    resolved_at timestamptz,
    regressions integer NOT NULL DEFAULT 0,
    last_refresh_run bigint NOT NULL DEFAULT 0,
    regressed_in_run bigint,
    UNIQUE (service, fingerprint)
);

COMMENT ON TABLE errtrack.issues IS
'one row per issue (service, fingerprint), maintained incrementally by errtrack.refresh(): representative type and message (of the first event), status, first/last seen, event count, first/last version, and the most relevant sample (complete in-app stack first, then newest)';

CREATE INDEX issues_open_last_seen_idx ON errtrack.issues (last_seen)
    WHERE status IN ('for_review', 'reviewed');

CREATE TABLE errtrack.issue_buckets (
    issue_id bigint NOT NULL REFERENCES errtrack.issues ON DELETE CASCADE,
    bucket timestamptz NOT NULL,
    events bigint NOT NULL,
    PRIMARY KEY (issue_id, bucket)
);

COMMENT ON TABLE errtrack.issue_buckets IS
'events per issue per time bucket (settings.bucket_width, aligned on 2000-01-01 UTC), for timelines';

CREATE INDEX issue_buckets_bucket_idx ON errtrack.issue_buckets (bucket) INCLUDE (issue_id, events);

COMMENT ON INDEX errtrack.issue_buckets_bucket_idx IS
'"top issues of the last N hours": an index-only range scan over the buckets of the window instead of a scan of every bucket';

CREATE TABLE errtrack.issue_versions (
    issue_id bigint NOT NULL REFERENCES errtrack.issues ON DELETE CASCADE,
    version text NOT NULL,
    events bigint NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    PRIMARY KEY (issue_id, version)
);

COMMENT ON TABLE errtrack.issue_versions IS
'the versions an issue was seen in, with counts: a resolved issue regresses only in a version newer than all of these';

CREATE TABLE errtrack.service_versions (
    service text NOT NULL,
    version text NOT NULL,
    first_seen timestamptz NOT NULL,
    PRIMARY KEY (service, version)
);

COMMENT ON TABLE errtrack.service_versions IS
'versions reported by each service (any span) and when each was first seen; a version is newer than another if it was first seen later (ties: text order)';

CREATE TABLE errtrack.issue_history (
    history_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issue_id bigint NOT NULL REFERENCES errtrack.issues ON DELETE CASCADE,
    old_status text,
    new_status text NOT NULL,
    reason text NOT NULL CHECK (reason IN ('new', 'manual', 'regression', 'auto_resolve', 'merge')),
    changed_by text NOT NULL,
    db_user name NOT NULL DEFAULT CURRENT_USER,
    changed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    note text
);

COMMENT ON TABLE errtrack.issue_history IS
'every status change of every issue: old and new status, why (new, manual, regression, auto_resolve, merge), who (changed_by as given, db_user as authenticated) and when';

CREATE INDEX issue_history_issue_idx ON errtrack.issue_history (issue_id, history_id);

CREATE TABLE errtrack.alerts (
    alert_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('new_issue', 'regression')),
    issue_id bigint NOT NULL REFERENCES errtrack.issues ON DELETE CASCADE,
    service text NOT NULL,
    error_type text,
    message text,
    version text,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);

COMMENT ON TABLE errtrack.alerts IS
'durable log of new issues and regressions (read it with alert_id > the last one you handled); each row is also announced by NOTIFY errtrack_alerts with a small JSON payload';

SELECT pg_catalog.pg_extension_config_dump('errtrack.settings', '');
SELECT pg_catalog.pg_extension_config_dump('errtrack.refresh_state', '');
SELECT pg_catalog.pg_extension_config_dump('errtrack.refresh_marks', '');
SELECT pg_catalog.pg_extension_config_dump('errtrack.issues', '');
SELECT pg_catalog.pg_extension_config_dump('errtrack.issue_buckets', '');
SELECT pg_catalog.pg_extension_config_dump('errtrack.issue_versions', '');
SELECT pg_catalog.pg_extension_config_dump('errtrack.service_versions', '');
SELECT pg_catalog.pg_extension_config_dump('errtrack.issue_history', '');
SELECT pg_catalog.pg_extension_config_dump('errtrack.alerts', '');

-- Auto-resolve (caller holds the refresh_state lock) ---------------------------

CREATE FUNCTION errtrack._auto_resolve(quiet_since timestamptz)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    WITH r AS (
        UPDATE errtrack.issues i
           SET status = 'resolved', resolved_at = now(), status_changed_at = now(), is_regression = false
         WHERE i.status IN ('for_review', 'reviewed')
           AND i.last_seen < quiet_since
           AND (i.last_version IS NULL
                OR EXISTS (SELECT 1
                             FROM errtrack.service_versions lv
                             JOIN errtrack.service_versions nv ON nv.service = lv.service
                            WHERE lv.service = i.service AND lv.version = i.last_version
                              AND (nv.first_seen, nv.version) > (lv.first_seen, lv.version)))
        RETURNING i.issue_id, (SELECT s.status FROM errtrack.issues s WHERE s.issue_id = i.issue_id) AS old_status
    )
    INSERT INTO errtrack.issue_history (issue_id, old_status, new_status, reason, changed_by, note)
    SELECT r.issue_id, r.old_status, 'resolved', 'auto_resolve', 'errtrack',
           'no event since ' || quiet_since::text
      FROM r;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

COMMENT ON FUNCTION errtrack._auto_resolve(timestamptz) IS
'internal: resolves open issues quiet since the given time (unversioned: no event; versioned: no event and a newer version of the service exists); the caller holds the refresh lock';

CREATE FUNCTION errtrack.auto_resolve(quiet_period interval DEFAULT NULL, as_of timestamptz DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    q interval;
BEGIN
    PERFORM 1 FROM errtrack.refresh_state FOR UPDATE;
    q := coalesce(quiet_period, (SELECT s.auto_resolve_after FROM errtrack.settings s));
    IF q IS NULL THEN
        RETURN 0;
    END IF;
    RETURN errtrack._auto_resolve(coalesce(as_of, now()) - q);
END;
$$;

COMMENT ON FUNCTION errtrack.auto_resolve(interval, timestamptz) IS
'resolves issues in for_review/reviewed with no event during quiet_period (default settings.auto_resolve_after) before as_of (default now()); an issue whose last version is still the newest of its service stays open; errtrack.refresh() runs this itself';

-- The refresh --------------------------------------------------------------------

CREATE FUNCTION errtrack.refresh(
    settle_window interval DEFAULT NULL,
    OUT events_processed bigint,
    OUT issues_created bigint,
    OUT issues_updated bigint,
    OUT regressions bigint,
    OUT auto_resolved bigint,
    OUT from_xid xid8,
    OUT to_xid xid8)
RETURNS record
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    st errtrack.refresh_state;
    cfg errtrack.settings;
    v_settle interval;
    v_xmin xid8;
    v_bound xid8;
    v_run bigint;
    v_alert_floor bigint;
    r record;
BEGIN
    events_processed := 0; issues_created := 0; issues_updated := 0;
    regressions := 0; auto_resolved := 0;

    -- One refresh at a time: a second caller waits here, then sees the new watermark.
    SELECT * INTO STRICT st FROM errtrack.refresh_state FOR UPDATE;
    SELECT * INTO STRICT cfg FROM errtrack.settings;
    v_settle := coalesce(settle_window, cfg.settle_window);
    from_xid := st.watermark;
    to_xid := st.watermark;
    v_run := st.runs + 1;

    -- Every transaction below this xmin has ended (committed or aborted).
    v_xmin := pg_snapshot_xmin(pg_current_snapshot());
    IF v_settle = '0'::interval THEN
        v_bound := v_xmin;
    ELSE
        INSERT INTO errtrack.refresh_marks (snapshot_xmin, taken_at) VALUES (v_xmin, clock_timestamp());
        SELECT max(m.snapshot_xmin) INTO v_bound
          FROM errtrack.refresh_marks m
         WHERE m.taken_at <= clock_timestamp() - v_settle;
        DELETE FROM errtrack.refresh_marks m
         WHERE m.taken_at <= clock_timestamp() - v_settle AND m.snapshot_xmin < v_bound;
    END IF;

    IF v_bound IS NOT NULL AND v_bound > st.watermark THEN
        to_xid := v_bound;
        SELECT coalesce(max(a.alert_id), 0) INTO v_alert_floor FROM errtrack.alerts a;

        IF to_regclass('pg_temp.errtrack_refresh_batch') IS NOT NULL THEN
            DROP TABLE pg_temp.errtrack_refresh_batch, pg_temp.errtrack_refresh_agg, pg_temp.errtrack_refresh_touched,
                       pg_temp.errtrack_refresh_iagg;
        END IF;
        CREATE TEMP TABLE errtrack_refresh_batch (
            trace_id uuid, span_id bigint, service text, env text, version text, host text,
            container_id text, resource text, start_time timestamptz, error_type text,
            error_message text, error_stack text, fingerprint uuid, fingerprint_kind text,
            ingested_at timestamptz
        ) ON COMMIT DROP;
        CREATE TEMP TABLE errtrack_refresh_agg (
            service text, fingerprint uuid, fingerprint_kind text, events bigint,
            first_seen timestamptz, last_seen timestamptz, first_version text, last_version text,
            sample jsonb, unversioned_arrival timestamptz, newer_version boolean NOT NULL DEFAULT false,
            issue_id bigint, versions text[],  -- the group's distinct non-null versions in the batch
            PRIMARY KEY (service, fingerprint)
        ) ON COMMIT DROP;
        -- the batch per issue: several fingerprints can lead to one issue (errtrack.issue_fingerprints)
        CREATE TEMP TABLE errtrack_refresh_iagg (
            issue_id bigint PRIMARY KEY, events bigint, first_seen timestamptz, last_seen timestamptz,
            first_version text, last_version text, sample jsonb, unversioned_arrival timestamptz,
            newer_version boolean
        ) ON COMMIT DROP;
        CREATE TEMP TABLE errtrack_refresh_touched (
            issue_id bigint PRIMARY KEY, service text, fingerprint uuid, created boolean, regressed boolean
        ) ON COMMIT DROP;

        -- New error events (errtrack.error_events: errors on service entry spans,
        -- fingerprinted), from the xid window only (index on spans.ingest_xid).
        INSERT INTO pg_temp.errtrack_refresh_batch
        SELECT e.trace_id, e.span_id, e.service, e.env, e.version, e.host, e.container_id, e.resource,
               e.start_time, e.error_type, e.error_message, e.error_stack, e.fingerprint,
               e.fingerprint_kind, e.ingested_at
          FROM errtrack.error_events e
         WHERE e.ingest_xid >= st.watermark AND e.ingest_xid < v_bound;
        GET DIAGNOSTICS events_processed = ROW_COUNT;
        -- Real row and group counts for the planner (a fresh temp table has no statistics: it
        -- would sort the whole batch for every GROUP BY below instead of hashing it).
        ANALYZE pg_temp.errtrack_refresh_batch (service, fingerprint, version, start_time);

        -- Versions of every service (any span), for "newer version" decisions.
        INSERT INTO errtrack.service_versions AS sv (service, version, first_seen)
        SELECT s.service, s.version, min(s.start_time)
          FROM errtrack.spans s
         WHERE s.ingest_xid >= st.watermark AND s.ingest_xid < v_bound AND s.version IS NOT NULL
         GROUP BY s.service, s.version
        ON CONFLICT (service, version) DO UPDATE SET first_seen = excluded.first_seen
         WHERE excluded.first_seen < sv.first_seen;

        IF events_processed > 0 THEN
            -- Each (service, fingerprint) leads to its issue through errtrack.issue_fingerprints
            -- (aliases: merges, later fingerprint versions); an issue without an alias row is
            -- found by its own (service, fingerprint).  One index probe per distinct fingerprint.
            INSERT INTO pg_temp.errtrack_refresh_agg
                (service, fingerprint, fingerprint_kind, events, first_seen, last_seen,
                 first_version, last_version, sample, unversioned_arrival, versions, issue_id)
            SELECT g.*,
                   coalesce((SELECT f.issue_id FROM errtrack.issue_fingerprints f
                              WHERE f.service = g.service AND f.fingerprint = g.fingerprint),
                            (SELECT x.issue_id FROM errtrack.issues x
                              WHERE x.service = g.service AND x.fingerprint = g.fingerprint))
              FROM (
            SELECT b.service, b.fingerprint, min(b.fingerprint_kind), count(*),
                   min(b.start_time), max(b.start_time),
                   (array_agg(b.version ORDER BY b.start_time, b.span_id) FILTER (WHERE b.version IS NOT NULL))[1],
                   (array_agg(b.version ORDER BY b.start_time DESC, b.span_id DESC) FILTER (WHERE b.version IS NOT NULL))[1],
                   errtrack.latest_sample(b.trace_id, b.span_id, b.start_time, b.error_type, b.error_message, b.error_stack),
                   max(b.ingested_at) FILTER (WHERE b.version IS NULL),
                   array_agg(DISTINCT b.version) FILTER (WHERE b.version IS NOT NULL)
              FROM pg_temp.errtrack_refresh_batch b
             GROUP BY b.service, b.fingerprint) g;

            -- A version is "newer" for an issue if it ranks above every version the issue was seen in.
            -- (The group's batch versions come from the aggregate above: no scan of the batch per group.)
            UPDATE pg_temp.errtrack_refresh_agg a SET newer_version = true
             WHERE EXISTS (
                SELECT 1
                  FROM unnest(a.versions) AS bv(version)
                  JOIN errtrack.service_versions sv ON sv.service = a.service AND sv.version = bv.version
                 WHERE NOT EXISTS (
                        SELECT 1
                          FROM errtrack.issues i
                          JOIN errtrack.issue_versions iv ON iv.issue_id = i.issue_id
                          JOIN errtrack.service_versions kv ON kv.service = i.service AND kv.version = iv.version
                         WHERE i.issue_id = a.issue_id
                           AND (kv.first_seen, kv.version) >= (sv.first_seen, sv.version)));

            -- New issues: type and message of the first event of the batch.
            WITH ins AS (
                INSERT INTO errtrack.issues AS i
                    (service, fingerprint, fingerprint_kind, error_type, message, first_seen, last_seen,
                     event_count, first_version, last_version, sample_trace_id, sample_span_id,
                     sample_time, sample_score, sample_message, sample_stack, last_refresh_run)
                SELECT a.service, a.fingerprint, a.fingerprint_kind, f.error_type, f.error_message,
                       a.first_seen, a.last_seen, a.events, a.first_version, a.last_version,
                       (a.sample->>'trace_id')::uuid, (a.sample->>'span_id')::bigint,
                       (a.sample->>'time')::timestamptz, (a.sample->>'score')::integer,
                       a.sample->>'message', a.sample->>'stack', v_run
                  FROM pg_temp.errtrack_refresh_agg a
                  CROSS JOIN LATERAL (
                        SELECT b.error_type, b.error_message FROM pg_temp.errtrack_refresh_batch b
                         WHERE b.service = a.service AND b.fingerprint = a.fingerprint
                         ORDER BY b.start_time, b.span_id LIMIT 1) f
                 WHERE a.issue_id IS NULL
                ON CONFLICT (service, fingerprint) DO NOTHING
                RETURNING i.issue_id, i.service, i.fingerprint
            )
            INSERT INTO pg_temp.errtrack_refresh_touched
            SELECT ins.issue_id, ins.service, ins.fingerprint, true, false FROM ins;
            GET DIAGNOSTICS issues_created = ROW_COUNT;

            UPDATE pg_temp.errtrack_refresh_agg a SET issue_id = t.issue_id
              FROM pg_temp.errtrack_refresh_touched t
             WHERE t.created AND a.issue_id IS NULL AND t.service = a.service AND t.fingerprint = a.fingerprint;

            -- Every fingerprint that reached an issue gets its alias row (new issues; issues
            -- created before aliases existed); the algorithm is the one that computed it.
            INSERT INTO errtrack.issue_fingerprints (service, fingerprint, algorithm, issue_id)
            SELECT a.service, a.fingerprint,
                   CASE WHEN a.fingerprint_kind = 'custom' THEN 'custom' ELSE errtrack.fingerprint_version() END,
                   a.issue_id
              FROM pg_temp.errtrack_refresh_agg a
             WHERE a.issue_id IS NOT NULL
            ON CONFLICT (service, fingerprint) DO NOTHING;

            INSERT INTO pg_temp.errtrack_refresh_iagg
            SELECT a.issue_id, sum(a.events), min(a.first_seen), max(a.last_seen),
                   (array_agg(a.first_version ORDER BY a.first_seen) FILTER (WHERE a.first_version IS NOT NULL))[1],
                   (array_agg(a.last_version ORDER BY a.last_seen DESC) FILTER (WHERE a.last_version IS NOT NULL))[1],
                   (array_agg(a.sample ORDER BY (a.sample->>'score')::integer DESC, (a.sample->>'time')::timestamptz DESC,
                                                coalesce((a.sample->>'span_id')::bigint, 0) DESC))[1],
                   max(a.unversioned_arrival), bool_or(a.newer_version)
              FROM pg_temp.errtrack_refresh_agg a
             WHERE a.issue_id IS NOT NULL
             GROUP BY a.issue_id;

            -- Existing issues (row-locked; a concurrent set_status is seen in its committed form).
            -- Events of excluded issues are dropped.
            WITH upd AS (
                UPDATE errtrack.issues i SET
                    event_count = i.event_count + a.events,
                    first_version = CASE WHEN a.first_seen < i.first_seen OR i.first_version IS NULL
                                         THEN coalesce(a.first_version, i.first_version) ELSE i.first_version END,
                    last_version = CASE WHEN a.last_seen >= i.last_seen OR i.last_version IS NULL
                                        THEN coalesce(a.last_version, i.last_version) ELSE i.last_version END,
                    first_seen = least(i.first_seen, a.first_seen),
                    last_seen = greatest(i.last_seen, a.last_seen),
                    sample_trace_id = CASE WHEN (i.sample_time IS NULL
                                       OR ((a.sample->>'score')::integer, (a.sample->>'time')::timestamptz,
                                           coalesce((a.sample->>'span_id')::bigint, 0))
                                          > (i.sample_score, i.sample_time, coalesce(i.sample_span_id, 0))) THEN (a.sample->>'trace_id')::uuid ELSE i.sample_trace_id END,
                    sample_span_id = CASE WHEN (i.sample_time IS NULL
                                       OR ((a.sample->>'score')::integer, (a.sample->>'time')::timestamptz,
                                           coalesce((a.sample->>'span_id')::bigint, 0))
                                          > (i.sample_score, i.sample_time, coalesce(i.sample_span_id, 0))) THEN (a.sample->>'span_id')::bigint ELSE i.sample_span_id END,
                    sample_time = CASE WHEN (i.sample_time IS NULL
                                       OR ((a.sample->>'score')::integer, (a.sample->>'time')::timestamptz,
                                           coalesce((a.sample->>'span_id')::bigint, 0))
                                          > (i.sample_score, i.sample_time, coalesce(i.sample_span_id, 0))) THEN (a.sample->>'time')::timestamptz ELSE i.sample_time END,
                    sample_score = CASE WHEN (i.sample_time IS NULL
                                       OR ((a.sample->>'score')::integer, (a.sample->>'time')::timestamptz,
                                           coalesce((a.sample->>'span_id')::bigint, 0))
                                          > (i.sample_score, i.sample_time, coalesce(i.sample_span_id, 0))) THEN (a.sample->>'score')::integer ELSE i.sample_score END,
                    sample_message = CASE WHEN (i.sample_time IS NULL
                                       OR ((a.sample->>'score')::integer, (a.sample->>'time')::timestamptz,
                                           coalesce((a.sample->>'span_id')::bigint, 0))
                                          > (i.sample_score, i.sample_time, coalesce(i.sample_span_id, 0))) THEN a.sample->>'message' ELSE i.sample_message END,
                    sample_stack = CASE WHEN (i.sample_time IS NULL
                                       OR ((a.sample->>'score')::integer, (a.sample->>'time')::timestamptz,
                                           coalesce((a.sample->>'span_id')::bigint, 0))
                                          > (i.sample_score, i.sample_time, coalesce(i.sample_span_id, 0))) THEN a.sample->>'stack' ELSE i.sample_stack END,
                    status = CASE WHEN coalesce(i.status = 'resolved' AND (a.newer_version OR a.unversioned_arrival > i.resolved_at), false) THEN 'for_review' ELSE i.status END,
                    is_regression = i.is_regression OR coalesce(i.status = 'resolved' AND (a.newer_version OR a.unversioned_arrival > i.resolved_at), false),
                    status_changed_at = CASE WHEN coalesce(i.status = 'resolved' AND (a.newer_version OR a.unversioned_arrival > i.resolved_at), false) THEN now() ELSE i.status_changed_at END,
                    resolved_at = CASE WHEN coalesce(i.status = 'resolved' AND (a.newer_version OR a.unversioned_arrival > i.resolved_at), false) THEN NULL ELSE i.resolved_at END,
                    regressions = i.regressions + CASE WHEN coalesce(i.status = 'resolved' AND (a.newer_version OR a.unversioned_arrival > i.resolved_at), false) THEN 1 ELSE 0 END,
                    regressed_in_run = CASE WHEN coalesce(i.status = 'resolved' AND (a.newer_version OR a.unversioned_arrival > i.resolved_at), false) THEN v_run ELSE i.regressed_in_run END,
                    last_refresh_run = v_run
                  FROM pg_temp.errtrack_refresh_iagg a
                 WHERE i.issue_id = a.issue_id
                   AND i.status <> 'excluded'
                   AND i.last_refresh_run < v_run
                RETURNING i.issue_id, i.service, i.fingerprint, i.regressed_in_run = v_run AS regress
            )
            INSERT INTO pg_temp.errtrack_refresh_touched
            SELECT upd.issue_id, upd.service, upd.fingerprint, false, upd.regress FROM upd;
            GET DIAGNOSTICS issues_updated = ROW_COUNT;

            SELECT count(*) INTO regressions FROM pg_temp.errtrack_refresh_touched t WHERE t.regressed;

            -- (Buckets and versions: the batch is first counted per fingerprint by hashing, then the
            -- few groups are joined to their issues: the events themselves are neither sorted nor joined.)
            INSERT INTO errtrack.issue_buckets AS ib (issue_id, bucket, events)
            SELECT t.issue_id, b.bucket, sum(b.events)::bigint
              FROM (SELECT b.service, b.fingerprint,
                           date_bin(cfg.bucket_width, b.start_time, '2000-01-01 00:00:00+00'::timestamptz) AS bucket,
                           count(*) AS events
                      FROM pg_temp.errtrack_refresh_batch b
                     GROUP BY 1, 2, 3) b
              JOIN pg_temp.errtrack_refresh_agg a ON a.service = b.service AND a.fingerprint = b.fingerprint
              JOIN pg_temp.errtrack_refresh_touched t ON t.issue_id = a.issue_id
             GROUP BY 1, 2
            ON CONFLICT (issue_id, bucket) DO UPDATE SET events = ib.events + excluded.events;

            INSERT INTO errtrack.issue_versions AS iv (issue_id, version, events, first_seen, last_seen)
            SELECT t.issue_id, b.version, sum(b.events)::bigint, min(b.first_seen), max(b.last_seen)
              FROM (SELECT b.service, b.fingerprint, b.version, count(*) AS events,
                           min(b.start_time) AS first_seen, max(b.start_time) AS last_seen
                      FROM pg_temp.errtrack_refresh_batch b
                     WHERE b.version IS NOT NULL
                     GROUP BY 1, 2, 3) b
              JOIN pg_temp.errtrack_refresh_agg a ON a.service = b.service AND a.fingerprint = b.fingerprint
              JOIN pg_temp.errtrack_refresh_touched t ON t.issue_id = a.issue_id
             GROUP BY 1, 2
            ON CONFLICT (issue_id, version) DO UPDATE
               SET events = iv.events + excluded.events,
                   first_seen = least(iv.first_seen, excluded.first_seen),
                   last_seen = greatest(iv.last_seen, excluded.last_seen);

            INSERT INTO errtrack.issue_history (issue_id, old_status, new_status, reason, changed_by, note)
            SELECT t.issue_id,
                   CASE WHEN t.created THEN NULL ELSE 'resolved' END,
                   'for_review',
                   CASE WHEN t.created THEN 'new' ELSE 'regression' END,
                   'errtrack',
                   CASE WHEN t.regressed THEN 'seen again in version ' || coalesce(a.last_version, '(none)') END
              FROM pg_temp.errtrack_refresh_touched t
              JOIN pg_temp.errtrack_refresh_iagg a ON a.issue_id = t.issue_id
             WHERE t.created OR t.regressed
             ORDER BY t.issue_id;

            INSERT INTO errtrack.alerts (kind, issue_id, service, error_type, message, version)
            SELECT CASE WHEN t.created THEN 'new_issue' ELSE 'regression' END,
                   i.issue_id, i.service, i.error_type, i.message, a.last_version
              FROM pg_temp.errtrack_refresh_touched t
              JOIN errtrack.issues i ON i.issue_id = t.issue_id
              JOIN pg_temp.errtrack_refresh_iagg a ON a.issue_id = t.issue_id
             WHERE t.created OR t.regressed
             ORDER BY t.issue_id;

            IF cfg.notify THEN
                FOR r IN SELECT al.alert_id, al.kind, al.issue_id, al.service, al.error_type, al.version
                           FROM errtrack.alerts al WHERE al.alert_id > v_alert_floor ORDER BY al.alert_id
                LOOP
                    PERFORM pg_notify('errtrack_alerts', json_build_object(
                        'alert_id', r.alert_id, 'kind', r.kind, 'issue_id', r.issue_id,
                        'service', left(r.service, 200), 'error_type', left(r.error_type, 200),
                        'version', left(r.version, 100))::text);
                END LOOP;
            END IF;
        END IF;

        UPDATE errtrack.refresh_state
           SET watermark = v_bound, runs = v_run, last_run_at = now(),
               events_total = events_total + events_processed;
    ELSE
        UPDATE errtrack.refresh_state SET last_run_at = now();
    END IF;

    IF cfg.auto_resolve_after IS NOT NULL THEN
        auto_resolved := errtrack._auto_resolve(now() - cfg.auto_resolve_after);
    END IF;
END;
$$;

COMMENT ON FUNCTION errtrack.refresh(interval) IS
'turns error events that arrived since the last run into issues: processes exactly the spans whose ingest_xid lies in [watermark, bound), where bound is the snapshot xmin recorded at least settle_window (default settings.settle_window) ago, so late commits are never lost and nothing is counted twice; serialized by a row lock; writes alerts and NOTIFY errtrack_alerts; runs auto-resolve; returns what it did';

-- Lifecycle -------------------------------------------------------------------------

CREATE FUNCTION errtrack.set_status(issue_id bigint, status text, note text DEFAULT NULL, changed_by text DEFAULT NULL)
RETURNS errtrack.issues
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old errtrack.issues;
    res errtrack.issues;
BEGIN
    IF status IS NULL OR status NOT IN ('for_review', 'reviewed', 'ignored', 'resolved', 'excluded') THEN
        RAISE EXCEPTION 'invalid issue status: %', coalesce(status, 'NULL')
              USING ERRCODE = 'invalid_parameter_value',
                    HINT = 'Use for_review, reviewed, ignored, resolved or excluded.';
    END IF;
    SELECT * INTO old FROM errtrack.issues i WHERE i.issue_id = set_status.issue_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'issue % does not exist', set_status.issue_id USING ERRCODE = 'no_data_found';
    END IF;
    IF old.status = set_status.status THEN
        RETURN old;
    END IF;
    UPDATE errtrack.issues i
       SET status = set_status.status,
           status_changed_at = now(),
           resolved_at = CASE WHEN set_status.status = 'resolved' THEN now() END,
           is_regression = CASE WHEN set_status.status = 'resolved' THEN false ELSE i.is_regression END
     WHERE i.issue_id = set_status.issue_id
    RETURNING * INTO res;
    INSERT INTO errtrack.issue_history (issue_id, old_status, new_status, reason, changed_by, note)
    VALUES (set_status.issue_id, old.status, set_status.status, 'manual',
            coalesce(set_status.changed_by, CURRENT_USER::text), set_status.note);
    RETURN res;
END;
$$;

COMMENT ON FUNCTION errtrack.set_status(bigint, text, text, text) IS
'changes an issue''s status (for_review, reviewed, ignored, resolved, excluded) and records who (changed_by, default the current user; db_user is always recorded), when and why in errtrack.issue_history; excluded issues stop counting new events; returns the updated issue';

-- Views for people and dashboards --------------------------------------------------

CREATE MATERIALIZED VIEW errtrack.issue_summary AS
SELECT i.issue_id, i.service, i.fingerprint, i.error_type, i.message, i.status, i.is_regression,
       i.first_seen, i.last_seen, i.event_count, i.first_version, i.last_version,
       (SELECT count(*) FROM errtrack.issue_versions v WHERE v.issue_id = i.issue_id) AS versions_seen,
       s.last_24h,
       errtrack.sparkline(s.last_24h) AS sparkline
  FROM errtrack.issues i
  CROSS JOIN LATERAL (
        SELECT errtrack.histogram(b.bucket,
                                  pg_catalog.date_trunc('hour', i.last_seen) - '23 hours'::interval,
                                  pg_catalog.date_trunc('hour', i.last_seen) + '1 hour'::interval,
                                  24, b.events) AS last_24h
          FROM errtrack.issue_buckets b
         WHERE b.issue_id = i.issue_id
           AND b.bucket >= pg_catalog.date_trunc('hour', i.last_seen) - '23 hours'::interval) s;

COMMENT ON MATERIALIZED VIEW errtrack.issue_summary IS
'per-issue summary for dashboards with the hourly event counts of the 24 hours up to the issue''s last event (last_24h) and their sparkline; refresh with REFRESH MATERIALIZED VIEW CONCURRENTLY errtrack.issue_summary (or errtrack.refresh_views())';

CREATE UNIQUE INDEX issue_summary_issue_id_idx ON errtrack.issue_summary (issue_id);

CREATE MATERIALIZED VIEW errtrack.issue_timeline AS
SELECT b.issue_id, i.service, i.error_type, b.bucket, b.events
  FROM errtrack.issue_buckets b
  JOIN errtrack.issues i ON i.issue_id = b.issue_id;

COMMENT ON MATERIALIZED VIEW errtrack.issue_timeline IS
'time series (issue_id, bucket, events) for Grafana panels; refresh with REFRESH MATERIALIZED VIEW CONCURRENTLY errtrack.issue_timeline (or errtrack.refresh_views())';

CREATE UNIQUE INDEX issue_timeline_issue_bucket_idx ON errtrack.issue_timeline (issue_id, bucket);
CREATE INDEX issue_timeline_bucket_idx ON errtrack.issue_timeline (bucket);

CREATE FUNCTION errtrack.refresh_views()
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    REFRESH MATERIALIZED VIEW CONCURRENTLY errtrack.issue_summary;
    REFRESH MATERIALIZED VIEW CONCURRENTLY errtrack.issue_timeline;
END;
$$;

COMMENT ON FUNCTION errtrack.refresh_views() IS
'REFRESH MATERIALIZED VIEW CONCURRENTLY for errtrack.issue_summary and errtrack.issue_timeline (readers are not blocked)';

-- ---- src/sql/41_issue_fingerprints.sql ----
-- ---------------------------------------------------------------------------
-- Fingerprint aliases and issue merges  (issues #5 / #7)
--
-- errtrack.refresh() finds the issue of an error event through
-- errtrack.issue_fingerprints: (service, fingerprint) -> issue_id.  Every new
-- issue gets the row of the fingerprint that created it (algorithm = the
-- errtrack.fingerprint_version() that computed it, or 'custom').  So:
--   * a later fingerprint algorithm keeps old issues reachable: insert the
--     new fingerprints of known errors with the new algorithm's name and the
--     old issue_id, and their events count on the old issues;
--   * errtrack.merge_issues(target, source) moves everything of an issue into
--     another one, including its aliases: later events of the source's
--     fingerprints count on the target.
-- An issue without an alias row (created before this table existed) is found
-- by its own (service, fingerprint) and gets its alias on its next event.
-- ---------------------------------------------------------------------------

CREATE TABLE errtrack.issue_fingerprints (
    service text NOT NULL,
    fingerprint uuid NOT NULL,
    algorithm text NOT NULL,
    issue_id bigint NOT NULL REFERENCES errtrack.issues ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (service, fingerprint)
);

COMMENT ON TABLE errtrack.issue_fingerprints IS
'which issue the events of a (service, fingerprint) count on: written by errtrack.refresh() for every new issue (algorithm = errtrack.fingerprint_version() that computed the fingerprint, or custom), moved by errtrack.merge_issues(); insert rows (algorithm = the new version) to map the fingerprints of a later algorithm onto existing issues';
COMMENT ON COLUMN errtrack.issue_fingerprints.algorithm IS
'the fingerprint algorithm that produces this fingerprint (errtrack.fingerprint_version(), e.g. fp1) or custom (error.fingerprint tag)';

CREATE INDEX issue_fingerprints_issue_idx ON errtrack.issue_fingerprints (issue_id);

COMMENT ON INDEX errtrack.issue_fingerprints_issue_idx IS
'the aliases of an issue (merges, ON DELETE CASCADE)';

SELECT pg_catalog.pg_extension_config_dump('errtrack.issue_fingerprints', '');

ALTER TABLE errtrack.issues ADD COLUMN merged_into bigint REFERENCES errtrack.issues ON DELETE SET NULL;

COMMENT ON COLUMN errtrack.issues.merged_into IS
'set by errtrack.merge_issues(): the issue this one was merged into (this one is then excluded, with no events left)';

CREATE FUNCTION errtrack.merge_issues(target bigint, source bigint)
RETURNS errtrack.issues
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    t errtrack.issues;
    s errtrack.issues;
    res errtrack.issues;
    better boolean;
BEGIN
    IF target = source THEN
        RAISE EXCEPTION 'cannot merge issue % into itself', target USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- no refresh in between: it would count events on the source meanwhile
    PERFORM 1 FROM errtrack.refresh_state FOR UPDATE;
    -- lock both rows in id order (two merges of the same pair cannot deadlock)
    PERFORM 1 FROM errtrack.issues i WHERE i.issue_id IN (target, source) ORDER BY i.issue_id FOR UPDATE;
    SELECT * INTO t FROM errtrack.issues i WHERE i.issue_id = target;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'issue % does not exist', target USING ERRCODE = 'no_data_found';
    END IF;
    SELECT * INTO s FROM errtrack.issues i WHERE i.issue_id = source;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'issue % does not exist', source USING ERRCODE = 'no_data_found';
    END IF;
    IF s.service <> t.service THEN
        RAISE EXCEPTION 'cannot merge issue % of service % into issue % of service %', source, s.service, target, t.service
              USING ERRCODE = 'invalid_parameter_value', HINT = 'Issues are per service; merge issues of one service.';
    END IF;
    IF s.merged_into IS NOT NULL THEN
        RAISE EXCEPTION 'issue % was already merged into issue %', source, s.merged_into USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF t.merged_into IS NOT NULL THEN
        RAISE EXCEPTION 'issue % was merged into issue %; merge into that one', target, t.merged_into
              USING ERRCODE = 'invalid_parameter_value';
    END IF;

    -- timeline buckets and versions: add the source's into the target's
    INSERT INTO errtrack.issue_buckets AS ib (issue_id, bucket, events)
    SELECT target, b.bucket, b.events FROM errtrack.issue_buckets b WHERE b.issue_id = source
    ON CONFLICT (issue_id, bucket) DO UPDATE SET events = ib.events + excluded.events;
    DELETE FROM errtrack.issue_buckets b WHERE b.issue_id = source;

    INSERT INTO errtrack.issue_versions AS iv (issue_id, version, events, first_seen, last_seen)
    SELECT target, v.version, v.events, v.first_seen, v.last_seen FROM errtrack.issue_versions v WHERE v.issue_id = source
    ON CONFLICT (issue_id, version) DO UPDATE
       SET events = iv.events + excluded.events,
           first_seen = least(iv.first_seen, excluded.first_seen),
           last_seen = greatest(iv.last_seen, excluded.last_seen);
    DELETE FROM errtrack.issue_versions v WHERE v.issue_id = source;

    -- aliases: the source's fingerprints (and those merged into it before) lead to the target
    INSERT INTO errtrack.issue_fingerprints AS f (service, fingerprint, algorithm, issue_id)
    VALUES (s.service, s.fingerprint,
            CASE WHEN s.fingerprint_kind = 'custom' THEN 'custom' ELSE errtrack.fingerprint_version() END, target)
    ON CONFLICT (service, fingerprint) DO UPDATE SET issue_id = target WHERE f.issue_id = source;
    UPDATE errtrack.issue_fingerprints f SET issue_id = target WHERE f.issue_id = source;
    -- and the target keeps its own
    INSERT INTO errtrack.issue_fingerprints (service, fingerprint, algorithm, issue_id)
    VALUES (t.service, t.fingerprint,
            CASE WHEN t.fingerprint_kind = 'custom' THEN 'custom' ELSE errtrack.fingerprint_version() END, target)
    ON CONFLICT (service, fingerprint) DO NOTHING;

    -- counts, first/last seen and versions, the better sample
    better := s.sample_time IS NOT NULL
              AND (t.sample_time IS NULL
                   OR (s.sample_score, s.sample_time, coalesce(s.sample_span_id, 0))
                      > (t.sample_score, t.sample_time, coalesce(t.sample_span_id, 0)));
    UPDATE errtrack.issues i SET
        event_count = i.event_count + s.event_count,
        first_version = CASE WHEN s.first_seen < i.first_seen OR i.first_version IS NULL
                             THEN coalesce(s.first_version, i.first_version) ELSE i.first_version END,
        last_version = CASE WHEN s.last_seen > i.last_seen OR i.last_version IS NULL
                            THEN coalesce(s.last_version, i.last_version) ELSE i.last_version END,
        first_seen = least(i.first_seen, s.first_seen),
        last_seen = greatest(i.last_seen, s.last_seen),
        sample_trace_id = CASE WHEN better THEN s.sample_trace_id ELSE i.sample_trace_id END,
        sample_span_id = CASE WHEN better THEN s.sample_span_id ELSE i.sample_span_id END,
        sample_time = CASE WHEN better THEN s.sample_time ELSE i.sample_time END,
        sample_score = CASE WHEN better THEN s.sample_score ELSE i.sample_score END,
        sample_message = CASE WHEN better THEN s.sample_message ELSE i.sample_message END,
        sample_stack = CASE WHEN better THEN s.sample_stack ELSE i.sample_stack END
     WHERE i.issue_id = target
    RETURNING * INTO res;

    -- the source: excluded (it receives no events any more), nothing left in it
    UPDATE errtrack.issues i SET
        status = 'excluded', merged_into = target, event_count = 0, is_regression = false,
        status_changed_at = now(), resolved_at = NULL
     WHERE i.issue_id = source;
    -- issues merged into the source earlier point at the target now
    UPDATE errtrack.issues i SET merged_into = target WHERE i.merged_into = source;

    INSERT INTO errtrack.issue_history (issue_id, old_status, new_status, reason, changed_by, note)
    VALUES (source, s.status, 'excluded', 'merge', CURRENT_USER::text,
            format('merged into issue %s (%s events moved)', target, s.event_count)),
           (target, t.status, t.status, 'merge', CURRENT_USER::text,
            format('issue %s merged into this one (%s events added)', source, s.event_count));
    RETURN res;
END;
$$;

COMMENT ON FUNCTION errtrack.merge_issues(bigint, bigint) IS
'admin: merges issue source into issue target (same service): adds its event count, timeline buckets and versions to the target, takes the better sample, points its fingerprint aliases (errtrack.issue_fingerprints) at the target so later events count there, marks the source excluded with merged_into = target, and records both in errtrack.issue_history (reason merge); returns the target';

-- ---- src/sql/50_security.sql ----
-- ---------------------------------------------------------------------------
-- Privileges: three roles, nothing for PUBLIC but the pure functions.
-- (docs/security.md explains the model; sql/50_security.sql tests it.)
--
--   errtrack_reader  SELECT on every table and view of the schema (issues,
--                    alerts, history, events, spans, settings)
--   errtrack_writer  ingestion (errtrack.ingest_*, INSERT/COPY into
--                    errtrack.spans) and errtrack.refresh(), refresh_views()
--   errtrack_admin   member of both; errtrack.set_status(), auto_resolve(),
--                    UPDATE of errtrack.settings
--
-- The roles are cluster-wide, so they are not members of the extension: the
-- script creates the ones that do not exist yet (NOLOGIN) and reuses existing
-- ones (a second database, a re-install).  DROP EXTENSION removes the
-- privileges with the objects but leaves the roles; drop them by hand once no
-- database uses errtrack (DROP ROLE errtrack_admin, errtrack_writer,
-- errtrack_reader).
--
-- This fragment runs after every other one: functions are closed by default
-- (REVOKE ... ALL FUNCTIONS), so a function added by an earlier fragment is
-- usable only by the owner until it is granted here.  A fragment added after
-- this one must grant its own objects.
-- ---------------------------------------------------------------------------

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['errtrack_reader', 'errtrack_writer', 'errtrack_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    -- admin includes reader and writer (membership is cluster-wide as well)
    FOREACH r IN ARRAY ARRAY['errtrack_reader', 'errtrack_writer'] LOOP
        IF NOT pg_catalog.pg_has_role('errtrack_admin', r, 'MEMBER') THEN
            EXECUTE pg_catalog.format('GRANT %I TO errtrack_admin', r);
        END IF;
    END LOOP;
END
$$;

-- Functions: closed by default (PUBLIC gets EXECUTE on every new function) --

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA errtrack FROM PUBLIC;

-- Pure functions of their arguments, for everybody (they read no table).
-- The aggregates' support functions stay closed: executing an aggregate
-- checks EXECUTE on the aggregate for the caller and on its support functions
-- for the aggregate's owner only.
GRANT EXECUTE ON FUNCTION
    errtrack.fingerprint(text, text, text),
    errtrack.fingerprint_explain(text, text, text),
    errtrack.fingerprint_custom(text),
    errtrack.fingerprint_version(),
    errtrack.normalize_message(text),
    errtrack.normalize_stack(text),
    errtrack.parse_stack(text),
    errtrack.sparkline(bigint[])
TO PUBLIC;
GRANT EXECUTE ON FUNCTION
    errtrack.top_values(text),
    errtrack.tag_distribution(text, text, text, text, text),
    errtrack.latest_sample(uuid, bigint, timestamptz, text, text, text),
    errtrack.histogram(timestamptz, timestamptz, timestamptz, integer),
    errtrack.histogram(timestamptz, timestamptz, timestamptz, integer, bigint)
TO PUBLIC;

-- Tables: the owner only, unless granted below (PUBLIC has nothing) ---------

-- reader: everything readable, nothing writable
GRANT SELECT ON ALL TABLES IN SCHEMA errtrack TO errtrack_reader;

-- writer: ingestion.  The ingest functions are SECURITY INVOKER: they need
-- INSERT on errtrack.spans and EXECUTE on the decoders.  A writer does not
-- read (INSERT ... ON CONFLICT DO NOTHING needs no SELECT).  Granted by name:
-- every errtrack.ingest_* function and every decoder errtrack._decode_*.
GRANT INSERT ON errtrack.spans TO errtrack_writer;
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid FROM pg_catalog.pg_proc AS p
         WHERE p.pronamespace OPERATOR(pg_catalog.=) 'errtrack'::pg_catalog.regnamespace
           AND (p.proname OPERATOR(pg_catalog.~) '^ingest_' OR p.proname OPERATOR(pg_catalog.~) '^_decode_')
         ORDER BY p.oid
    LOOP
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO errtrack_writer', f);
    END LOOP;
END
$$;

-- writer: refresh.  refresh() writes issues, their status (regressions,
-- auto-resolve), history and alerts; granting the writer those tables would
-- let it change statuses directly, which only the admin may.  So refresh()
-- and refresh_views() (REFRESH MATERIALIZED VIEW needs the owner) run as
-- their owner, the superuser who created the extension: SECURITY DEFINER,
-- search_path pinned to pg_catalog, pg_temp (pg_temp is never searched for
-- functions or operators; every table is errtrack.- or pg_temp.-qualified),
-- EXECUTE for errtrack_writer only.  Neither runs caller-supplied SQL; the
-- only argument is refresh's settle_window.  (docs/security.md)
ALTER FUNCTION errtrack.refresh(interval) SECURITY DEFINER;
ALTER FUNCTION errtrack.refresh_views() SECURITY DEFINER;
GRANT EXECUTE ON FUNCTION errtrack.refresh(interval), errtrack.refresh_views() TO errtrack_writer;

-- admin: status changes and configuration (SECURITY INVOKER functions).
-- issue_history stays append-only for everyone but the owner.  auto_resolve()
-- takes the refresh lock (SELECT ... FOR UPDATE on errtrack.refresh_state),
-- which needs UPDATE on some column: last_run_at, never the watermark.
GRANT EXECUTE ON FUNCTION
    errtrack.set_status(bigint, text, text, text),
    errtrack.auto_resolve(interval, timestamptz),
    errtrack._auto_resolve(timestamptz)
TO errtrack_admin;
GRANT UPDATE ON errtrack.settings TO errtrack_admin;
GRANT UPDATE ON errtrack.issues TO errtrack_admin;
GRANT INSERT ON errtrack.issue_history TO errtrack_admin;
GRANT UPDATE (last_run_at) ON errtrack.refresh_state TO errtrack_admin;
-- merge_issues(target, source) is an admin action too: it moves the source's
-- buckets, versions and fingerprint aliases onto the target.
GRANT EXECUTE ON FUNCTION errtrack.merge_issues(bigint, bigint) TO errtrack_admin;
GRANT INSERT, UPDATE, DELETE ON errtrack.issue_buckets, errtrack.issue_versions,
    errtrack.issue_fingerprints TO errtrack_admin;

-- Owner only (no grant): errtrack.create_span_partitions /
-- drop_span_partitions (DDL on errtrack.spans: run them as the extension
-- owner, e.g. from pg_cron) and errtrack._raise_core_error (testing aid).
