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
    -- Refactor joins: aliases of the algorithm errtrack.refresh() computes get the join
    -- signature of one of their errors, so refactored stacks of old issues join them too.
    IF to_algorithm = errtrack.fingerprint_version() THEN
        UPDATE errtrack.issue_fingerprints f
           SET anchor = s.anchor, key_frames = s.key_frames, path_frames = s.path_frames,
               path_units = s.path_units
          FROM (SELECT DISTINCT ON (x.service, x.fp) x.service, x.fp, x.error_type, x.error_message, x.error_stack
                  FROM (SELECT e.service, e.error_type, e.error_message, e.error_stack, e.fingerprint AS fp
                          FROM errtrack.error_events e
                         WHERE e.fingerprint_kind = 'computed'
                        UNION ALL
                        SELECT i.service, i.error_type, i.sample_message, i.sample_stack,
                               errtrack.fingerprint(i.error_type, i.sample_message, i.sample_stack)
                          FROM errtrack.issues i
                         WHERE i.fingerprint_kind = 'computed') x
                 ORDER BY x.service, x.fp) e
          CROSS JOIN LATERAL errtrack.join_signature(e.error_type, e.error_message, e.error_stack) s
         WHERE f.service = e.service AND f.fingerprint = e.fp AND f.anchor IS NULL
           AND f.algorithm = to_algorithm AND s.anchor IS NOT NULL;
    END IF;
    RETURN n;
END;
$$;

COMMENT ON FUNCTION errtrack.remap_fingerprints(text, text) IS
'admin: after a change of fingerprint algorithm (e.g. fp1 to fp2), maps every stored computed error event and issue sample onto its issue under the new algorithm (aliases in errtrack.issue_fingerprints), so later events keep counting on the old issues; aliases of the current algorithm get their join signature (refactor joins); returns the number of aliases added; idempotent';

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

-- 0.2.0: refactor joins
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
ALTER TABLE errtrack.settings ADD COLUMN join_refactored boolean NOT NULL DEFAULT true;
COMMENT ON TABLE errtrack.settings IS
'one row of settings for errtrack.refresh(): settle_window (how long a span waits for a late parent before it is counted), auto_resolve_after (quiet period, NULL disables), bucket_width (timeline buckets; set before the first refresh), notify (NOTIFY errtrack_alerts), join_refactored (a fingerprint new to a service joins the issue whose stack is its own with one frame inserted: errtrack.signatures_join)';

ALTER TABLE errtrack.issue_fingerprints
    ADD COLUMN anchor uuid,
    ADD COLUMN key_frames bigint[],
    ADD COLUMN path_frames bigint[],
    ADD COLUMN path_units bigint[],
    ADD COLUMN joined_at timestamptz;
COMMENT ON COLUMN errtrack.issue_fingerprints.anchor IS
'refactor joins: errtrack.join_signature() of the fingerprint''s first event (anchor, key_frames, path_frames, path_units), NULL when it cannot join or was stored before 0.2.0';
COMMENT ON COLUMN errtrack.issue_fingerprints.joined_at IS
'set when errtrack.refresh() joined this new fingerprint to an existing issue because its stack is that issue''s with one frame inserted or removed (settings.join_refactored); NULL for the fingerprint that opened the issue';

CREATE INDEX issue_fingerprints_anchor_idx ON errtrack.issue_fingerprints (service, anchor, issue_id)
    WHERE anchor IS NOT NULL;

COMMENT ON INDEX errtrack.issue_fingerprints_anchor_idx IS
'refactor joins: the fingerprints of a service that a new one may join (same anchor), oldest issues first';

-- refresh() computes join signatures of new fingerprints and joins them (same
-- signature and result: CREATE OR REPLACE keeps the comment and grants).
CREATE OR REPLACE FUNCTION errtrack.refresh(
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
    v_join bigint;
    v_join_fp uuid;
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
        IF to_regclass('pg_temp.errtrack_refresh_first') IS NOT NULL THEN
            DROP TABLE pg_temp.errtrack_refresh_first;
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
            -- refactor joins: the join signature of a new fingerprint's first event; join_fp: the
            -- fingerprint of this batch whose new issue it joins; joined: it joined an issue
            anchor uuid, key_frames bigint[], path_frames bigint[], path_units bigint[],
            join_fp uuid, joined boolean NOT NULL DEFAULT false,
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

            -- Refactor joins: every fingerprint new to its service gets the join signature of its
            -- first event (errtrack.join_signature).  With settings.join_refactored, one whose stack
            -- is an earlier fingerprint's with one frame inserted or removed (errtrack.signatures_join:
            -- an extracted helper, a new pass-through) joins that fingerprint's issue instead of
            -- opening one: the oldest such issue, else the new issue of the earliest such
            -- fingerprint of this batch.  Excluded issues are not joined.  Bounded work: each new
            -- fingerprint looks at the 256 oldest fingerprints of its anchor (known ones, then this
            -- batch's); real data sets hold at most ~80 per anchor.
            -- The first event of every new fingerprint (its issue's type and message, its join
            -- signature): one hash join and one sort of their events, no scan of the batch per
            -- fingerprint.
            CREATE TEMP TABLE errtrack_refresh_first ON COMMIT DROP AS
            SELECT DISTINCT ON (b.service, b.fingerprint)
                   b.service, b.fingerprint, b.error_type, b.error_message, b.error_stack
              FROM pg_temp.errtrack_refresh_batch b
              JOIN pg_temp.errtrack_refresh_agg n ON n.service = b.service AND n.fingerprint = b.fingerprint
             WHERE n.issue_id IS NULL
             ORDER BY b.service, b.fingerprint, b.start_time, b.span_id;
            -- candidates within the batch by (service, anchor): one index probe per new fingerprint
            -- (built before the rows are updated: an index built over HOT-updated rows cannot be used
            -- by the transaction that built it)
            CREATE INDEX ON pg_temp.errtrack_refresh_agg (service, anchor, first_seen, fingerprint)
                WHERE anchor IS NOT NULL;
            UPDATE pg_temp.errtrack_refresh_agg a
               SET anchor = s.anchor, key_frames = s.key_frames, path_frames = s.path_frames,
                   path_units = s.path_units
              FROM pg_temp.errtrack_refresh_first f
              CROSS JOIN LATERAL errtrack.join_signature(f.error_type, f.error_message, f.error_stack) s
             WHERE a.service = f.service AND a.fingerprint = f.fingerprint AND a.fingerprint_kind = 'computed'
               AND s.anchor IS NOT NULL;
            ANALYZE pg_temp.errtrack_refresh_agg;
            IF cfg.join_refactored THEN
                -- (only fingerprints whose anchor another one has: a known alias or another new one)
                FOR r IN SELECT a.service, a.fingerprint, a.first_seen, a.anchor, a.key_frames, a.path_frames,
                                a.path_units
                           FROM pg_temp.errtrack_refresh_agg a
                          WHERE a.issue_id IS NULL AND a.anchor IS NOT NULL
                            AND (EXISTS (SELECT 1 FROM pg_temp.errtrack_refresh_agg o
                                          WHERE o.service = a.service AND o.anchor = a.anchor
                                            AND o.fingerprint <> a.fingerprint)
                                 OR EXISTS (SELECT 1 FROM errtrack.issue_fingerprints f
                                             WHERE f.service = a.service AND f.anchor = a.anchor))
                          ORDER BY a.first_seen, a.fingerprint
                LOOP
                    v_join := NULL;
                    v_join_fp := NULL;
                    SELECT c.issue_id INTO v_join
                      FROM (SELECT f.issue_id, f.key_frames, f.path_frames, f.path_units
                              FROM errtrack.issue_fingerprints f
                             WHERE f.service = r.service AND f.anchor = r.anchor AND f.anchor IS NOT NULL
                             ORDER BY f.issue_id
                             LIMIT 256) c
                      JOIN errtrack.issues i ON i.issue_id = c.issue_id
                     WHERE i.status <> 'excluded'
                       AND errtrack.signatures_join(c.key_frames, c.path_frames, c.path_units,
                                                    r.key_frames, r.path_frames, r.path_units)
                     ORDER BY c.issue_id
                     LIMIT 1;
                    IF v_join IS NULL THEN
                        SELECT c.issue_id, coalesce(c.join_fp, c.fingerprint) INTO v_join, v_join_fp
                          FROM (SELECT a.issue_id, a.join_fp, a.fingerprint, a.first_seen,
                                       a.key_frames, a.path_frames, a.path_units
                                  FROM pg_temp.errtrack_refresh_agg a
                                 WHERE a.service = r.service AND a.anchor = r.anchor
                                   AND (a.first_seen, a.fingerprint) < (r.first_seen, r.fingerprint)
                                 ORDER BY a.first_seen, a.fingerprint
                                 LIMIT 256) c
                         WHERE errtrack.signatures_join(c.key_frames, c.path_frames, c.path_units,
                                                        r.key_frames, r.path_frames, r.path_units)
                         ORDER BY c.issue_id NULLS LAST, c.first_seen, c.fingerprint
                         LIMIT 1;
                        IF v_join IS NOT NULL THEN
                            v_join_fp := NULL;
                        END IF;
                    END IF;
                    IF v_join IS NOT NULL OR v_join_fp IS NOT NULL THEN
                        UPDATE pg_temp.errtrack_refresh_agg a
                           SET issue_id = v_join, join_fp = v_join_fp, joined = true
                         WHERE a.service = r.service AND a.fingerprint = r.fingerprint;
                    END IF;
                END LOOP;
            END IF;

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
                  JOIN pg_temp.errtrack_refresh_first f ON f.service = a.service AND f.fingerprint = a.fingerprint
                 WHERE a.issue_id IS NULL AND a.join_fp IS NULL
                ON CONFLICT (service, fingerprint) DO NOTHING
                RETURNING i.issue_id, i.service, i.fingerprint
            )
            INSERT INTO pg_temp.errtrack_refresh_touched
            SELECT ins.issue_id, ins.service, ins.fingerprint, true, false FROM ins;
            GET DIAGNOSTICS issues_created = ROW_COUNT;

            UPDATE pg_temp.errtrack_refresh_agg a SET issue_id = t.issue_id
              FROM pg_temp.errtrack_refresh_touched t
             WHERE t.created AND a.issue_id IS NULL AND t.service = a.service AND t.fingerprint = a.fingerprint;

            -- Fingerprints that joined a new issue of this batch: their events count on it too.
            UPDATE pg_temp.errtrack_refresh_agg a SET issue_id = root.issue_id
              FROM pg_temp.errtrack_refresh_agg root
             WHERE a.join_fp IS NOT NULL AND root.service = a.service AND root.fingerprint = a.join_fp;

            -- Every fingerprint that reached an issue gets its alias row (new issues; issues
            -- created before aliases existed); the algorithm is the one that computed it.
            INSERT INTO errtrack.issue_fingerprints
                (service, fingerprint, algorithm, issue_id, anchor, key_frames, path_frames, path_units, joined_at)
            SELECT a.service, a.fingerprint,
                   CASE WHEN a.fingerprint_kind = 'custom' THEN 'custom' ELSE errtrack.fingerprint_version() END,
                   a.issue_id, a.anchor, a.key_frames, a.path_frames, a.path_units,
                   CASE WHEN a.joined THEN now() END
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

            -- New issues that fingerprints of this batch joined: every event of the issue is in this
            -- batch, so the per-issue aggregate is the issue (counts, first/last, the best sample).
            UPDATE errtrack.issues i SET
                event_count = a.events, first_seen = a.first_seen, last_seen = a.last_seen,
                first_version = a.first_version, last_version = a.last_version,
                sample_trace_id = (a.sample->>'trace_id')::uuid, sample_span_id = (a.sample->>'span_id')::bigint,
                sample_time = (a.sample->>'time')::timestamptz, sample_score = (a.sample->>'score')::integer,
                sample_message = a.sample->>'message', sample_stack = a.sample->>'stack'
              FROM pg_temp.errtrack_refresh_iagg a
             WHERE i.issue_id = a.issue_id
               AND a.issue_id IN (SELECT j.issue_id FROM pg_temp.errtrack_refresh_agg j WHERE j.join_fp IS NOT NULL);

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
            -- few groups are joined to their issues: the events themselves are neither sorted nor joined.
            -- Statistics of the groups with their issues first: planned on a fresh temp table's guess,
            -- the join of groups to issues ran as a nested loop, quadratic in the new issues — 3.4 s for
            -- 5,300 new issues.)
            ANALYZE pg_temp.errtrack_refresh_agg, pg_temp.errtrack_refresh_touched;
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
-- The stored error events of each issue, through the aliases (merges, later
-- algorithms, refactor joins): what per-issue detail queries read.
CREATE VIEW errtrack.issue_events AS
SELECT coalesce(f.issue_id, i.issue_id) AS issue_id, e.*
  FROM errtrack.error_events e
  LEFT JOIN errtrack.issue_fingerprints f
         ON f.service OPERATOR(pg_catalog.=) e.service AND f.fingerprint OPERATOR(pg_catalog.=) e.fingerprint
  LEFT JOIN errtrack.issues i
         ON f.issue_id IS NULL
        AND i.service OPERATOR(pg_catalog.=) e.service AND i.fingerprint OPERATOR(pg_catalog.=) e.fingerprint
 WHERE coalesce(f.issue_id, i.issue_id) IS NOT NULL;

COMMENT ON VIEW errtrack.issue_events IS
'stored error events (errtrack.error_events) with the issue they lead to now: through errtrack.issue_fingerprints (merged issues, fingerprints of later algorithms, refactor joins), else the issue of their own (service, fingerprint); events of no issue yet (not refreshed) are left out; per-issue detail: WHERE issue_id = N';
GRANT SELECT ON errtrack.issue_events TO errtrack_reader;

-- Undo a merge or a refactor join for one fingerprint: its stored events
-- become an issue of their own, and its later events count there.
CREATE FUNCTION errtrack.split_fingerprint(service text, fingerprint uuid)
RETURNS errtrack.issues
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    f errtrack.issue_fingerprints;
    src errtrack.issues;
    prev errtrack.issues;
    res errtrack.issues;
    cfg errtrack.settings;
    n bigint;
    v_run bigint;
BEGIN
    -- no refresh in between: it would count the fingerprint's events on the old issue meanwhile
    SELECT st.runs INTO v_run FROM errtrack.refresh_state st FOR UPDATE;
    SELECT * INTO cfg FROM errtrack.settings;
    SELECT * INTO f FROM errtrack.issue_fingerprints a
     WHERE a.service = split_fingerprint.service AND a.fingerprint = split_fingerprint.fingerprint FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'fingerprint % of service % leads to no issue', split_fingerprint.fingerprint,
              split_fingerprint.service USING ERRCODE = 'no_data_found';
    END IF;
    SELECT * INTO src FROM errtrack.issues i WHERE i.issue_id = f.issue_id FOR UPDATE;
    IF src.fingerprint = f.fingerprint THEN
        RAISE EXCEPTION 'fingerprint % is the key of issue % itself', f.fingerprint, src.issue_id
              USING ERRCODE = 'invalid_parameter_value',
                    HINT = 'Split the fingerprints that were merged or joined into it.';
    END IF;
    CREATE TEMP TABLE errtrack_split_events ON COMMIT DROP AS
    SELECT e.trace_id, e.span_id, e.start_time, e.version, e.error_type, e.error_message, e.error_stack
      FROM errtrack.error_events e
     WHERE e.service = f.service AND e.fingerprint = f.fingerprint;
    SELECT count(*) INTO n FROM pg_temp.errtrack_split_events;
    IF n = 0 THEN
        DROP TABLE pg_temp.errtrack_split_events;
        RAISE EXCEPTION 'no stored event of fingerprint % of service %: nothing to split', f.fingerprint, f.service
              USING ERRCODE = 'no_data_found';
    END IF;

    -- the new issue, from the stored events; an issue merged away earlier with this key (excluded,
    -- merged_into set) comes back instead: un-merged
    SELECT * INTO prev FROM errtrack.issues i
     WHERE i.service = f.service AND i.fingerprint = f.fingerprint FOR UPDATE;
    IF FOUND THEN
        DELETE FROM errtrack.issue_buckets b WHERE b.issue_id = prev.issue_id;
        DELETE FROM errtrack.issue_versions v WHERE v.issue_id = prev.issue_id;
    END IF;
    INSERT INTO errtrack.issues AS i
        (service, fingerprint, fingerprint_kind, error_type, message, first_seen, last_seen, event_count,
         first_version, last_version, sample_trace_id, sample_span_id, sample_time, sample_score,
         sample_message, sample_stack, last_refresh_run)
    SELECT f.service, f.fingerprint, CASE WHEN f.algorithm = 'custom' THEN 'custom' ELSE 'computed' END,
           first.error_type, first.error_message, g.first_seen, g.last_seen, n, g.first_version, g.last_version,
           (g.sample->>'trace_id')::uuid, (g.sample->>'span_id')::bigint, (g.sample->>'time')::timestamptz,
           (g.sample->>'score')::integer, g.sample->>'message', g.sample->>'stack', v_run
      FROM (SELECT min(e.start_time) AS first_seen, max(e.start_time) AS last_seen,
                   (array_agg(e.version ORDER BY e.start_time, e.span_id) FILTER (WHERE e.version IS NOT NULL))[1] AS first_version,
                   (array_agg(e.version ORDER BY e.start_time DESC, e.span_id DESC) FILTER (WHERE e.version IS NOT NULL))[1] AS last_version,
                   errtrack.latest_sample(e.trace_id, e.span_id, e.start_time, e.error_type, e.error_message, e.error_stack) AS sample
              FROM pg_temp.errtrack_split_events e) g,
           LATERAL (SELECT e.error_type, e.error_message FROM pg_temp.errtrack_split_events e
                     ORDER BY e.start_time, e.span_id LIMIT 1) first
    ON CONFLICT ON CONSTRAINT issues_service_fingerprint_key DO UPDATE
       SET status = 'for_review', merged_into = NULL, is_regression = false, resolved_at = NULL,
           status_changed_at = now(), event_count = excluded.event_count, first_seen = excluded.first_seen,
           last_seen = excluded.last_seen, first_version = excluded.first_version,
           last_version = excluded.last_version, sample_trace_id = excluded.sample_trace_id,
           sample_span_id = excluded.sample_span_id, sample_time = excluded.sample_time,
           sample_score = excluded.sample_score, sample_message = excluded.sample_message,
           sample_stack = excluded.sample_stack, last_refresh_run = excluded.last_refresh_run
    RETURNING * INTO res;

    -- its events, buckets and versions move from the old issue
    INSERT INTO errtrack.issue_buckets (issue_id, bucket, events)
    SELECT res.issue_id, date_bin(cfg.bucket_width, e.start_time, '2000-01-01 00:00:00+00'::timestamptz), count(*)
      FROM pg_temp.errtrack_split_events e GROUP BY 2;
    UPDATE errtrack.issue_buckets b SET events = b.events - m.events
      FROM errtrack.issue_buckets m
     WHERE m.issue_id = res.issue_id AND b.issue_id = src.issue_id AND b.bucket = m.bucket;
    DELETE FROM errtrack.issue_buckets b WHERE b.issue_id = src.issue_id AND b.events <= 0;
    INSERT INTO errtrack.issue_versions (issue_id, version, events, first_seen, last_seen)
    SELECT res.issue_id, e.version, count(*), min(e.start_time), max(e.start_time)
      FROM pg_temp.errtrack_split_events e WHERE e.version IS NOT NULL GROUP BY e.version;
    UPDATE errtrack.issue_versions v SET events = v.events - m.events
      FROM errtrack.issue_versions m
     WHERE m.issue_id = res.issue_id AND v.issue_id = src.issue_id AND v.version = m.version;
    DELETE FROM errtrack.issue_versions v WHERE v.issue_id = src.issue_id AND v.events <= 0;
    UPDATE errtrack.issues i SET event_count = greatest(i.event_count - n, 0) WHERE i.issue_id = src.issue_id;

    -- later events of the fingerprint count on the new issue (never joined again: it has its alias)
    UPDATE errtrack.issue_fingerprints a SET issue_id = res.issue_id, joined_at = NULL
     WHERE a.service = f.service AND a.fingerprint = f.fingerprint;

    INSERT INTO errtrack.issue_history (issue_id, old_status, new_status, reason, changed_by, note)
    VALUES (res.issue_id, prev.status, res.status, CASE WHEN prev.issue_id IS NULL THEN 'new' ELSE 'manual' END,
            CURRENT_USER::text,
            format('split from issue %s (fingerprint %s, %s stored events)', src.issue_id, f.fingerprint, n)),
           (src.issue_id, src.status, src.status, 'manual', CURRENT_USER::text,
            format('fingerprint %s split into issue %s (%s stored events moved)', f.fingerprint, res.issue_id, n));
    DROP TABLE pg_temp.errtrack_split_events;
    RETURN res;
END;
$$;

COMMENT ON FUNCTION errtrack.split_fingerprint(text, uuid) IS
'admin: undoes a merge or a refactor join for one fingerprint of a service: its stored error events become a new issue (counts, buckets, versions and the sample recomputed from them, and taken off the old issue), its alias moves to the new issue so later events count there, and both issues record it in errtrack.issue_history; an issue merged away with that fingerprint as its key comes back (un-merged) instead of a new one; the old issue''s first/last seen stay; an issue''s own fingerprint cannot be split off; returns the new (or revived) issue';
REVOKE EXECUTE ON FUNCTION errtrack.split_fingerprint(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION errtrack.split_fingerprint(text, uuid) TO errtrack_admin;
GRANT INSERT ON errtrack.issues TO errtrack_admin;

-- (CREATE OR REPLACE resets what it does not name: SECURITY DEFINER as in 50_security.sql)
ALTER FUNCTION errtrack.refresh(interval) SECURITY DEFINER;

REVOKE EXECUTE ON FUNCTION errtrack.join_signature(text, text, text),
    errtrack.signatures_join(bigint[], bigint[], bigint[], bigint[], bigint[], bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION errtrack.join_signature(text, text, text),
    errtrack.signatures_join(bigint[], bigint[], bigint[], bigint[], bigint[], bigint[]) TO PUBLIC;

-- The migration: every stored error event and issue sample gets its fp2
-- fingerprint as an alias of the issue its fp1 fingerprint found, so the
-- issues of 0.1.0 keep receiving their events.
SELECT errtrack.remap_fingerprints('fp1', 'fp2');
