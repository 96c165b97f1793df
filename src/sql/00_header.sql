-- errtrack install script (fragments under src/sql/ are concatenated in order).
--
-- Conventions: every object lives in schema errtrack and is created
-- schema-qualified; built-in functions and operators are qualified with
-- pg_catalog inside views and function bodies; SQL-language functions pin
-- search_path; no CREATE OR REPLACE, no IF NOT EXISTS.

\echo Use "CREATE EXTENSION errtrack" to load this file. \quit

SET LOCAL search_path = pg_catalog, pg_temp;
