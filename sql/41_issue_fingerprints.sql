SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;

-- Fingerprint aliases (errtrack.issue_fingerprints) and errtrack.merge_issues().
UPDATE errtrack.settings SET auto_resolve_after = NULL, settle_window = '0', notify = false;

CREATE FUNCTION pg_temp.err(span bigint, svc text, at text, typ text, msg text, ver text DEFAULT 'v1',
                            fp text DEFAULT NULL)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type, error_message,
                                error_fingerprint, version)
    VALUES (('00000000-0000-0000-0000-' || lpad(span::text, 12, '0'))::uuid, span, svc, at::timestamptz, true,
            typ, msg, fp, ver)
$$;

-- three issues of web (two computed fingerprints, one custom), one of api
SELECT pg_temp.err(1, 'web', '2024-05-01 10:05+00', 'KeyError', 'missing id 1');
SELECT pg_temp.err(2, 'web', '2024-05-01 10:10+00', 'KeyError', 'missing id 2');
SELECT pg_temp.err(3, 'web', '2024-05-01 11:00+00', 'ValueError', 'bad value', 'v2');
SELECT pg_temp.err(4, 'web', '2024-05-01 12:00+00', 'X', 'y', fp => 'my-key');
SELECT pg_temp.err(5, 'api', '2024-05-01 12:00+00', 'KeyError', 'missing id 3');
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();

-- every new issue has its alias: the fingerprint that created it, with its algorithm
SELECT i.issue_id, i.service, i.error_type, i.event_count, f.algorithm,
       f.fingerprint = i.fingerprint AS own_fingerprint
  FROM errtrack.issues i JOIN errtrack.issue_fingerprints f USING (issue_id)
 ORDER BY i.issue_id;
SELECT count(*) = (SELECT count(*) FROM errtrack.issues) AS one_alias_per_issue FROM errtrack.issue_fingerprints;

SELECT issue_id AS key_issue FROM errtrack.issues WHERE service = 'web' AND error_type = 'KeyError' \gset
SELECT issue_id AS value_issue FROM errtrack.issues WHERE error_type = 'ValueError' \gset
SELECT issue_id AS api_issue FROM errtrack.issues WHERE service = 'api' \gset

-- A later algorithm: its fingerprint of a known error is mapped onto the
-- existing issue, so events with that fingerprint count there.  (Simulated:
-- the custom fingerprint 'moved-key' stands for the new algorithm's value.)
INSERT INTO errtrack.issue_fingerprints (service, fingerprint, algorithm, issue_id)
VALUES ('web', errtrack.fingerprint_custom('moved-key'), 'fp2', :key_issue);
SELECT pg_temp.err(6, 'web', '2024-05-01 13:00+00', 'KeyError', 'missing id 6', fp => 'moved-key');
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();
SELECT issue_id = :key_issue AS same_issue, event_count, last_seen FROM errtrack.issues WHERE issue_id = :key_issue;
SELECT count(*) AS issues FROM errtrack.issues;

-- Merge ValueError into KeyError ------------------------------------------------
SELECT status FROM errtrack.set_status(:value_issue, 'resolved');
SELECT issue_id = :key_issue AS is_target, event_count, first_seen, last_seen, first_version, last_version,
       status, merged_into
  FROM errtrack.merge_issues(:key_issue, :value_issue);
SELECT issue_id = :value_issue AS is_source, status, event_count, merged_into = :key_issue AS merged_into_target
  FROM errtrack.issues WHERE issue_id = :value_issue;
-- buckets and versions moved (10:00 has 2 events, 11:00 the merged one, 13:00 one)
SELECT bucket, events FROM errtrack.issue_buckets WHERE issue_id = :key_issue ORDER BY bucket;
SELECT count(*) AS source_buckets FROM errtrack.issue_buckets WHERE issue_id = :value_issue;
SELECT version, events FROM errtrack.issue_versions WHERE issue_id = :key_issue ORDER BY version;
SELECT count(*) AS source_versions FROM errtrack.issue_versions WHERE issue_id = :value_issue;
-- the source's fingerprint leads to the target now
SELECT algorithm, issue_id = :key_issue AS to_target FROM errtrack.issue_fingerprints
 WHERE service = 'web' ORDER BY algorithm, issue_id;
SELECT issue_id = :value_issue AS is_source, old_status, new_status, reason, note
  FROM errtrack.issue_history WHERE reason = 'merge' ORDER BY history_id;

-- a new event of the source's error counts on the target (no new issue, no regression)
SELECT pg_temp.err(7, 'web', '2024-05-01 14:00+00', 'ValueError', 'bad value', 'v2');
SELECT events_processed, issues_created, issues_updated, regressions FROM errtrack.refresh();
SELECT event_count, last_seen FROM errtrack.issues WHERE issue_id = :key_issue;
SELECT event_count FROM errtrack.issues WHERE issue_id = :value_issue;

-- counts still add up: every event counted once, on the issue its alias names
SELECT (SELECT sum(event_count) FROM errtrack.issues) AS counted,
       (SELECT count(*) FROM errtrack.error_events) AS events,
       (SELECT count(*) FROM errtrack.error_events e
          JOIN errtrack.issue_fingerprints f USING (service, fingerprint)) AS events_with_alias;
SELECT f.issue_id, count(*) AS events, i.event_count
  FROM errtrack.error_events e JOIN errtrack.issue_fingerprints f USING (service, fingerprint)
  JOIN errtrack.issues i ON i.issue_id = f.issue_id
 GROUP BY f.issue_id, i.event_count ORDER BY 1;

-- errors
SELECT errtrack.merge_issues(:key_issue, :key_issue);
SELECT errtrack.merge_issues(:key_issue, :value_issue);
SELECT errtrack.merge_issues(:value_issue, :key_issue);
SELECT errtrack.merge_issues(:key_issue, :api_issue);
SELECT errtrack.merge_issues(:key_issue, 12345);
SELECT errtrack.merge_issues(NULL, :key_issue) IS NULL AS strict;

-- an issue created before aliases existed (no alias row) is still found, and gets its alias
DELETE FROM errtrack.issue_fingerprints WHERE issue_id = :api_issue;
SELECT pg_temp.err(8, 'api', '2024-05-01 15:00+00', 'KeyError', 'missing id 8');
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();
SELECT event_count FROM errtrack.issues WHERE issue_id = :api_issue;
SELECT algorithm FROM errtrack.issue_fingerprints WHERE issue_id = :api_issue;

-- deleting an issue removes its aliases
DELETE FROM errtrack.issues WHERE issue_id = :api_issue;
SELECT count(*) FROM errtrack.issue_fingerprints WHERE issue_id = :api_issue;

-- errtrack.remap_fingerprints(from, to): after an algorithm change, every
-- stored event's fingerprint under `to` leads to the issue its fingerprint
-- under `from` found.  (Exercised here from fp2, the current algorithm, to
-- fp1: the mechanics are the same; test/upgrade covers the real fp1 -> fp2
-- update.)  Native traces, where fp1 and fp2 take different frames:
SELECT pg_temp.err(20 + g, 'native', '2024-05-01 16:00+00', 'SIGSEGV', NULL) FROM generate_series(1, 3) g;
UPDATE errtrack.spans SET error_stack = E'#0  0x00007f1a2b3c4d5e in ?? () from /usr/lib/libfoo.so.1\n'
    || E'#1  0x000055d0c0de1234 in render_frame (w=0x55d0c1e2f3a0) at src/render.c:' || span_id || E'\n'
    || E'#2  0x000055d0c0de2345 in main_loop () at src/main.c:40'
 WHERE service = 'native';
SELECT events_processed, issues_created FROM errtrack.refresh();
SELECT issue_id AS native_issue FROM errtrack.issues WHERE service = 'native' \gset
SELECT errtrack.remap_fingerprints('fp2', 'fp1') AS aliases_added;
SELECT errtrack.remap_fingerprints('fp2', 'fp1') AS again_idempotent;
SELECT errtrack.remap_fingerprints('fp1', 'fp1') AS same_algorithm;
SELECT f.algorithm, f.issue_id = :native_issue AS to_its_issue,
       f.fingerprint = errtrack.fingerprint('SIGSEGV', NULL, s.error_stack, 'fp1') AS fp1_value
  FROM errtrack.issue_fingerprints f, (SELECT error_stack FROM errtrack.spans WHERE service = 'native' LIMIT 1) s
 WHERE f.service = 'native' ORDER BY f.algorithm;
-- every computed error event that reaches an issue (the api issue was deleted
-- above) reaches the same issue through its fp1 value
SELECT count(*) AS events, count(*) FILTER (WHERE f1.issue_id = f.issue_id) AS same_issue_by_fp1
  FROM errtrack.error_events e
  JOIN errtrack.issue_fingerprints f ON f.service = e.service AND f.fingerprint = e.fingerprint
  LEFT JOIN errtrack.issue_fingerprints f1
         ON f1.service = e.service AND f1.fingerprint = errtrack.fingerprint(e.error_type, e.error_message, e.error_stack, 'fp1')
 WHERE e.fingerprint_kind = 'computed';
SELECT errtrack.remap_fingerprints('fp2', 'fp9');
SELECT errtrack.remap_fingerprints(NULL, 'fp1') IS NULL AS strict;
