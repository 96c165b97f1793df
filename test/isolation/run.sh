#!/bin/sh
# Runs the isolation specs (test/isolation/specs/*.spec) with PostgreSQL's
# isolation tester against a running server where errtrack is installed:
#
#   PGPORT=5503 test/isolation/run.sh [spec ...]
#
# pg_isolation_regress ships with postgresql-server-dev-15 (pgxs). Results go to
# test/regress-out/isolation/.
set -eu
cd "$(dirname "$0")/../.."
PGXS_DIR=$(dirname "$(pg_config --pgxs)")/..
ISO="$PGXS_DIR/test/isolation/pg_isolation_regress"
[ -x "$ISO" ] || { echo "pg_isolation_regress not found at $ISO" >&2; exit 1; }
if [ $# -eq 0 ]; then
  set -- $(ls test/isolation/specs/*.spec | sed 's|.*/||; s|\.spec$||' | sort)
fi
mkdir -p test/regress-out/isolation
exec "$ISO" --bindir="$(pg_config --bindir)" \
  ${PGPORT:+--port=$PGPORT} ${PGHOST:+--host=$PGHOST} \
  --inputdir=test/isolation --outputdir=test/regress-out/isolation \
  --dbname=errtrack_isolation "$@"
