-- tools/demo.sql — what a person wants to see once spans are ingested.
--   psql -d <db> -f tools/demo.sql            (optionally: -v issue=<issue_id>)
\pset pager off
\pset null '·'
\set QUIET on

\echo '== refresh: turn new error events into issues =='
SELECT events_processed, issues_created, issues_updated, regressions, auto_resolved
  FROM errtrack.refresh('0');

\echo
\echo '== top issues (last 24 hours of each issue, hourly) =='
SELECT i.issue_id AS id,
       i.service,
       left(i.error_type, 28) AS type,
       left(i.message, 48) AS message,
       i.event_count AS events,
       to_char(i.first_seen AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS first_seen,
       to_char(i.last_seen AT TIME ZONE 'UTC', 'MM-DD HH24:MI') AS last_seen,
       coalesce(i.first_version, '·') || CASE WHEN i.last_version IS DISTINCT FROM i.first_version
                                             THEN ' → ' || i.last_version ELSE '' END AS versions,
       i.status || CASE WHEN i.is_regression THEN ' (regression)' ELSE '' END AS status,
       errtrack.sparkline(h.counts) AS last_24h
  FROM errtrack.issues i
  CROSS JOIN LATERAL (
        SELECT errtrack.histogram(b.bucket, date_trunc('hour', i.last_seen) - interval '23 hours',
                                  date_trunc('hour', i.last_seen) + interval '1 hour', 24, b.events) AS counts
          FROM errtrack.issue_buckets b
         WHERE b.issue_id = i.issue_id
           AND b.bucket >= date_trunc('hour', i.last_seen) - interval '23 hours') h
 WHERE i.status IN ('for_review', 'reviewed')
 ORDER BY i.event_count DESC, i.last_seen DESC
 LIMIT 15;

\echo
\echo '== refactor joins: a deploy moved code into a new helper; the new fingerprint joined the issue =='
SELECT i.issue_id AS id, i.service, left(i.message, 48) AS message,
       (SELECT count(*) FROM errtrack.issue_fingerprints f WHERE f.issue_id = i.issue_id) AS fingerprints,
       (SELECT count(*) FROM errtrack.issue_fingerprints f
         WHERE f.issue_id = i.issue_id AND f.joined_at IS NOT NULL) AS joined,
       (SELECT string_agg(v.version || ': ' || v.events, ', ' ORDER BY v.version)
          FROM errtrack.issue_versions v WHERE v.issue_id = i.issue_id) AS events_by_version
  FROM errtrack.issues i
 WHERE i.issue_id IN (SELECT j.issue_id FROM errtrack.issue_fingerprints j WHERE j.joined_at IS NOT NULL)
 ORDER BY i.issue_id;

-- the issue to detail: -v issue=N, else the one with most events
\if :{?issue}
\else
SELECT issue_id AS issue FROM errtrack.issues ORDER BY event_count DESC, issue_id LIMIT 1 \gset
\endif

\echo
\echo '== issue' :issue '=='
\x on
SELECT issue_id, service, error_type, message, status, is_regression, event_count,
       first_seen, last_seen, first_version, last_version,
       sample_trace_id AS latest_trace_id, sample_span_id AS latest_span_id, sample_time
  FROM errtrack.issues WHERE issue_id = :issue;
\x off

\echo '-- impacted spans (top values)'
SELECT d.key AS tag,
       string_agg(format('%s (%s)', v->>'value', v->>'count'), ', ' ORDER BY (v->>'count')::bigint DESC, v->>'value') AS top_values
  FROM (SELECT errtrack.tag_distribution(e.host, e.container_id, e.version, e.env, e.resource) AS dist
          FROM errtrack.issue_events e
         WHERE e.issue_id = :issue) t
  CROSS JOIN LATERAL jsonb_each(t.dist) d
  CROSS JOIN LATERAL jsonb_array_elements(d.value) v
 GROUP BY d.key ORDER BY d.key;

\echo '-- latest stack (most relevant sample)'
SELECT sample_stack AS stack FROM errtrack.issues WHERE issue_id = :issue;

\echo '-- timeline'
SELECT to_char(b.bucket AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS bucket_utc, b.events,
       repeat('█', greatest(1, (40.0 * b.events / max(b.events) OVER ())::int)) AS bar
  FROM errtrack.issue_buckets b WHERE b.issue_id = :issue ORDER BY b.bucket DESC LIMIT 24;

\echo '-- history'
SELECT changed_at, old_status, new_status, reason, changed_by, note
  FROM errtrack.issue_history WHERE issue_id = :issue ORDER BY history_id;
