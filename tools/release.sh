#!/usr/bin/env bash
# release.sh — freeze the current version of the extension and open the next.
#
#   bash tools/release.sh <next-version>        e.g. bash tools/release.sh 0.2.0
#
#   1. builds errtrack--<cur>.sql from src/sql/*.sql (cur = default_version
#      in errtrack.control) and copies it to src/sql/released/ — from then on
#      that file is never edited: it is what CREATE EXTENSION ... VERSION
#      '<cur>' runs, and what test/upgrade/run_upgrade.sh starts from;
#   2. sets default_version = '<next>' in errtrack.control;
#   3. creates src/sql/updates/errtrack--<cur>--<next>.sql, empty apart from
#      the guard and a note of what goes there.
# It commits nothing.  Policy: docs/DEVELOPING.md, "Versions and upgrades".
set -euo pipefail
cd "$(dirname "$0")/.."
next=${1:-}
cur=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" errtrack.control)
[ -n "$cur" ] || { echo "no default_version in errtrack.control" >&2; exit 1; }
if ! [[ "$next" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "usage: $0 <next-version>   (MAJOR.MINOR.PATCH; current: $cur)" >&2; exit 2
fi
[ "$next" != "$cur" ] || { echo "next version equals the current one ($cur)" >&2; exit 1; }
[ "$(printf '%s\n%s\n' "$cur" "$next" | sort -V | tail -n1)" = "$next" ] \
  || { echo "next version $next is not above $cur" >&2; exit 1; }
frozen=src/sql/released/errtrack--$cur.sql
update=src/sql/updates/errtrack--$cur--$next.sql
[ ! -e "$frozen" ] || { echo "$frozen exists: $cur was already released" >&2; exit 1; }
[ ! -e "$update" ] || { echo "$update exists" >&2; exit 1; }

rm -f "errtrack--$cur.sql"
make -s "errtrack--$cur.sql"
mkdir -p src/sql/released src/sql/updates
{ printf -- '-- errtrack %s, released: frozen copy of the install script (tools/release.sh); never edit.\n' "$cur"
  cat "errtrack--$cur.sql"; } > "$frozen"
sed -i "s/^default_version *= *'.*'/default_version = '$next'/" errtrack.control
cat > "$update" <<EOF
-- errtrack $cur -> $next (ALTER EXTENSION errtrack UPDATE TO '$next')
--
-- Put here every change made to src/sql/*.sql since $cur, so that an
-- installation of $cur updated with this script ends up identical to a fresh
-- install of $next (test/upgrade/run_upgrade.sh compares the two catalogs):
--   * new objects: the same CREATE ... and COMMENT ON ... as in the fragment,
--     plus their GRANT/REVOKE as in src/sql/50_security.sql;
--   * changed functions or views: ALTER EXTENSION errtrack DROP ..., DROP,
--     CREATE again (or CREATE OR REPLACE FUNCTION only where the signature
--     and result are unchanged), then the grants again;
--   * changed tables: ALTER TABLE ... (never drop user data); new user-data
--     tables also need pg_catalog.pg_extension_config_dump(...);
--   * a new fingerprint algorithm: fingerprints stored in issues change,
--     so migrate them here (see docs/DEVELOPING.md).
-- Never edit this file once $next is released.  If nothing changed, leave it
-- as it is: an empty update script only makes the version path.

\\echo Use "ALTER EXTENSION errtrack UPDATE TO '$next'" to load this file. \\quit

SET LOCAL search_path = pg_catalog, pg_temp;

-- (no SQL changes yet)
EOF
rm -f "errtrack--$cur.sql"
echo "released $cur: $frozen"
echo "default_version is now $next; write the changes into $update"
echo "then: make && make install && bash test/upgrade/run_upgrade.sh (in a throwaway cluster)"
