SET client_min_messages = warning;
DROP EXTENSION IF EXISTS errtrack CASCADE;
CREATE EXTENSION errtrack;
RESET client_min_messages;

-- Least-privilege roles (src/sql/50_security.sql, docs/security.md).
-- The privilege listings below name every object of the schema: a new object
-- changes them on purpose (decide its grants in src/sql/50_security.sql).

-- The roles exist, cannot log in, and admin includes reader and writer.
SELECT r.rolname, r.rolcanlogin, r.rolsuper, r.rolcreaterole, r.rolcreatedb,
       pg_has_role('errtrack_admin', r.oid, 'MEMBER') AS admin_is_member
  FROM pg_roles r WHERE r.rolname LIKE 'errtrack\_%' ORDER BY 1;
SELECT pg_has_role('errtrack_writer', 'errtrack_reader', 'MEMBER') AS writer_reads;

-- Who may execute what (the owner, who may do everything, is left out).
SELECT p.oid::regprocedure AS function,
       string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END, ', '
                  ORDER BY CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END) AS execute,
       p.prosecdef AS security_definer
  FROM pg_proc p
  LEFT JOIN LATERAL aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
         ON a.grantee <> p.proowner
 WHERE p.pronamespace = 'errtrack'::regnamespace
 GROUP BY p.oid, p.prosecdef
 ORDER BY p.oid::regprocedure::text;

-- Table, view and sequence privileges (and column privileges), owner left out.
SELECT c.oid::regclass AS relation, c.relkind,
       string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
                  || '=' || a.privilege_type, ', ' ORDER BY 1, a.privilege_type) AS privileges
  FROM pg_class c
  LEFT JOIN LATERAL aclexplode(c.relacl) a ON a.grantee <> c.relowner
 WHERE c.relnamespace = 'errtrack'::regnamespace AND c.relkind <> 'i' AND c.relkind <> 'I'
 GROUP BY c.oid, c.relkind
 ORDER BY c.oid::regclass::text;
SELECT c.oid::regclass AS relation, at.attname,
       string_agg(a.grantee::regrole::text || '=' || a.privilege_type, ', ') AS column_privileges
  FROM pg_attribute at
  JOIN pg_class c ON c.oid = at.attrelid
  CROSS JOIN LATERAL aclexplode(at.attacl) a
 WHERE c.relnamespace = 'errtrack'::regnamespace AND at.attacl IS NOT NULL
 GROUP BY 1, 2 ORDER BY 1, 2;
SELECT n.nspname, string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
                             || '=' || a.privilege_type, ', ' ORDER BY 1) AS privileges
  FROM pg_namespace n
  CROSS JOIN LATERAL aclexplode(n.nspacl) a
 WHERE n.nspname = 'errtrack' AND a.grantee <> n.nspowner
 GROUP BY 1;

-- search_path safety: every SQL/plpgsql function pins search_path, only the
-- two documented functions are SECURITY DEFINER (expect no rows, then two).
SELECT p.oid::regprocedure AS unpinned
  FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
 WHERE p.pronamespace = 'errtrack'::regnamespace AND l.lanname IN ('sql', 'plpgsql')
   AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false);
SELECT p.oid::regprocedure AS security_definer, p.proconfig
  FROM pg_proc p WHERE p.pronamespace = 'errtrack'::regnamespace AND p.prosecdef ORDER BY 1;

-- Some data: one issue.
UPDATE errtrack.settings SET auto_resolve_after = NULL, settle_window = '0';
INSERT INTO errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type, error_message, version)
VALUES ('00000000-0000-0000-0000-000000000001', 1, 'web', '2024-05-01 10:00+00', true, 'KeyError', 'missing id 1', 'v1');
SELECT events_processed, issues_created FROM errtrack.refresh();

-- A role with no errtrack role at all stands for PUBLIC.
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_errtrack_nobody;
RESET client_min_messages;
CREATE ROLE regress_errtrack_nobody NOLOGIN;

-- try(role, statement): 'ok', '42501' (insufficient_privilege) or the error;
-- the statement is always rolled back, so every cell starts from the same data.
CREATE FUNCTION pg_temp.try(r text, stmt text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        EXECUTE format('SET LOCAL ROLE %I', r);
        EXECUTE stmt;
        RAISE SQLSTATE 'XXOK0';
    EXCEPTION
        WHEN SQLSTATE 'XXOK0' THEN RETURN 'ok';
        WHEN insufficient_privilege THEN RETURN '42501';
        WHEN OTHERS THEN RETURN SQLSTATE || ' ' || SQLERRM;
    END;
END
$$;

SELECT t.action,
       pg_temp.try('errtrack_reader', t.stmt) AS reader,
       pg_temp.try('errtrack_writer', t.stmt) AS writer,
       pg_temp.try('errtrack_admin', t.stmt) AS admin,
       pg_temp.try('regress_errtrack_nobody', t.stmt) AS public
  FROM (VALUES
    (1, 'read issues',          'SELECT count(*) FROM errtrack.issues'),
    (2, 'read alerts',          'SELECT count(*) FROM errtrack.alerts'),
    (3, 'read issue_history',   'SELECT count(*) FROM errtrack.issue_history'),
    (4, 'read error_events',    'SELECT count(*) FROM errtrack.error_events'),
    (5, 'read entry_spans',     'SELECT count(*) FROM errtrack.entry_spans'),
    (6, 'read spans',           'SELECT count(*) FROM errtrack.spans'),
    (7, 'read issue_summary',   'SELECT count(*) FROM errtrack.issue_summary'),
    (8, 'read issue_timeline',  'SELECT count(*) FROM errtrack.issue_timeline'),
    (9, 'read settings',        'SELECT count(*) FROM errtrack.settings'),
    (10, 'fingerprint',         'SELECT errtrack.fingerprint(''E'', ''m'', NULL)'),
    (11, 'aggregates',          'SELECT errtrack.top_values(x), errtrack.histogram(now(), now(), now() + ''1h'', 2) FROM (VALUES (''a'')) v(x)'),
    (12, 'INSERT spans',        'INSERT INTO errtrack.spans (trace_id, span_id, service, start_time) VALUES (''00000000-0000-0000-0000-000000000002'', 2, ''web'', now())'),
    (13, 'ingest_datadog',      'SELECT errtrack.ingest_datadog(''[[{"trace_id":3,"span_id":3,"service":"web","start":1,"duration":1}]]''::jsonb)'),
    (14, 'ingest_otlp',         'SELECT errtrack.ingest_otlp(''{"resourceSpans":[]}''::jsonb)'),
    (15, 'ingest msgpack',      'SELECT errtrack.ingest_datadog(''\x90''::bytea)'),
    (16, 'refresh',             'SELECT errtrack.refresh(''0'')'),
    (17, 'refresh_views',       'SELECT errtrack.refresh_views()'),
    (18, 'set_status',          'SELECT errtrack.set_status(1, ''resolved'')'),
    (19, 'auto_resolve',        'SELECT errtrack.auto_resolve(''1 day'')'),
    (20, 'UPDATE settings',     'UPDATE errtrack.settings SET notify = false'),
    (21, 'UPDATE issues',       'UPDATE errtrack.issues SET status = ''ignored'''),
    (22, 'UPDATE watermark',    'UPDATE errtrack.refresh_state SET watermark = ''0'''),
    (23, 'DELETE history',      'DELETE FROM errtrack.issue_history'),
    (24, 'DELETE spans',        'DELETE FROM errtrack.spans'),
    (25, 'INSERT alerts',       'INSERT INTO errtrack.alerts (kind, issue_id, service) VALUES (''new_issue'', 1, ''x'')'),
    (26, 'create partitions',   'SELECT errtrack.create_span_partitions(''2024-01-01'', ''2024-01-02'')'),
    (27, 'decoder directly',    'SELECT count(*) FROM errtrack._decode_otlp_json(''{}'')'),
    (28, 'testing aid',         'SELECT errtrack._raise_core_error(''invalid_input'')'),
    (29, 'merge_issues',        'SELECT errtrack.merge_issues(1, 1)')
  ) AS t(n, action, stmt)
 ORDER BY t.n;

-- COPY needs INSERT on errtrack.spans: the writer may, the reader may not.
SET ROLE errtrack_writer;
COPY errtrack.spans (trace_id, span_id, service, start_time, is_error, error_type, error_message, version) FROM stdin;
00000000-0000-0000-0000-000000000004	4	web	2024-05-01 11:00+00	t	KeyError	missing id 4	v1
\.
SELECT * FROM errtrack.spans;                       -- a writer does not read
RESET ROLE;
SET ROLE errtrack_reader;
COPY errtrack.spans (trace_id, span_id, service, start_time) FROM stdin;
00000000-0000-0000-0000-000000000005	5	web	2024-05-01 11:00+00
\.
SELECT errtrack.refresh('0');
SELECT errtrack.set_status(1, 'resolved');
RESET ROLE;

-- The writer's refresh (SECURITY DEFINER) counts the copied event; the
-- admin's status change is recorded with the admin as db_user.
SET ROLE errtrack_writer;
SELECT events_processed, issues_updated FROM errtrack.refresh('0');
UPDATE errtrack.issues SET status = 'ignored';
RESET ROLE;
SET ROLE errtrack_admin;
SELECT issue_id, status, event_count FROM errtrack.set_status(1, 'reviewed', note => 'seen', changed_by => 'alice');
SELECT old_status, new_status, reason, changed_by,
       CASE WHEN db_user = session_user THEN '(owner)' ELSE db_user::text END AS db_user
  FROM errtrack.issue_history ORDER BY history_id;
UPDATE errtrack.settings SET settle_window = '1 minute';
RESET ROLE;

-- A search_path planted with look-alike objects changes nothing: functions
-- resolve pg_catalog first and never look in pg_temp.
CREATE SCHEMA regress_evil;
CREATE FUNCTION regress_evil.now() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '1999-01-01'::timestamptz $$;
CREATE TABLE pg_temp.issues (x int);
SET search_path = regress_evil, pg_temp, public;
SELECT issues_updated FROM errtrack.refresh('0');
SELECT count(*) AS ok FROM errtrack.set_status(1, 'ignored') WHERE status_changed_at > '2000-01-01';
RESET search_path;
DROP TABLE pg_temp.issues;
DROP SCHEMA regress_evil CASCADE;

-- DROP EXTENSION removes the objects and their privileges, not the roles;
-- a second CREATE EXTENSION reuses them.
DROP EXTENSION errtrack CASCADE;
SELECT count(*) AS roles_left FROM pg_roles WHERE rolname IN ('errtrack_reader', 'errtrack_writer', 'errtrack_admin');
CREATE EXTENSION errtrack;
SELECT has_function_privilege('errtrack_writer', 'errtrack.refresh(interval)', 'EXECUTE') AS writer_refresh,
       has_table_privilege('errtrack_reader', 'errtrack.issues', 'SELECT') AS reader_issues;

DROP ROLE regress_errtrack_nobody;
