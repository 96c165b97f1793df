-- ---------------------------------------------------------------------------
-- Privileges: three roles, nothing for PUBLIC but the pure functions.
-- (docs/security.md explains the model; sql/50_security.sql tests it.)
--
--   errtrack_reader  SELECT on every table and view of the schema (issues,
--                    alerts, history, events, spans, settings)
--   errtrack_writer  ingestion (errtrack.ingest_*, INSERT/COPY into
--                    errtrack.spans) and errtrack.refresh(), refresh_views()
--   errtrack_admin   member of both; errtrack.set_status(), auto_resolve(),
--                    shared_stack_cache_reset(), UPDATE of errtrack.settings
--
-- The roles are cluster-wide, so they are not members of the extension: the
-- script creates the ones that do not exist yet (NOLOGIN) and reuses existing
-- ones (a second database, a re-install).  DROP EXTENSION removes the
-- privileges with the objects but leaves the roles; drop them by hand once no
-- database uses errtrack (DROP ROLE errtrack_admin, errtrack_writer,
-- errtrack_reader).
--
-- This fragment runs after every other one: functions are closed by default
-- (REVOKE ... ALL FUNCTIONS), so a function added by an earlier fragment is
-- usable only by the owner until it is granted here.  A fragment added after
-- this one must grant its own objects.
-- ---------------------------------------------------------------------------

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['errtrack_reader', 'errtrack_writer', 'errtrack_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname OPERATOR(pg_catalog.=) r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    -- admin includes reader and writer (membership is cluster-wide as well)
    FOREACH r IN ARRAY ARRAY['errtrack_reader', 'errtrack_writer'] LOOP
        IF NOT pg_catalog.pg_has_role('errtrack_admin', r, 'MEMBER') THEN
            EXECUTE pg_catalog.format('GRANT %I TO errtrack_admin', r);
        END IF;
    END LOOP;
END
$$;

-- Functions: closed by default (PUBLIC gets EXECUTE on every new function) --

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA errtrack FROM PUBLIC;

-- Pure functions of their arguments, for everybody (they read no table).
-- The aggregates' support functions stay closed: executing an aggregate
-- checks EXECUTE on the aggregate for the caller and on its support functions
-- for the aggregate's owner only.
GRANT EXECUTE ON FUNCTION
    errtrack.fingerprint(text, text, text),
    errtrack.fingerprint(text, text, text, text),
    errtrack.fingerprint_explain(text, text, text),
    errtrack.fingerprint_explain(text, text, text, text),
    errtrack.fingerprint_custom(text),
    errtrack.fingerprint_version(),
    errtrack.normalize_message(text),
    errtrack.normalize_stack(text),
    errtrack.parse_stack(text),
    errtrack.sparkline(bigint[]),
    errtrack.stack_cache_stats(),
    errtrack.shared_stack_cache_stats(),
    errtrack.join_signature(text, text, text),
    errtrack.signatures_join(bigint[], bigint[], bigint[], bigint[], bigint[], bigint[])
TO PUBLIC;
GRANT EXECUTE ON FUNCTION
    errtrack.top_values(text),
    errtrack.tag_distribution(text, text, text, text, text),
    errtrack.latest_sample(uuid, bigint, timestamptz, text, text, text),
    errtrack.histogram(timestamptz, timestamptz, timestamptz, integer),
    errtrack.histogram(timestamptz, timestamptz, timestamptz, integer, bigint)
TO PUBLIC;

-- Tables: the owner only, unless granted below (PUBLIC has nothing) ---------

-- reader: everything readable, nothing writable
GRANT SELECT ON ALL TABLES IN SCHEMA errtrack TO errtrack_reader;

-- writer: ingestion.  The ingest functions are SECURITY INVOKER: they need
-- INSERT on errtrack.spans and EXECUTE on the decoders.  A writer does not
-- read (INSERT ... ON CONFLICT DO NOTHING needs no SELECT).  Granted by name:
-- every errtrack.ingest_* function and every decoder errtrack._decode_*.
GRANT INSERT ON errtrack.spans TO errtrack_writer;
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid FROM pg_catalog.pg_proc AS p
         WHERE p.pronamespace OPERATOR(pg_catalog.=) 'errtrack'::pg_catalog.regnamespace
           AND (p.proname OPERATOR(pg_catalog.~) '^ingest_' OR p.proname OPERATOR(pg_catalog.~) '^_decode_')
         ORDER BY p.oid
    LOOP
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO errtrack_writer', f);
    END LOOP;
END
$$;

-- writer: refresh.  refresh() writes issues, their status (regressions,
-- auto-resolve), history and alerts; granting the writer those tables would
-- let it change statuses directly, which only the admin may.  So refresh()
-- and refresh_views() (REFRESH MATERIALIZED VIEW needs the owner) run as
-- their owner, the superuser who created the extension: SECURITY DEFINER,
-- search_path pinned to pg_catalog, pg_temp (pg_temp is never searched for
-- functions or operators; every table is errtrack.- or pg_temp.-qualified),
-- EXECUTE for errtrack_writer only.  Neither runs caller-supplied SQL; the
-- only argument is refresh's settle_window.  (docs/security.md)
ALTER FUNCTION errtrack.refresh(interval) SECURITY DEFINER;
ALTER FUNCTION errtrack.refresh_views() SECURITY DEFINER;
GRANT EXECUTE ON FUNCTION errtrack.refresh(interval), errtrack.refresh_views() TO errtrack_writer;

-- admin: status changes and configuration (SECURITY INVOKER functions).
-- issue_history stays append-only for everyone but the owner.  auto_resolve()
-- takes the refresh lock (SELECT ... FOR UPDATE on errtrack.refresh_state),
-- which needs UPDATE on some column: last_run_at, never the watermark.
GRANT EXECUTE ON FUNCTION
    errtrack.set_status(bigint, text, text, text),
    errtrack.auto_resolve(interval, timestamptz),
    errtrack._auto_resolve(timestamptz),
    errtrack.shared_stack_cache_reset()
TO errtrack_admin;
GRANT UPDATE ON errtrack.settings TO errtrack_admin;
GRANT UPDATE ON errtrack.issues TO errtrack_admin;
GRANT INSERT ON errtrack.issue_history TO errtrack_admin;
GRANT UPDATE (last_run_at) ON errtrack.refresh_state TO errtrack_admin;
-- merge_issues(target, source) is an admin action too: it moves the source's
-- buckets, versions and fingerprint aliases onto the target.
GRANT EXECUTE ON FUNCTION errtrack.merge_issues(bigint, bigint) TO errtrack_admin;
-- split_fingerprint(service, fingerprint) undoes a merge or a refactor join: it
-- opens an issue for the fingerprint's stored events (hence INSERT on issues).
GRANT EXECUTE ON FUNCTION errtrack.split_fingerprint(text, uuid) TO errtrack_admin;
GRANT INSERT ON errtrack.issues TO errtrack_admin;
-- remap_fingerprints(from, to): adds fingerprint aliases after an algorithm change
GRANT EXECUTE ON FUNCTION errtrack.remap_fingerprints(text, text) TO errtrack_admin;
GRANT INSERT, UPDATE, DELETE ON errtrack.issue_buckets, errtrack.issue_versions,
    errtrack.issue_fingerprints TO errtrack_admin;

-- Owner only (no grant): errtrack.create_span_partitions /
-- drop_span_partitions (DDL on errtrack.spans: run them as the extension
-- owner, e.g. from pg_cron) and errtrack._raise_core_error (testing aid).
