SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;

-- Refactor joins: a fingerprint new to a service joins the issue whose stack
-- is its own with one frame inserted (an extracted helper).  The stacks are
-- the corpus' Rust service (test/corpus): deploy 2 extracts cart_total()
-- between checkout() and parse_amount(); refund() is a look-alike (same panic,
-- same helper, another caller) and must stay apart.
UPDATE errtrack.settings SET auto_resolve_after = NULL, settle_window = '0', notify = false;

CREATE FUNCTION pg_temp.rust_stack(variadic frames text[]) RETURNS text LANGUAGE sql AS $$
    SELECT E'thread ''main'' panicked at src/service.rs:18:24:\ninvalid amount: ParseFloatError { kind: Invalid }\nstack backtrace:\n'
        || '   0: core::result::Result<T,E>::expect' || E'\n             at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/core/src/result.rs:1185:23\n'
        || string_agg(format(E'   %s: %s\n             at ./src/%s:%s:9', n, split_part(f, '@', 1), split_part(f, '@', 2), 10 * n),
                      E'\n' ORDER BY n)
      FROM unnest(frames) WITH ORDINALITY AS t(f, n)
$$;
CREATE FUNCTION pg_temp.checkout_v1() RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.rust_stack('main::service::parse_amount@service.rs', 'main::service::Service::checkout@service.rs',
                              'main::service::Service::dispatch@service.rs', 'main::main::{{closure}}@main.rs')
$$;
CREATE FUNCTION pg_temp.checkout_v2() RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.rust_stack('main::service::parse_amount@service.rs', 'main::service::Service::cart_total@service.rs',
                              'main::service::Service::checkout@service.rs', 'main::service::Service::dispatch@service.rs',
                              'main::main::{{closure}}@main.rs')
$$;
CREATE FUNCTION pg_temp.refund_v1() RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.rust_stack('main::service::parse_amount@service.rs', 'main::service::Service::refund@service.rs',
                              'main::service::Service::dispatch@service.rs', 'main::main::{{closure}}@main.rs')
$$;
-- the helper extracted into another module: not a refactor inside one unit
CREATE FUNCTION pg_temp.checkout_other_unit() RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.rust_stack('main::service::parse_amount@service.rs', 'main::cart::total@cart.rs',
                              'main::service::Service::checkout@service.rs', 'main::service::Service::dispatch@service.rs',
                              'main::main::{{closure}}@main.rs')
$$;
CREATE FUNCTION pg_temp.err(span bigint, svc text, at text, stack text, ver text DEFAULT 'v1')
RETURNS void LANGUAGE sql AS $$
    INSERT INTO errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type, error_message,
                                error_stack, version)
    VALUES (('00000000-0000-0000-0000-' || lpad(span::text, 12, '0'))::uuid, span, svc, at::timestamptz, true,
            'panic', 'invalid amount: ParseFloatError { kind: Invalid }', stack, ver)
$$;

-- Fingerprints: four different ones
SELECT count(DISTINCT errtrack.fingerprint('panic', 'invalid amount', s)) AS fingerprints
  FROM (VALUES (pg_temp.checkout_v1()), (pg_temp.checkout_v2()), (pg_temp.refund_v1()),
               (pg_temp.checkout_other_unit())) v(s);

-- Signatures: one anchor (same panic, same throw site); keys of three frames,
-- paths of four or five (the frames the key was chosen from), a unit each
SELECT v.name, s.anchor = (errtrack.join_signature('panic', 'invalid amount', pg_temp.checkout_v1())).anchor AS same_anchor,
       cardinality(s.key_frames) AS key_len, cardinality(s.path_frames) AS path_len,
       cardinality(s.path_units) AS units_len
  FROM (VALUES ('checkout_v1', pg_temp.checkout_v1()), ('checkout_v2', pg_temp.checkout_v2()),
               ('refund_v1', pg_temp.refund_v1()), ('other_unit', pg_temp.checkout_other_unit())) v(name, st)
 CROSS JOIN LATERAL errtrack.join_signature('panic', 'invalid amount', v.st) s
 ORDER BY v.name;

CREATE TEMP TABLE sig AS
SELECT v.name, s.*
  FROM (VALUES ('checkout_v1', pg_temp.checkout_v1()), ('checkout_v2', pg_temp.checkout_v2()),
               ('refund_v1', pg_temp.refund_v1()), ('other_unit', pg_temp.checkout_other_unit())) v(name, st)
 CROSS JOIN LATERAL errtrack.join_signature('panic', 'invalid amount', v.st) s;
-- which pairs join: only checkout v1 with checkout v2 (both ways)
SELECT a.name AS a, b.name AS b,
       errtrack.signatures_join(a.key_frames, a.path_frames, a.path_units, b.key_frames, b.path_frames, b.path_units) AS joins
  FROM sig a JOIN sig b ON a.name < b.name
 ORDER BY 1, 2;
SELECT errtrack.signatures_join(b.key_frames, b.path_frames, b.path_units, a.key_frames, a.path_frames, a.path_units) AS symmetric
  FROM sig a, sig b WHERE a.name = 'checkout_v1' AND b.name = 'checkout_v2';

-- Errors that cannot join: a single frame, no stack, a library's frames only
SELECT s.* FROM errtrack.join_signature('panic', 'x', pg_temp.rust_stack('main::service::parse_amount@service.rs')) s;
SELECT s.* FROM errtrack.join_signature('KeyError', 'missing id 1', NULL) s;
SELECT s.anchor IS NULL AS not_joinable
  FROM errtrack.join_signature('ValueError', 'bad', E'Traceback (most recent call last):\n  File "/usr/lib/python3.11/json/decoder.py", line 337, in decode\n    obj, end = self.raw_decode(s, idx=_w(s, 0).end())\n  File "/usr/lib/python3.11/json/decoder.py", line 355, in raw_decode\n    raise JSONDecodeError("Expecting value", s, err.value) from None\nValueError: bad') s;

-- Bad arrays are refused with a clear error
SELECT errtrack.signatures_join('{1,2}', '{1,3,2}', '{1,1}', '{1,2}', '{1,2}', '{1,1}');
SELECT errtrack.signatures_join('{{1,2},{3,4}}', '{1,3,2}', '{1,1,1}', '{1,2}', '{1,2}', '{1,1}');
SELECT errtrack.signatures_join('{1,NULL}', '{1,3,2}', '{1,1,1}', '{1,2}', '{1,2}', '{1,1}');
SELECT errtrack.signatures_join(NULL, '{1,3,2}', '{1,1,1}', '{1,2}', '{1,2}', '{1,1}') IS NULL AS strict;

-- Refresh: deploy 1 opens two issues (checkout, refund) ---------------------------
SELECT pg_temp.err(1, 'shop', '2024-05-01 10:00+00', pg_temp.checkout_v1());
SELECT pg_temp.err(2, 'shop', '2024-05-01 10:05+00', pg_temp.checkout_v1());
SELECT pg_temp.err(3, 'shop', '2024-05-01 10:10+00', pg_temp.refund_v1());
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();
SELECT issue_id AS checkout_issue FROM errtrack.issues
 WHERE fingerprint = errtrack.fingerprint('panic', 'invalid amount: ParseFloatError { kind: Invalid }', pg_temp.checkout_v1()) \gset
-- every new fingerprint stored its signature
SELECT count(*) AS with_signature FROM errtrack.issue_fingerprints WHERE anchor IS NOT NULL AND joined_at IS NULL;

-- deploy 2: the refactored checkout joins the checkout issue (no new issue, no alert)
SELECT pg_temp.err(4, 'shop', '2024-05-01 11:00+00', pg_temp.checkout_v2(), 'v2');
SELECT pg_temp.err(5, 'shop', '2024-05-01 11:05+00', pg_temp.checkout_v2(), 'v2');
SELECT pg_temp.err(6, 'shop', '2024-05-01 11:10+00', pg_temp.checkout_other_unit(), 'v2');
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();
SELECT issue_id = :checkout_issue AS checkout, event_count, first_version, last_version
  FROM errtrack.issues WHERE service = 'shop' ORDER BY issue_id;
SELECT f.issue_id = :checkout_issue AS to_checkout, f.joined_at IS NOT NULL AS joined, f.anchor IS NOT NULL AS signed
  FROM errtrack.issue_fingerprints f WHERE f.service = 'shop' ORDER BY f.created_at, f.joined_at NULLS FIRST, f.issue_id;
SELECT version, events FROM errtrack.issue_versions WHERE issue_id = :checkout_issue ORDER BY version;
SELECT sum(events) AS bucket_events FROM errtrack.issue_buckets WHERE issue_id = :checkout_issue;
SELECT kind, count(*) FROM errtrack.alerts GROUP BY kind ORDER BY kind;

-- One batch holding both deploys: one issue with the events of both ----------------
SELECT pg_temp.err(11, 'shop-b', '2024-05-01 10:00+00', pg_temp.checkout_v1());
SELECT pg_temp.err(12, 'shop-b', '2024-05-01 10:30+00', pg_temp.checkout_v2(), 'v2');
SELECT pg_temp.err(13, 'shop-b', '2024-05-01 10:40+00', pg_temp.checkout_v2(), 'v2');
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();
SELECT event_count, first_seen, last_seen, first_version, last_version
  FROM errtrack.issues WHERE service = 'shop-b';
-- the sample is the best of both fingerprints' events (the newest: deploy 2's span 13)
SELECT sample_span_id FROM errtrack.issues WHERE service = 'shop-b';
SELECT count(*) AS aliases, count(joined_at) AS joined FROM errtrack.issue_fingerprints WHERE service = 'shop-b';
SELECT sum(b.events) AS bucket_events FROM errtrack.issue_buckets b JOIN errtrack.issues i USING (issue_id)
 WHERE i.service = 'shop-b';
-- the new deploy seen first: the old stack joins it too
SELECT pg_temp.err(21, 'shop-c', '2024-05-01 10:00+00', pg_temp.checkout_v2(), 'v2');
SELECT events_processed, issues_created FROM errtrack.refresh();
SELECT pg_temp.err(22, 'shop-c', '2024-05-01 10:30+00', pg_temp.checkout_v1());
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();
SELECT count(*) AS issues, sum(event_count) AS events FROM errtrack.issues WHERE service = 'shop-c';
-- another service never joins
SELECT pg_temp.err(31, 'billing', '2024-05-01 12:00+00', pg_temp.checkout_v2(), 'v2');
SELECT events_processed, issues_created FROM errtrack.refresh();

-- An excluded issue is not joined: the refactored stack opens its own issue
SELECT pg_temp.err(41, 'shop-d', '2024-05-01 10:00+00', pg_temp.checkout_v1());
SELECT issues_created FROM errtrack.refresh();
SELECT status FROM errtrack.set_status((SELECT issue_id FROM errtrack.issues WHERE service = 'shop-d'), 'excluded');
SELECT pg_temp.err(42, 'shop-d', '2024-05-01 11:00+00', pg_temp.checkout_v2(), 'v2');
SELECT issues_created FROM errtrack.refresh();

-- settings.join_refactored = false: every fingerprint opens its issue
UPDATE errtrack.settings SET join_refactored = false;
SELECT pg_temp.err(51, 'shop-e', '2024-05-01 10:00+00', pg_temp.checkout_v1());
SELECT pg_temp.err(52, 'shop-e', '2024-05-01 10:30+00', pg_temp.checkout_v2(), 'v2');
SELECT events_processed, issues_created FROM errtrack.refresh();
SELECT count(*) AS aliases, count(anchor) AS signed, count(joined_at) AS joined
  FROM errtrack.issue_fingerprints WHERE service = 'shop-e';
UPDATE errtrack.settings SET join_refactored = true;

-- a merge moves joined fingerprints with the rest: later events follow it
SELECT issue_id AS refund_issue FROM errtrack.issues
 WHERE service = 'shop' AND issue_id <> :checkout_issue ORDER BY issue_id LIMIT 1 \gset
SELECT event_count FROM errtrack.merge_issues(:refund_issue, :checkout_issue);
SELECT pg_temp.err(61, 'shop', '2024-05-01 13:00+00', pg_temp.checkout_v2(), 'v2');
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();
SELECT event_count FROM errtrack.issues WHERE issue_id = :refund_issue;

-- errtrack.issue_events: every stored event of an issue, through its aliases
-- (the joined deploy-2 events and the merged refund events count on the issue)
SELECT count(*) AS events, count(DISTINCT fingerprint) AS fingerprints,
       string_agg(DISTINCT version, ',' ORDER BY version) AS versions
  FROM errtrack.issue_events WHERE issue_id = :refund_issue;
SELECT (SELECT event_count FROM errtrack.issues WHERE issue_id = :refund_issue)
       = (SELECT count(*) FROM errtrack.issue_events WHERE issue_id = :refund_issue) AS equals_event_count;
-- a not yet refreshed event is in no issue
SELECT pg_temp.err(71, 'shop-z', '2024-05-01 13:00+00', pg_temp.checkout_v1());
SELECT count(*) AS unrefreshed FROM errtrack.issue_events WHERE service = 'shop-z';

-- Undoing a join: errtrack.split_fingerprint(service, fingerprint) -----------------
-- shop-b: one issue, checkout v1 (1 event) and the joined v2 (2 events)
SELECT errtrack.fingerprint('panic', 'invalid amount: ParseFloatError { kind: Invalid }', pg_temp.checkout_v2()) AS v2_fp \gset
SELECT issue_id AS b_issue FROM errtrack.issues WHERE service = 'shop-b' \gset
SET ROLE errtrack_admin;
SELECT issue_id <> :b_issue AS new_issue, fingerprint = :'v2_fp' AS its_key, event_count, first_version, last_version,
       status, sample_stack IS NOT NULL AS has_sample
  FROM errtrack.split_fingerprint('shop-b', :'v2_fp');
RESET ROLE;
SELECT issue_id = :b_issue AS old_issue, event_count, fingerprint = :'v2_fp' AS v2_key
  FROM errtrack.issues WHERE service = 'shop-b' ORDER BY issue_id;
SELECT i.issue_id = :b_issue AS old_issue, v.version, v.events
  FROM errtrack.issue_versions v JOIN errtrack.issues i USING (issue_id) WHERE i.service = 'shop-b' ORDER BY 1 DESC, 2;
SELECT i.issue_id = :b_issue AS old_issue, sum(b.events) AS bucket_events
  FROM errtrack.issue_buckets b JOIN errtrack.issues i USING (issue_id) WHERE i.service = 'shop-b' GROUP BY 1 ORDER BY 1 DESC;
SELECT f.issue_id = :b_issue AS to_old, f.joined_at IS NULL AS not_joined
  FROM errtrack.issue_fingerprints f WHERE f.service = 'shop-b' AND f.fingerprint = :'v2_fp';
SELECT reason, note ~ 'split' AS split_note FROM errtrack.issue_history h JOIN errtrack.issues i USING (issue_id)
 WHERE i.service = 'shop-b' ORDER BY h.history_id;
-- a later v2 event counts on the split issue, and is not joined again
SELECT pg_temp.err(14, 'shop-b', '2024-05-01 12:00+00', pg_temp.checkout_v2(), 'v2');
SELECT events_processed, issues_created, issues_updated FROM errtrack.refresh();
SELECT fingerprint = :'v2_fp' AS v2_key, event_count FROM errtrack.issues WHERE service = 'shop-b' ORDER BY issue_id;
-- errors: an issue's own fingerprint, an unknown one, one with no stored event (22023, P0002, P0002; 42501)
\set SHOW_CONTEXT never
SELECT errtrack.split_fingerprint('shop-b', (SELECT fingerprint FROM errtrack.issues WHERE issue_id = :b_issue));
SELECT errtrack.split_fingerprint('shop-b', '00000000-0000-0000-0000-000000000000');
INSERT INTO errtrack.issue_fingerprints (service, fingerprint, algorithm, issue_id)
VALUES ('shop-b', errtrack.fingerprint_custom('never-seen'), 'custom', :b_issue);
SELECT errtrack.split_fingerprint('shop-b', errtrack.fingerprint_custom('never-seen'));
-- not for readers
SET ROLE errtrack_reader;
SELECT errtrack.split_fingerprint('shop-b', :'v2_fp');
RESET ROLE;
\set SHOW_CONTEXT errors
-- un-merge: checkout's own fingerprint, merged into refund above, brings the checkout issue back
SELECT issue_id = :checkout_issue AS revived, status, merged_into, event_count
  FROM errtrack.split_fingerprint('shop',
         errtrack.fingerprint('panic', 'invalid amount: ParseFloatError { kind: Invalid }', pg_temp.checkout_v1()));
SELECT issue_id = :refund_issue AS refund, event_count FROM errtrack.issues
 WHERE issue_id IN (:checkout_issue, :refund_issue) ORDER BY issue_id;
SELECT old_status, new_status, reason FROM errtrack.issue_history WHERE issue_id = :checkout_issue ORDER BY history_id;
