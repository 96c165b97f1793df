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
