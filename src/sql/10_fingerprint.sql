-- ---------------------------------------------------------------------------
-- Fingerprints and normalisation (pure functions of their arguments)
-- ---------------------------------------------------------------------------
-- COST is in units of cpu_operator_cost (a built-in operator, tens of ns): a
-- fingerprint takes 0.5 us (stack cache hit) to 5 us (parse), so COST 100;
-- with the default of 1 the planner never runs a large fingerprinting scan
-- in parallel workers.

CREATE FUNCTION errtrack.fingerprint(error_type text, error_message text, error_stack text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_fp2'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;

COMMENT ON FUNCTION errtrack.fingerprint(text, text, text) IS
'128-bit fingerprint (XXH3-128 over a length-prefixed, versioned canonical input) of an error''s type, message and stack trace, by the current algorithm (errtrack.fingerprint_version(), fp2); NULL arguments count as empty; never NULL';

CREATE FUNCTION errtrack.fingerprint(error_type text, error_message text, error_stack text, algorithm text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_algorithm'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;

COMMENT ON FUNCTION errtrack.fingerprint(text, text, text, text) IS
'the fingerprint by a named algorithm version (fp1 = errtrack 0.1.0, fp2 = current): old values stay computable, e.g. to map stored issues onto a new version (errtrack.remap_fingerprints) or to keep an index on a fixed version; an unknown or NULL algorithm is an error';

CREATE FUNCTION errtrack.fingerprint_explain(error_type text, error_message text, error_stack text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_explain_fp2'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 200;

COMMENT ON FUNCTION errtrack.fingerprint_explain(text, text, text) IS
'the grouping input behind errtrack.fingerprint: language, type, wrapper, frames, boundary frame, codes, and whether and why the message template was used';

CREATE FUNCTION errtrack.fingerprint_explain(error_type text, error_message text, error_stack text, algorithm text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_explain_algorithm'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 200;

COMMENT ON FUNCTION errtrack.fingerprint_explain(text, text, text, text) IS
'errtrack.fingerprint_explain by a named algorithm version (fp1, fp2)';

CREATE FUNCTION errtrack.fingerprint_custom(custom_fingerprint text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_custom'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.fingerprint_custom(text) IS
'the fingerprint of a user-supplied error.fingerprint tag (whitespace collapsed), in the same uuid space as errtrack.fingerprint but never equal to a computed one; the same under every algorithm version';

CREATE FUNCTION errtrack.fingerprint_version()
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$SELECT 'fp2'::text$$;

COMMENT ON FUNCTION errtrack.fingerprint_version() IS
'the algorithm version errtrack.fingerprint(type, message, stack) computes (a change of fingerprints is a new version; errtrack.fingerprint(..., algorithm) computes any of them)';

CREATE FUNCTION errtrack.normalize_message(message text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_normalize_message_fp2'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;

COMMENT ON FUNCTION errtrack.normalize_message(text) IS
'message template: first line, variable parts (numbers, ids, UUIDs, hex, IPs, emails, URLs, paths, dates, durations, quoted values) replaced by placeholders; identifiers kept';

CREATE FUNCTION errtrack.normalize_stack(stack text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_normalize_stack'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

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
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 30;

COMMENT ON FUNCTION errtrack.parse_stack(text) IS
'parsed structure of a stack trace: one row per frame (innermost first) of each exception in the chain (outermost first), with role, type, message, function, module, file, line, column, in-app flag, category and language';

CREATE FUNCTION errtrack._raise_core_error(kind text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'errtrack_raise_core_error'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack._raise_core_error(text) IS
'testing aid: throws a C++ exception of the given kind (invalid_input, invalid_data, too_large, bad_alloc, std_exception, unknown) inside the core to show how it reaches SQL';

REVOKE ALL ON FUNCTION errtrack._raise_core_error(text) FROM PUBLIC;

-- Refactor joins (errtrack.refresh; settings.join_refactored): what lets a
-- fingerprint new to a service join an existing issue whose stack is its own
-- with one frame inserted (src/core/fingerprint.hpp, join_signature).
CREATE FUNCTION errtrack.join_signature(
    error_type text, error_message text, error_stack text,
    OUT anchor uuid, OUT key_frames bigint[], OUT path_frames bigint[], OUT path_units bigint[])
RETURNS record
AS 'MODULE_PATHNAME', 'errtrack_join_signature'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;

COMMENT ON FUNCTION errtrack.join_signature(text, text, text) IS
'what errtrack.refresh() compares to join a new fingerprint to an existing issue of its service (refactor joins): anchor (every fingerprint component but the frames after the throw site), the key''s frames, the frames the key was chosen from (path, up to 8 from the throw site) and their code units, each a 64-bit hash; all NULL when the error cannot join (fewer than two key frames, a library''s frames or raw addresses); by the current algorithm; NULL arguments count as empty';

CREATE FUNCTION errtrack.signatures_join(
    key_a bigint[], path_a bigint[], units_a bigint[], key_b bigint[], path_b bigint[], units_b bigint[])
RETURNS boolean
AS 'MODULE_PATHNAME', 'errtrack_signatures_join'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.signatures_join(bigint[], bigint[], bigint[], bigint[], bigint[], bigint[]) IS
'whether two join signatures with equal anchors (errtrack.join_signature) are one bug: their keys differ and one stack is the other with one frame inserted strictly inside the key (its first and last frames kept), of the same code unit as the frame that calls it (an extracted helper, a new pass-through); symmetric';

CREATE FUNCTION errtrack.stack_cache_stats(
    OUT hits bigint, OUT misses bigint, OUT entries bigint, OUT bytes bigint, OUT budget bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'errtrack_stack_cache_stats'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;

COMMENT ON FUNCTION errtrack.stack_cache_stats() IS
'this backend''s stack cache (errtrack.stack_cache_size): fingerprints that reused a stack text parsed before (hits), that did not find it (misses: parsed it, or took it from the shared stack cache), the stacks kept now, their bytes and the budget; 0 turns off the shared cache for the session too; the cache never changes a fingerprint';

CREATE FUNCTION errtrack.shared_stack_cache_stats(
    OUT hits bigint, OUT misses bigint, OUT inserts bigint, OUT oversized bigint,
    OUT entries bigint, OUT bytes bigint, OUT size bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'errtrack_shared_stack_cache_stats'
LANGUAGE C VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION errtrack.shared_stack_cache_stats() IS
'the shared stack cache (errtrack in shared_preload_libraries, errtrack.shared_stack_cache_size), for all backends since the server started or the last reset: look-ups after a backend''s own cache missed that found the parsed stack (hits) or not (misses), parsed stacks added (inserts), parsed stacks too large to share (oversized), the stacks kept now, their encoded bytes and the shared memory size; all zero when it is off; it never changes a fingerprint';

CREATE FUNCTION errtrack.shared_stack_cache_reset()
RETURNS void
AS 'MODULE_PATHNAME', 'errtrack_shared_stack_cache_reset'
LANGUAGE C VOLATILE PARALLEL RESTRICTED;

COMMENT ON FUNCTION errtrack.shared_stack_cache_reset() IS
'empties the shared stack cache and zeroes its counters (the owner only, unless granted; does nothing when the cache is off); backends'' own caches are untouched';

