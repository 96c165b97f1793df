-- ---------------------------------------------------------------------------
-- Issues: incremental refresh from errtrack.spans, lifecycle, alerts, views.
-- See docs/issues.md for the semantics (watermark, settle window, regressions).
-- ---------------------------------------------------------------------------

CREATE TABLE errtrack.settings (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    settle_window interval NOT NULL DEFAULT '2 minutes' CHECK (settle_window >= '0'::interval),
    auto_resolve_after interval DEFAULT '14 days' CHECK (auto_resolve_after > '0'::interval),
    bucket_width interval NOT NULL DEFAULT '1 hour' CHECK (bucket_width > '0'::interval),
    notify boolean NOT NULL DEFAULT true,
    join_refactored boolean NOT NULL DEFAULT true
);

COMMENT ON TABLE errtrack.settings IS
'one row of settings for errtrack.refresh(): settle_window (how long a span waits for a late parent before it is counted), auto_resolve_after (quiet period, NULL disables), bucket_width (timeline buckets; set before the first refresh), notify (NOTIFY errtrack_alerts), join_refactored (a fingerprint new to a service joins the issue whose stack is its own with one frame inserted: errtrack.signatures_join)';

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
