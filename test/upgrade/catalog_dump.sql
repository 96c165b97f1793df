-- catalog_dump.sql — a text dump of everything errtrack defines in the current
-- database, free of OIDs and data, for comparing an upgraded installation
-- with a fresh one (test/upgrade/run_upgrade.sh).  One line per fact,
-- "kind | object | detail" (newlines in details as \n).  Run with psql -X -At.
SET search_path = pg_catalog;   -- regclass/regprocedure print schema-qualified

WITH ext AS (SELECT oid FROM pg_extension WHERE extname = 'errtrack'),
members AS (
    SELECT d.classid, d.objid
      FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
),
acl(kind, obj, detail) AS (
    -- privileges, normalised (grantor and order left out; owner shown as "owner")
    SELECT 'acl', p.oid::regprocedure::text,
           coalesce((SELECT string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' WHEN a.grantee = p.proowner THEN 'owner'
                                            ELSE a.grantee::regrole::text END || '=' || a.privilege_type, ',' ORDER BY 1)
                       FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a), '')
      FROM pg_proc p WHERE p.pronamespace = 'errtrack'::regnamespace
    UNION ALL
    SELECT 'acl', c.oid::regclass::text,
           coalesce((SELECT string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' WHEN a.grantee = c.relowner THEN 'owner'
                                            ELSE a.grantee::regrole::text END || '=' || a.privilege_type, ',' ORDER BY 1)
                       FROM aclexplode(coalesce(c.relacl, acldefault((CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END)::"char", c.relowner))) a), '')
      FROM pg_class c WHERE c.relnamespace = 'errtrack'::regnamespace AND c.relkind NOT IN ('i', 'I')
    UNION ALL
    SELECT 'acl', a.attrelid::regclass::text || '.' || a.attname,
           (SELECT string_agg(x.grantee::regrole::text || '=' || x.privilege_type, ',' ORDER BY 1) FROM aclexplode(a.attacl) x)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'errtrack'::regnamespace AND a.attacl IS NOT NULL
    UNION ALL
    SELECT 'acl', 'schema errtrack',
           (SELECT string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' WHEN a.grantee = n.nspowner THEN 'owner'
                                   ELSE a.grantee::regrole::text END || '=' || a.privilege_type, ',' ORDER BY 1)
              FROM aclexplode(n.nspacl) a)
      FROM pg_namespace n WHERE n.nspname = 'errtrack'
    UNION ALL
    -- what pg_dump treats as the extension's own privileges
    SELECT 'init_privs', pg_describe_object(i.classoid, i.objoid, i.objsubid),
           (SELECT string_agg(CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE 'grantee:' || CASE WHEN r.rolname LIKE 'errtrack\_%' THEN r.rolname ELSE 'owner' END END
                              || '=' || a.privilege_type, ',' ORDER BY 1)
              FROM aclexplode(i.initprivs) a LEFT JOIN pg_roles r ON r.oid = a.grantee)
      FROM pg_init_privs i
     WHERE i.privtype = 'e' AND (i.classoid, i.objoid) IN (SELECT classid, objid FROM members
                                                           UNION ALL SELECT 'pg_namespace'::regclass, 'errtrack'::regnamespace)
)
SELECT kind || ' | ' || obj || ' | ' || replace(coalesce(detail, ''), E'\n', '\n')
  FROM (
    -- extension membership (what DROP EXTENSION removes)
    SELECT 'member' AS kind, pg_describe_object(m.classid, m.objid, 0) AS obj, '' AS detail FROM members m
    UNION ALL
    SELECT 'extension', 'errtrack', format('relocatable=%s schema=%s config=%s conditions=%s',
           e.extrelocatable, e.extnamespace::regnamespace,
           (SELECT string_agg(c::regclass::text, ',' ORDER BY c::regclass::text) FROM unnest(e.extconfig) c),
           (SELECT string_agg(x, ',' ORDER BY x) FROM unnest(e.extcondition) x))
      FROM pg_extension e WHERE e.extname = 'errtrack'
    UNION ALL
    -- functions: full definition (language, labels, SET, SECURITY DEFINER, body)
    SELECT 'function', p.oid::regprocedure::text, pg_get_functiondef(p.oid)
      FROM pg_proc p WHERE p.pronamespace = 'errtrack'::regnamespace AND p.prokind <> 'a'
    UNION ALL
    SELECT 'aggregate', p.oid::regprocedure::text,
           format('sfunc=%s stype=%s final=%s combine=%s serial=%s deserial=%s init=%s finalmodify=%s parallel=%s strict=%s',
                  a.aggtransfn::regprocedure, format_type(a.aggtranstype, NULL), a.aggfinalfn::regprocedure,
                  a.aggcombinefn::regprocedure, a.aggserialfn::regprocedure, a.aggdeserialfn::regprocedure,
                  a.agginitval, a.aggfinalmodify, p.proparallel, p.proisstrict)
      FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
     WHERE p.pronamespace = 'errtrack'::regnamespace
    UNION ALL
    -- relations, columns, constraints, indexes, views, triggers
    SELECT 'relation', c.oid::regclass::text,
           format('kind=%s persistence=%s options=%s rls=%s partition=%s bound=%s partkey=%s',
                  c.relkind, c.relpersistence, c.reloptions, c.relrowsecurity, c.relispartition,
                  pg_get_expr(c.relpartbound, c.oid),
                  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END)
      FROM pg_class c WHERE c.relnamespace = 'errtrack'::regnamespace
    UNION ALL
    SELECT 'column', a.attrelid::regclass::text || '.' || a.attname,
           format('%s notnull=%s default=%s identity=%s generated=%s collation=%s',
                  format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                  a.attidentity, a.attgenerated, a.attcollation::regcollation)
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE c.relnamespace = 'errtrack'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT 'column_order', c.oid::regclass::text,
           (SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a
             WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
      FROM pg_class c WHERE c.relnamespace = 'errtrack'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
    UNION ALL
    SELECT 'constraint', co.conrelid::regclass::text || '.' || co.conname, pg_get_constraintdef(co.oid)
      FROM pg_constraint co WHERE co.connamespace = 'errtrack'::regnamespace
    UNION ALL
    SELECT 'index', i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
      FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = 'errtrack'::regnamespace
    UNION ALL
    SELECT 'view', c.oid::regclass::text, pg_get_viewdef(c.oid)
      FROM pg_class c WHERE c.relnamespace = 'errtrack'::regnamespace AND c.relkind IN ('v', 'm')
    UNION ALL
    SELECT 'trigger', t.tgrelid::regclass::text || '.' || t.tgname, pg_get_triggerdef(t.oid)
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = 'errtrack'::regnamespace AND NOT t.tgisinternal
    UNION ALL
    SELECT 'sequence', s.seqrelid::regclass::text,
           format('%s start=%s inc=%s min=%s max=%s cache=%s cycle=%s', format_type(s.seqtypid, NULL), s.seqstart,
                  s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle)
      FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid WHERE c.relnamespace = 'errtrack'::regnamespace
    UNION ALL
    SELECT 'type', t.oid::regtype::text, format('type=%s', t.typtype)
      FROM pg_type t
     WHERE t.typnamespace = 'errtrack'::regnamespace AND t.typcategory <> 'A'
       AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))
    UNION ALL
    -- comments on every object of the schema (and on the schema)
    SELECT 'comment', pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
      FROM pg_description d
     WHERE (d.classoid = 'pg_proc'::regclass AND d.objoid IN (SELECT oid FROM pg_proc WHERE pronamespace = 'errtrack'::regnamespace))
        OR (d.classoid = 'pg_class'::regclass AND d.objoid IN (SELECT oid FROM pg_class WHERE relnamespace = 'errtrack'::regnamespace))
        OR (d.classoid = 'pg_constraint'::regclass AND d.objoid IN (SELECT oid FROM pg_constraint WHERE connamespace = 'errtrack'::regnamespace))
        OR (d.classoid = 'pg_type'::regclass AND d.objoid IN (SELECT oid FROM pg_type WHERE typnamespace = 'errtrack'::regnamespace))
        OR (d.classoid = 'pg_namespace'::regclass AND d.objoid = 'errtrack'::regnamespace)
    UNION ALL
    SELECT * FROM acl
  ) AS facts
 ORDER BY 1;
