#!/usr/bin/env bash
# demo.sh — the README's main command: builds and installs errtrack, starts a
# throwaway PostgreSQL cluster (pg_virtualenv), ingests realistic spans from
# nine services (real-runtime traces, Datadog agent JSON) plus payloads
# captured from real tracers (dd-trace msgpack, OpenTelemetry OTLP/JSON),
# runs the refresh and prints the issues a person would look at.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
echo "building and installing errtrack..."
make -j"${JOBS:-2}" >/dev/null
make install >/dev/null
export ERRTRACK_DEMO_SPANS=$(mktemp /tmp/errtrack-demo-XXXXXX.json)
trap 'rm -f "$ERRTRACK_DEMO_SPANS"' EXIT
python3 tools/demo_spans.py "$ERRTRACK_DEMO_SPANS"
chmod a+r "$ERRTRACK_DEMO_SPANS"
pg_virtualenv -t -v 15 bash tools/demo-run.sh
