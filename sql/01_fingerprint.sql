-- Fingerprint and normalisation functions: NULLs, empties, labels, errors.
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;

SELECT errtrack.fingerprint_version();

-- NULL and empty arguments: never NULL, NULL == empty
-- algorithms by name: fp1 (errtrack 0.1.0) stays computable, the default is the current one
SELECT errtrack.fingerprint('Error', 'User 12345 not found', NULL, 'fp1') AS fp1_golden,
       errtrack.fingerprint('Error', 'User 12345 not found', NULL, 'fp2') AS fp2_golden,
       errtrack.fingerprint('Error', 'User 12345 not found', NULL)
         = errtrack.fingerprint('Error', 'User 12345 not found', NULL, errtrack.fingerprint_version()) AS default_is_current;
SELECT errtrack.fingerprint(NULL, NULL, NULL, 'fp1') = errtrack.fingerprint('', '', '', 'fp1') AS null_is_empty_fp1;
SELECT left(errtrack.fingerprint_explain('E', 'm', NULL, 'fp1'), 24) AS explain_fp1,
       left(errtrack.fingerprint_explain('E', 'm', NULL), 24) AS explain_current;
SELECT errtrack.fingerprint('E', 'm', 's', 'fp3');
SELECT errtrack.fingerprint('E', 'm', 's', 'FP1');
SELECT errtrack.fingerprint('E', 'm', 's', NULL);
SELECT errtrack.fingerprint_explain('E', 'm', 's', 'sha1');
SELECT errtrack.fingerprint(NULL, NULL, NULL) IS NOT NULL AS never_null,
       errtrack.fingerprint(NULL, NULL, NULL) = errtrack.fingerprint('', '', '') AS null_is_empty,
       errtrack.fingerprint('E', NULL, NULL) <> errtrack.fingerprint(NULL, NULL, NULL) AS type_counts;

-- STRICT functions return NULL on NULL
SELECT errtrack.normalize_message(NULL) IS NULL AS m,
       errtrack.normalize_stack(NULL) IS NULL AS s,
       errtrack.fingerprint_custom(NULL) IS NULL AS c,
       (SELECT count(*) FROM errtrack.parse_stack(NULL)) AS rows_for_null;

SELECT errtrack.normalize_message('') AS empty_message,
       errtrack.normalize_stack('') AS empty_stack,
       (SELECT count(*) FROM errtrack.parse_stack('')) AS rows_for_empty;

-- message templates
SELECT m, errtrack.normalize_message(m)
FROM (VALUES
  ('User 12345 not found'),
  ('Could not find user ''John Smith'''),
  ('duplicate key value violates unique constraint "users_email_key"'),
  ('Cannot read properties of undefined (reading ''id'')'),
  ('timeout after 5000ms talking to 10.0.12.7:5432'),
  ('order 123e4567-e89b-12d3-a456-426614174000 for bob@example.com failed at 2024-03-01T10:22:33.123Z'),
  ('GET https://api.example.com/v1/users/42?x=1 returned 503'),
  ('open /tmp/upload-8f3kd/file.csv: no such file or directory'),
  ('index out of range [5] with length 3'),
  ('session=9f8e7d6c5b4a3f2e1d0c rejected, retry=3 status=FAILED'),
  ('pointer 0x7ffd5e8a1c20 freed twice'),
  ('TypeError: x is not a function'),
  (E'first line 1\nsecond line 2')
) AS t(m);

-- since fp2 a quoted value made only of placeholders and separators is <str>
-- (a real Go message: strconv.ParseFloat of "9.9.9" is one bug with "abcx");
-- fp1 (errtrack 0.1.0) kept "<float>.<int>"
SELECT errtrack.normalize_message('invalid amount "9.9.9": strconv.ParseFloat: parsing "9.9.9": invalid syntax') AS template,
       errtrack.fingerprint('*fmt.wrapError', 'invalid amount "9.9.9": strconv.ParseFloat: parsing "9.9.9": invalid syntax', NULL)
     = errtrack.fingerprint('*fmt.wrapError', 'invalid amount "abcx": strconv.ParseFloat: parsing "abcx": invalid syntax', NULL) AS fp2_same,
       errtrack.fingerprint('*fmt.wrapError', 'invalid amount "9.9.9": strconv.ParseFloat: parsing "9.9.9": invalid syntax', NULL, 'fp1')
     = errtrack.fingerprint('*fmt.wrapError', 'invalid amount "abcx": strconv.ParseFloat: parsing "abcx": invalid syntax', NULL, 'fp1') AS fp1_same;
SELECT errtrack.normalize_message('duplicate key value violates unique constraint "users_email_key"') AS identifier_kept,
       errtrack.normalize_message('route "v2-api" not found') AS word_kept;

-- a stack-less error keys on type + message template: ids don't split it
SELECT errtrack.fingerprint('Error', 'User 12345 not found', NULL)
     = errtrack.fingerprint('Error', 'User 999 not found', NULL) AS same_template,
       errtrack.fingerprint('Error', 'User 12345 not found', NULL)
    <> errtrack.fingerprint('Error', 'Order 12345 not found', NULL) AS different_template;

-- codes split what the template alone would merge
SELECT errtrack.fingerprint('PSQLException', 'duplicate key value violates unique constraint "users_email_key"', NULL)
    <> errtrack.fingerprint('PSQLException', 'duplicate key value violates unique constraint "orders_ref_key"', NULL) AS constraints_split;

-- custom fingerprints: whitespace-insensitive, never equal to a computed one
SELECT errtrack.fingerprint_custom('checkout  timeout') = errtrack.fingerprint_custom(' checkout timeout ') AS ws_collapsed,
       errtrack.fingerprint_custom('') <> errtrack.fingerprint('', '', '') AS distinct_space;

-- labels: every function IMMUTABLE and PARALLEL SAFE, with a comment
SELECT p.proname, p.provolatile, p.proparallel, p.proisstrict, p.procost,
       obj_description(p.oid, 'pg_proc') IS NOT NULL AS has_comment
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'errtrack' AND p.proname IN
  ('fingerprint', 'fingerprint_explain', 'fingerprint_custom', 'fingerprint_version',
   'normalize_message', 'normalize_stack', 'parse_stack', '_raise_core_error')
ORDER BY 1;

-- core failures become clean SQL errors with a SQLSTATE; the session goes on
\set VERBOSITY sqlstate
SELECT errtrack._raise_core_error('invalid_input');
SELECT errtrack._raise_core_error('invalid_data');
SELECT errtrack._raise_core_error('too_large');
SELECT errtrack._raise_core_error('bad_alloc');
SELECT errtrack._raise_core_error('std_exception');
SELECT errtrack._raise_core_error('unknown');
\set VERBOSITY default
SELECT errtrack._raise_core_error('std_exception');
SELECT errtrack._raise_core_error('none') AS no_error;

-- an input over the documented 64 MB limit: 54000, session still fine
\set VERBOSITY sqlstate
SELECT errtrack.fingerprint('E', 'm', repeat('x', 64 * 1024 * 1024 + 1));
SELECT errtrack.normalize_stack(repeat('x', 64 * 1024 * 1024 + 1));
\set VERBOSITY default
SELECT errtrack.fingerprint('E', 'm', repeat(E'at x\n', 1000)) IS NOT NULL AS still_working;

-- inside a transaction, a core error aborts only that transaction
BEGIN;
SELECT errtrack._raise_core_error('invalid_input');
ROLLBACK;
SELECT 1 AS after_rollback;

-- a parallel plan can run the functions in workers
CREATE TABLE fp_par AS SELECT i, 'java.lang.IllegalStateException'::text AS t, 'boom ' || i AS m,
  E'java.lang.IllegalStateException: boom\n\tat com.acme.Foo.bar(Foo.java:' || (i % 50) || E')\n\tat com.acme.Main.main(Main.java:5)' AS s
FROM generate_series(1, 20000) i;
ANALYZE fp_par;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT count(DISTINCT errtrack.fingerprint(t, m, s)) FROM fp_par;
SELECT count(DISTINCT errtrack.fingerprint(t, m, s)) AS one_bug FROM fp_par;
RESET ALL;
DROP TABLE fp_par;

-- the stack cache: a per-backend budget (kB), 0 = off; out-of-range sizes are refused
SHOW errtrack.stack_cache_size;
SET errtrack.stack_cache_size = -1;
SET errtrack.stack_cache_size = '2GB';
SELECT entries > 0 AS stacks_kept FROM errtrack.stack_cache_stats();
-- a smaller size takes effect at once: the entries are dropped by the SET itself
SET errtrack.stack_cache_size = '64kB';
SELECT budget, entries, bytes FROM errtrack.stack_cache_stats();
SELECT p.proname, p.provolatile, p.proparallel, obj_description(p.oid, 'pg_proc') IS NOT NULL AS commented
FROM pg_proc p WHERE p.pronamespace = 'errtrack'::regnamespace AND p.proname = 'stack_cache_stats';
-- one stack, 50 messages: parsed once (a miss), reused 49 times (hits)
SELECT hits AS h0, misses AS m0 FROM errtrack.stack_cache_stats() \gset
SELECT count(DISTINCT errtrack.fingerprint('KeyError', 'k' || i,
  E'Traceback (most recent call last):\n  File "/srv/app/main.py", line 3, in <module>\n    d[k]\nKeyError: ''x''')) AS fps
FROM generate_series(1, 50) i;
SELECT hits - :h0 AS new_hits, misses - :m0 AS new_misses, entries FROM errtrack.stack_cache_stats();
RESET errtrack.stack_cache_size;

-- DROP EXTENSION leaves nothing behind
DROP EXTENSION errtrack;
SELECT count(*) AS schemas_left FROM pg_namespace WHERE nspname = 'errtrack';
SELECT count(*) AS functions_left FROM pg_proc WHERE proname LIKE 'errtrack%' OR prosrc LIKE 'errtrack_%';
