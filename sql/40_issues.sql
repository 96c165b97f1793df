SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;

-- Deterministic: no auto-resolve against the wall clock, nothing waits to settle.
UPDATE errtrack.settings SET auto_resolve_after = NULL, settle_window = '0';

CREATE FUNCTION pg_temp.span(trace int, span bigint, parent bigint, svc text, at text, err boolean,
                             typ text DEFAULT NULL, msg text DEFAULT NULL, ver text DEFAULT NULL,
                             host text DEFAULT 'h1', stack text DEFAULT NULL, fp text DEFAULT NULL)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO errtrack.spans (trace_id, span_id, parent_id, service, resource, start_time, is_error,
                                error_type, error_message, error_stack, error_fingerprint, version, host, env)
    VALUES (('00000000-0000-0000-0000-' || lpad(trace::text, 12, '0'))::uuid, span, parent, svc, 'GET /',
            at::timestamptz, err, typ, msg, stack, fp, ver, host, 'prod')
$$;

-- trace 1: web root errors (entry), web child errors (not entry: same-service parent)
SELECT pg_temp.span(1, 1, NULL, 'web', '2024-05-01 10:00+00', true, 'KeyError', 'missing id 17', 'v1');
SELECT pg_temp.span(1, 2, 1, 'web', '2024-05-01 10:00+00', true, 'KeyError', 'inner', 'v1');
-- trace 1: a db span of another service under web: an entry span of "db"
SELECT pg_temp.span(1, 3, 2, 'db', '2024-05-01 10:00+00', true, 'Timeout', 'query timed out after 30s', 'v9');
-- trace 2: parent not stored: entry
SELECT pg_temp.span(2, 10, 999, 'web', '2024-05-01 11:30+00', true, 'KeyError', 'missing id 42', 'v1', 'h2');
-- trace 3: same error, custom fingerprint -> a different issue
SELECT pg_temp.span(3, 20, NULL, 'web', '2024-05-01 12:00+00', true, 'KeyError', 'missing id 5', 'v1', fp => 'checkout-key');
-- non-error spans never count
SELECT pg_temp.span(4, 30, NULL, 'web', '2024-05-01 12:00+00', false);

SELECT events_processed, issues_created, issues_updated, regressions, auto_resolved FROM errtrack.refresh();

SELECT issue_id, service, error_type, message, status, first_seen, last_seen, event_count,
       first_version, last_version, sample_span_id
  FROM errtrack.issues ORDER BY issue_id;

-- the same as a from-scratch recount over errtrack.error_events
SELECT count(*) AS mismatches
  FROM (SELECT service, fingerprint, count(*) AS n FROM errtrack.error_events GROUP BY 1, 2) e
  FULL JOIN errtrack.issues i USING (service, fingerprint)
 WHERE e.n IS DISTINCT FROM i.event_count;

-- nothing new: nothing processed, nothing counted twice
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();

-- more events of the first issue, later, in another hour
SELECT pg_temp.span(5, 40, NULL, 'web', '2024-05-01 13:10+00', true, 'KeyError', 'missing id 99', 'v1', 'h2');
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();
SELECT issue_id AS web_issue FROM errtrack.issues WHERE service = 'web' AND fingerprint_kind = 'computed' \gset
SELECT issue_id AS custom_issue FROM errtrack.issues WHERE fingerprint_kind = 'custom' \gset
SELECT event_count, last_seen, sample_span_id FROM errtrack.issues WHERE issue_id = :web_issue;
SELECT issue_id, bucket, events FROM errtrack.issue_buckets ORDER BY 1, 2;
SELECT kind, issue_id, service, error_type, version FROM errtrack.alerts ORDER BY alert_id;

-- Lifecycle ------------------------------------------------------------------
SELECT status FROM errtrack.set_status(:web_issue, 'reviewed', 'looking', 'alice');
SELECT status, resolved_at IS NOT NULL AS resolved FROM errtrack.set_status(:web_issue, 'resolved', 'fixed in v2', 'alice');
SELECT errtrack.set_status(:web_issue, 'fixed');
SELECT errtrack.set_status(12345, 'resolved');

-- seen again in the version it was known in: no regression
SELECT pg_temp.span(6, 50, NULL, 'web', '2024-05-02 09:00+00', true, 'KeyError', 'missing id 1', 'v1');
-- the service deploys v2 (any span reports it)
SELECT pg_temp.span(7, 60, NULL, 'web', '2024-05-03 09:00+00', false, ver => 'v2');
SELECT events_processed, regressions FROM errtrack.refresh();
SELECT status, is_regression, event_count FROM errtrack.issues WHERE issue_id = :web_issue;
-- an older version v0 (first seen before v1) raises it again: no regression
SELECT pg_temp.span(8, 70, NULL, 'web', '2024-04-01 09:00+00', false, ver => 'v0');
SELECT events_processed, regressions FROM errtrack.refresh();
SELECT pg_temp.span(9, 80, NULL, 'web', '2024-05-03 10:00+00', true, 'KeyError', 'missing id 2', 'v0');
SELECT events_processed, regressions FROM errtrack.refresh();
SELECT status, is_regression, event_count FROM errtrack.issues WHERE issue_id = :web_issue;
-- the newer version v2 raises it: regression, back to for_review
SELECT pg_temp.span(10, 90, NULL, 'web', '2024-05-03 11:00+00', true, 'KeyError', 'missing id 3', 'v2');
SELECT events_processed, regressions FROM errtrack.refresh();
SELECT status, is_regression, regressions, event_count, first_version, last_version FROM errtrack.issues WHERE issue_id = :web_issue;
SELECT version, events FROM errtrack.issue_versions WHERE issue_id = :web_issue ORDER BY version;

-- unversioned service: any later occurrence regresses
SELECT pg_temp.span(11, 100, NULL, 'cron', '2024-05-01 08:00+00', true, 'OSError', 'disk full');
SELECT issues_created FROM errtrack.refresh();
SELECT issue_id AS cron_issue FROM errtrack.issues WHERE service = 'cron' \gset
SELECT status FROM errtrack.set_status(:cron_issue, 'resolved');
SELECT pg_temp.span(12, 110, NULL, 'cron', '2024-05-01 08:05+00', true, 'OSError', 'disk full');
SELECT regressions FROM errtrack.refresh();
SELECT status, is_regression FROM errtrack.issues WHERE issue_id = :cron_issue;

-- excluded issues stop counting; choosing another state restarts collection
SELECT status FROM errtrack.set_status(:custom_issue, 'excluded');
SELECT pg_temp.span(13, 120, NULL, 'web', '2024-05-04 10:00+00', true, 'KeyError', 'missing id 6', 'v1', fp => 'checkout-key');
SELECT events_processed, issues_updated FROM errtrack.refresh();
SELECT event_count FROM errtrack.issues WHERE issue_id = :custom_issue;
SELECT status FROM errtrack.set_status(:custom_issue, 'ignored');

-- changed_by defaults to the session user, which depends on who runs the tests
SELECT i.issue_id, h.old_status, h.new_status, h.reason,
       CASE WHEN h.changed_by = CURRENT_USER::text THEN '<current_user>' ELSE h.changed_by END AS changed_by, h.note
  FROM errtrack.issue_history h JOIN errtrack.issues i USING (issue_id)
 ORDER BY h.history_id;
SELECT kind, issue_id, version FROM errtrack.alerts ORDER BY alert_id;

-- Auto-resolve: unversioned quiet issues resolve; versioned ones only once a newer version exists
SELECT errtrack.auto_resolve('14 days', '2024-05-10 00:00+00');
SELECT errtrack.auto_resolve('14 days', '2024-06-01 00:00+00');
SELECT issue_id, service, status, last_version FROM errtrack.issues ORDER BY issue_id;
SELECT pg_temp.span(14, 130, NULL, 'web', '2024-06-02 09:00+00', false, ver => 'v3');
SELECT events_processed FROM errtrack.refresh();
SELECT errtrack.auto_resolve('14 days', '2024-06-03 00:00+00');
SELECT issue_id, status FROM errtrack.issues WHERE issue_id = :web_issue;
SELECT reason, changed_by, old_status, new_status FROM errtrack.issue_history WHERE reason = 'auto_resolve' ORDER BY history_id;

-- Materialized views ---------------------------------------------------------------
SELECT errtrack.refresh_views();
REFRESH MATERIALIZED VIEW CONCURRENTLY errtrack.issue_summary;
SELECT issue_id, service, error_type, status, event_count, versions_seen, sparkline
  FROM errtrack.issue_summary ORDER BY issue_id;
SELECT issue_id, bucket, events FROM errtrack.issue_timeline WHERE issue_id = :web_issue ORDER BY bucket;

-- refresh is not parallel safe and is volatile; set_status too
SELECT proname, provolatile, proparallel FROM pg_proc
 WHERE pronamespace = 'errtrack'::regnamespace AND proname IN ('refresh', 'set_status', 'auto_resolve') ORDER BY 1;
