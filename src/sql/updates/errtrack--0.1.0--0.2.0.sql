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
