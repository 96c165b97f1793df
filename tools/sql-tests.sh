#!/usr/bin/env bash
# sql-tests.sh — the tests that need a running server.  Runs inside a
# throwaway cluster (tools/test.sh starts it with pg_virtualenv, which sets
# PGHOST/PGPORT/PGUSER/PGPASSWORD).
set -euo pipefail
cd "$(dirname "$0")/.."

status=0
echo "-- pg_regress"
if ! make installcheck; then
  status=1
  for d in test/regress-out/regression.diffs; do [ -f "$d" ] && cat "$d"; done
fi

# Suites contributed under test/*/run*.sh (tracer fixtures, isolation,
# stress, pg_cron, ...).  Each prints its own results and exits non-zero on
# failure; a suite whose inputs are absent prints SKIP and exits 0.
for suite in $(ls test/*/run*.sh 2>/dev/null | sort); do
  echo "-- $suite"
  if ! bash "$suite"; then
    echo "FAILED: $suite"
    status=1
  fi
done
exit $status
