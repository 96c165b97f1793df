-- errtrack install script (fragments under src/sql/ are concatenated in order).
--
-- Conventions: every object lives in schema errtrack and is created
-- schema-qualified; built-in functions and operators are qualified with
-- pg_catalog inside views and function bodies; SQL-language functions pin
-- search_path; no CREATE OR REPLACE, no IF NOT EXISTS.

\echo Use "CREATE EXTENSION errtrack" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;

-- The script creates the schema itself, so the extension owns it and
-- DROP EXTENSION removes it (the control file names pg_catalog).
CREATE SCHEMA errtrack;
COMMENT ON SCHEMA errtrack IS 'errtrack: error tracking inside PostgreSQL';
GRANT USAGE ON SCHEMA errtrack TO PUBLIC;
