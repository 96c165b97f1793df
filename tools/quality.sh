#!/usr/bin/env bash
# quality.sh — grouping-quality report: builds errtrack-cli (the real core) into
# build-quality/ if needed, then scores fp1 and the Sentry/Datadog/Bugsnag-like
# baselines on the project corpus and the shared data sets (docs/grouping-quality.md).
#
# Usage: tools/quality.sh [grouping_score.py options]
#   e.g. tools/quality.sh --examples 3          # + loss analysis with explain output
#        tools/quality.sh --only eclipse,ubuntu
# Env:   BUILD_DIR (default build-quality), JOBS (default 2)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build-quality}
JOBS=${JOBS:-2}
cd "$ROOT"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S . -B "$BUILD" -DERRTRACK_TESTS=OFF >/dev/null
fi
# cmake --build is incremental: a no-op when the core and the CLI are up to date.
nice cmake --build "$BUILD" -j"$JOBS" --target errtrack-cli >/dev/null || {
  echo "quality.sh: building errtrack-cli failed (re-run: cmake --build $BUILD --target errtrack-cli)" >&2
  exit 1
}
# --check: the regression guard the test command runs (floors = measured
# figures rounded down; raise them when the grouping improves).
if [ "${1:-}" = "--check" ]; then
  shift
  set -- --no-baselines --max-lookalike 0 --floor "corpus (all)=0.995" \
    --floor "corpus/java=0.995" --floor "corpus/python=0.995" --floor "corpus/node=0.995" \
    --floor "corpus/go=0.995" --floor "corpus/ruby=0.995" --floor "corpus/dotnet=0.995" \
    --floor "corpus/php=0.995" --floor "corpus/cpp=0.995" --floor "corpus/rust=0.995" \
    --floor "eclipse (groups>=2)=0.80" --floor "ubuntu gdb (all)=0.77" "$@"
fi
exec nice python3 "$ROOT/tools/grouping_score.py" --cli "$BUILD/errtrack-cli" "$@"
