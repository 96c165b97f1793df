#!/usr/bin/env bash
# CI-sized run of the stress test: 4 ingesting clients for 15 s, a refresh
# loop and a status loop; counts must equal a from-scratch recount.
# (Longer runs: test/stress/stress.sh CLIENTS SECONDS.)
set -euo pipefail
if ! command -v pgbench >/dev/null 2>&1; then
  echo "SKIP: pgbench not installed"
  exit 0
fi
exec bash "$(dirname "$0")/stress.sh" 4 15
