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
    PRIMARY KEY (service, fingerprint),
    anchor uuid,
    key_frames bigint[],
    path_frames bigint[],
    path_units bigint[],
    joined_at timestamptz
);

COMMENT ON TABLE errtrack.issue_fingerprints IS
'which issue the events of a (service, fingerprint) count on: written by errtrack.refresh() for every new issue (algorithm = errtrack.fingerprint_version() that computed the fingerprint, or custom), moved by errtrack.merge_issues(); insert rows (algorithm = the new version) to map the fingerprints of a later algorithm onto existing issues';
COMMENT ON COLUMN errtrack.issue_fingerprints.algorithm IS
'the fingerprint algorithm that produces this fingerprint (errtrack.fingerprint_version(), e.g. fp1) or custom (error.fingerprint tag)';

COMMENT ON COLUMN errtrack.issue_fingerprints.anchor IS
'refactor joins: errtrack.join_signature() of the fingerprint''s first event (anchor, key_frames, path_frames, path_units), NULL when it cannot join or was stored before 0.2.0';
COMMENT ON COLUMN errtrack.issue_fingerprints.joined_at IS
'set when errtrack.refresh() joined this new fingerprint to an existing issue because its stack is that issue''s with one frame inserted or removed (settings.join_refactored); NULL for the fingerprint that opened the issue';

CREATE INDEX issue_fingerprints_anchor_idx ON errtrack.issue_fingerprints (service, anchor, issue_id)
    WHERE anchor IS NOT NULL;

COMMENT ON INDEX errtrack.issue_fingerprints_anchor_idx IS
'refactor joins: the fingerprints of a service that a new one may join (same anchor), oldest issues first';

CREATE INDEX issue_fingerprints_issue_idx ON errtrack.issue_fingerprints (issue_id);

COMMENT ON INDEX errtrack.issue_fingerprints_issue_idx IS
'the aliases of an issue (merges, ON DELETE CASCADE)';

SELECT pg_catalog.pg_extension_config_dump('errtrack.issue_fingerprints', '');

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
