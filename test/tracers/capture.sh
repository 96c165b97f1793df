#!/usr/bin/env bash
# Captures fresh payloads from the real tracers (dd-trace 5.x, OpenTelemetry JS
# 2.x, Node 20) on loopback and stores them as fixtures under
# test/fixtures/tracers/.  Needs `npm ci` in this directory first.
#   bash test/tracers/capture.sh
# Ports (loopback only): DD_PORT (default 18126), OTLP_PORT (default 14318).
set -euo pipefail
cd "$(dirname "$0")"
DD_PORT=${DD_PORT:-18126}
OTLP_PORT=${OTLP_PORT:-14318}
OUT=../fixtures/tracers
VER_DD=$(node -p "require('dd-trace/package.json').version")
VER_OTEL=$(node -p "require('@opentelemetry/sdk-trace-base/package.json').version")
rm -rf out && mkdir -p out "$OUT"

export DD_AGENT_HOST=127.0.0.1 DD_TRACE_AGENT_PORT=$DD_PORT
export DD_ENV=staging DD_VERSION=2.3.0 DD_SERVICE=checkout-api DD_TRACE_REPORT_HOSTNAME=true
export DD_INSTRUMENTATION_TELEMETRY_ENABLED=false DD_REMOTE_CONFIGURATION_ENABLED=false
export DD_TRACE_STARTUP_LOGS=false DD_RUNTIME_METRICS_ENABLED=false DD_PROFILING_ENABLED=false
export DD_CRASHTRACKING_ENABLED=false DD_DYNAMIC_INSTRUMENTATION_ENABLED=false DD_APPSEC_ENABLED=false

for ver in 0.4 0.5; do
  OUT_DIR=out/dd-$ver SINK_MAX_SECONDS=20 timeout 30 node dd_agent_sink.js "$DD_PORT" & sink=$!
  sleep 0.7
  DD_TRACE_AGENT_PROTOCOL_VERSION=$ver timeout 30 node dd_scenarios.js
  sleep 0.3; kill "$sink" 2>/dev/null || true; wait "$sink" 2>/dev/null || true
  mkdir -p "$OUT/ddtrace-js-$VER_DD"
  i=0
  for f in out/dd-$ver/payload-v$ver-*.msgpack; do
    i=$((i + 1)); cp "$f" "$OUT/ddtrace-js-$VER_DD/scenarios-v$ver-$i.msgpack"
    cp "${f%.msgpack}.json" "$OUT/ddtrace-js-$VER_DD/scenarios-v$ver-$i.decoded.json"
  done
done

OUT_DIR=out/otel SINK_MAX_SECONDS=20 timeout 30 node otlp_sink.js "$OTLP_PORT" & sink=$!
sleep 0.7
OTLP_PORT=$OTLP_PORT timeout 30 node otel_scenarios.js
sleep 0.5; kill "$sink" 2>/dev/null || true; wait "$sink" 2>/dev/null || true
mkdir -p "$OUT/otel-js-$VER_OTEL"
i=0
for f in out/otel/otlp-http-*.raw.json; do
  i=$((i + 1)); cp "$f" "$OUT/otel-js-$VER_OTEL/scenarios-otlp-http-$i.json"
done
rm -rf out
ls -lR "$OUT"
