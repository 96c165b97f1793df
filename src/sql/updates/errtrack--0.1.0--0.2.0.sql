-- errtrack 0.1.0 -> 0.2.0 (ALTER EXTENSION errtrack UPDATE TO '0.2.0')
--
-- Put here every change made to src/sql/*.sql since 0.1.0, so that an
-- installation of 0.1.0 updated with this script ends up identical to a fresh
-- install of 0.2.0 (test/upgrade/run_upgrade.sh compares the two catalogs):
--   * new objects: the same CREATE ... and COMMENT ON ... as in the fragment,
--     plus their GRANT/REVOKE as in src/sql/50_security.sql;
--   * changed functions or views: ALTER EXTENSION errtrack DROP ..., DROP,
--     CREATE again (or CREATE OR REPLACE FUNCTION only where the signature
--     and result are unchanged), then the grants again;
--   * changed tables: ALTER TABLE ... (never drop user data); new user-data
--     tables also need pg_catalog.pg_extension_config_dump(...);
--   * a new fingerprint algorithm: fingerprints stored in issues change,
--     so migrate them here (see docs/DEVELOPING.md).
-- Never edit this file once 0.2.0 is released.  If nothing changed, leave it
-- as it is: an empty update script only makes the version path.

\echo Use "ALTER EXTENSION errtrack UPDATE TO '0.2.0'" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;

-- set_status() takes the refresh lock (FOR SHARE) before the issue row, so
-- a transaction changing several statuses cannot deadlock with refresh().
-- Same signature and result: CREATE OR REPLACE keeps its comment and grants.
CREATE OR REPLACE FUNCTION errtrack.set_status(issue_id bigint, status text, note text DEFAULT NULL, changed_by text DEFAULT NULL)
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
    -- Lock order refresh_state, then issues — the order refresh() and
    -- merge_issues() use — so a transaction changing several statuses can
    -- never deadlock with a refresh (status changes still run side by side:
    -- FOR SHARE conflicts only with refresh's FOR UPDATE).
    PERFORM 1 FROM errtrack.refresh_state FOR SHARE;
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


-- ---- fingerprint algorithm fp2 (native key rules; src/core/fingerprint.hpp) ----
-- The 0.1.0 C symbols keep computing fp1 (errtrack_fingerprint,
-- errtrack_fingerprint_explain, errtrack_fingerprint_version); the SQL
-- functions now name the fp2 ones.  Same signatures and results, so CREATE OR
-- REPLACE keeps the grants; the comments changed.
CREATE OR REPLACE FUNCTION errtrack.fingerprint(error_type text, error_message text, error_stack text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_fp2'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;

COMMENT ON FUNCTION errtrack.fingerprint(text, text, text) IS
'128-bit fingerprint (XXH3-128 over a length-prefixed, versioned canonical input) of an error''s type, message and stack trace, by the current algorithm (errtrack.fingerprint_version(), fp2); NULL arguments count as empty; never NULL';

CREATE OR REPLACE FUNCTION errtrack.fingerprint_explain(error_type text, error_message text, error_stack text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_explain_fp2'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 200;

COMMENT ON FUNCTION errtrack.fingerprint_explain(text, text, text) IS
'the grouping input behind errtrack.fingerprint: language, type, wrapper, frames, boundary frame, codes, and whether and why the message template was used';

-- The message template by fp2's rules (a quoted value made only of
-- placeholders and separators, "9.9.9", is <str>); errtrack_normalize_message
-- keeps fp1's.  Same signature and result: the comment and grants stay.
CREATE OR REPLACE FUNCTION errtrack.normalize_message(message text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_normalize_message_fp2'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;

CREATE OR REPLACE FUNCTION errtrack.fingerprint_version()
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$SELECT 'fp2'::text$$;

COMMENT ON FUNCTION errtrack.fingerprint_version() IS
'the algorithm version errtrack.fingerprint(type, message, stack) computes (a change of fingerprints is a new version; errtrack.fingerprint(..., algorithm) computes any of them)';

COMMENT ON FUNCTION errtrack.fingerprint_custom(text) IS
'the fingerprint of a user-supplied error.fingerprint tag (whitespace collapsed), in the same uuid space as errtrack.fingerprint but never equal to a computed one; the same under every algorithm version';

-- any algorithm by name (new)
CREATE FUNCTION errtrack.fingerprint(error_type text, error_message text, error_stack text, algorithm text)
RETURNS uuid
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_algorithm'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;

COMMENT ON FUNCTION errtrack.fingerprint(text, text, text, text) IS
'the fingerprint by a named algorithm version (fp1 = errtrack 0.1.0, fp2 = current): old values stay computable, e.g. to map stored issues onto a new version (errtrack.remap_fingerprints) or to keep an index on a fixed version; an unknown or NULL algorithm is an error';

CREATE FUNCTION errtrack.fingerprint_explain(error_type text, error_message text, error_stack text, algorithm text)
RETURNS text
AS 'MODULE_PATHNAME', 'errtrack_fingerprint_explain_algorithm'
LANGUAGE C IMMUTABLE PARALLEL SAFE COST 200;

COMMENT ON FUNCTION errtrack.fingerprint_explain(text, text, text, text) IS
'errtrack.fingerprint_explain by a named algorithm version (fp1, fp2)';

REVOKE EXECUTE ON FUNCTION errtrack.fingerprint(text, text, text, text),
    errtrack.fingerprint_explain(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION errtrack.fingerprint(text, text, text, text),
    errtrack.fingerprint_explain(text, text, text, text) TO PUBLIC;

-- A new fingerprint algorithm keeps old issues reachable: for every error
-- event still stored (and every issue's sample), the fingerprint by the old
-- algorithm finds the issue (through its alias, so merges are followed) and
-- the fingerprint by the new one becomes an alias of that issue.  When the
-- new algorithm joins errors that were two issues, the alias goes to the one
-- with more events (the other keeps its history and receives no new events;
-- merge it with merge_issues() if wanted).  Idempotent: existing aliases are
-- kept.  The update script that introduces an algorithm runs it once; run it
-- again after restoring older spans.
CREATE FUNCTION errtrack.remap_fingerprints(from_algorithm text, to_algorithm text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint;
BEGIN
    -- unknown algorithm names raise 22023 here, before any work
    PERFORM errtrack.fingerprint(NULL, NULL, NULL, from_algorithm), errtrack.fingerprint(NULL, NULL, NULL, to_algorithm);
    IF from_algorithm = to_algorithm THEN
        RETURN 0;
    END IF;
    -- no refresh in between: it could open an issue for a new fingerprint meanwhile
    PERFORM 1 FROM errtrack.refresh_state FOR UPDATE;
    WITH errors AS (
        SELECT e.service, e.error_type, e.error_message, e.error_stack
          FROM errtrack.error_events e
         WHERE e.fingerprint_kind = 'computed'
        UNION
        SELECT i.service, i.error_type, i.sample_message, i.sample_stack
          FROM errtrack.issues i
         WHERE i.fingerprint_kind = 'computed'
    ), pairs AS (
        SELECT DISTINCT x.service,
               errtrack.fingerprint(x.error_type, x.error_message, x.error_stack, from_algorithm) AS old_fp,
               errtrack.fingerprint(x.error_type, x.error_message, x.error_stack, to_algorithm) AS new_fp
          FROM errors x
    ), targets AS (
        SELECT p.service, p.new_fp, coalesce(f.issue_id, i.issue_id) AS issue_id
          FROM pairs p
          LEFT JOIN errtrack.issue_fingerprints f ON f.service = p.service AND f.fingerprint = p.old_fp
          LEFT JOIN errtrack.issues i ON i.service = p.service AND i.fingerprint = p.old_fp
         WHERE coalesce(f.issue_id, i.issue_id) IS NOT NULL
    )
    INSERT INTO errtrack.issue_fingerprints (service, fingerprint, algorithm, issue_id)
    SELECT DISTINCT ON (t.service, t.new_fp) t.service, t.new_fp, to_algorithm, t.issue_id
      FROM targets t
      JOIN errtrack.issues i ON i.issue_id = t.issue_id
     ORDER BY t.service, t.new_fp, i.event_count DESC, t.issue_id
    ON CONFLICT (service, fingerprint) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

COMMENT ON FUNCTION errtrack.remap_fingerprints(text, text) IS
'admin: after a change of fingerprint algorithm (e.g. fp1 to fp2), maps every stored computed error event and issue sample onto its issue under the new algorithm (aliases in errtrack.issue_fingerprints), so later events keep counting on the old issues; returns the number of aliases added; idempotent';

REVOKE EXECUTE ON FUNCTION errtrack.remap_fingerprints(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION errtrack.remap_fingerprints(text, text) TO errtrack_admin;

-- 0.2.0: planner costs (units of cpu_operator_cost; a fingerprint takes
-- 0.5-5 us), so large fingerprinting scans get parallel plans.
ALTER FUNCTION errtrack.normalize_stack(text) COST 100;
ALTER FUNCTION errtrack.parse_stack(text) COST 100;

-- 0.2.0: the per-backend stack cache of errtrack.fingerprint() (GUC errtrack.stack_cache_size).
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


-- (50_security.sql: every function closed, then the pure ones opened to PUBLIC)
REVOKE EXECUTE ON FUNCTION errtrack.stack_cache_stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION errtrack.stack_cache_stats() TO PUBLIC;
REVOKE EXECUTE ON FUNCTION errtrack.shared_stack_cache_stats(), errtrack.shared_stack_cache_reset() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION errtrack.shared_stack_cache_stats() TO PUBLIC;
GRANT EXECUTE ON FUNCTION errtrack.shared_stack_cache_reset() TO errtrack_admin;

-- The migration: every stored error event and issue sample gets its fp2
-- fingerprint as an alias of the issue its fp1 fingerprint found, so the
-- issues of 0.1.0 keep receiving their events.
SELECT errtrack.remap_fingerprints('fp1', 'fp2');
