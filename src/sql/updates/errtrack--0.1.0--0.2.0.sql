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

-- (no SQL changes yet)
