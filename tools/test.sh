#!/usr/bin/env bash
# test.sh — runs every test of errtrack.  This is the README's test command
# and what CI runs (.ci/run).
#
#   1. installs missing build/test packages (Debian bookworm, as root)
#   2. C++ core: GoogleTest unit tests (ctest)
#   3. C++ core again under AddressSanitizer + UndefinedBehaviorSanitizer
#   4. short libFuzzer runs of every fuzz target (clang)
#   5. the extension: make, make install
#   6. in a throwaway cluster (pg_virtualenv): pg_regress, then the SQL-level
#      suites under test/ (tracer fixtures, concurrency, ...)
#   7. pg_regress once more against an ASan/valgrind-checked server
#   8. the grouping-quality report, checked against its floors
#
# Environment: JOBS (default 2), ERRTRACK_SKIP_SANITIZE=1, ERRTRACK_SKIP_FUZZ=1,
# ERRTRACK_SKIP_MEMCHECK=1 to shorten a local run (CI runs everything).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
export ERRTRACK_SHARED_DIR=${ERRTRACK_SHARED_DIR:-$ROOT/../shared}

step() { printf '\n==== %s ====\n' "$*"; }

step "dependencies"
bash tools/install-deps.sh

step "core unit tests"
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/test -j"$JOBS"
ctest --test-dir build/test --output-on-failure -j"$JOBS"

if [ "${ERRTRACK_SKIP_SANITIZE:-0}" != 1 ]; then
  step "core unit tests under ASan + UBSan"
  cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DERRTRACK_SANITIZE=ON >/dev/null
  cmake --build build/asan -j"$JOBS"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build/asan --output-on-failure -j"$JOBS"
fi

if [ "${ERRTRACK_SKIP_FUZZ:-0}" != 1 ] && ls test/fuzz/fuzz_*.cpp >/dev/null 2>&1; then
  step "short fuzz runs"
  CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DERRTRACK_FUZZ=ON -DERRTRACK_TESTS=OFF >/dev/null
  cmake --build build/fuzz -j"$JOBS"
  for f in build/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    seeds=()
    [ -d test/fuzz/corpus/${name#fuzz_} ] && seeds+=(test/fuzz/corpus/${name#fuzz_})
    case $name in
      fuzz_fingerprint|fuzz_message) seeds+=(test/fixtures/stacks/*/ test/fuzz/regressions) ;;
      # single files go in through -seed_inputs (a file among the corpus
      # directories would make libFuzzer just run it once)
      fuzz_msgpack) seeds+=("-seed_inputs=$(ls test/fixtures/tracers/*/*.msgpack | paste -sd,)") ;;
      fuzz_json) seeds+=("-seed_inputs=$(ls test/fixtures/tracers/*/*.json | paste -sd,)") ;;
    esac
    mkdir -p build/fuzz/work/"$name"
    echo "fuzz: $name (${ERRTRACK_FUZZ_SECONDS:-30} s)"
    # a crash leaves its input in build/fuzz/work/; add it to test/fuzz/regressions/
    "$f" -max_total_time="${ERRTRACK_FUZZ_SECONDS:-30}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix=build/fuzz/work/"$name"- \
      build/fuzz/work/"$name" "${seeds[@]}" > build/fuzz/work/"$name".log 2>&1 || {
        tail -n 40 build/fuzz/work/"$name".log; echo "fuzz target $name failed"; exit 1; }
    tail -n 1 build/fuzz/work/"$name".log
  done
fi

step "extension build and install"
make -j"$JOBS" >/dev/null
make install >/dev/null

step "SQL tests in a throwaway cluster"
# -t: the cluster lives in a temporary directory even as root, so a cluster
# left in /etc/postgresql by an interrupted run (15/regress) cannot stop this one.
pg_virtualenv -t -v 15 -o shared_preload_libraries=pg_cron,errtrack -o cron.database_name=postgres \
  -o max_worker_processes=16 bash tools/sql-tests.sh

if [ "${ERRTRACK_SKIP_MEMCHECK:-0}" != 1 ]; then
  step "pg_regress under a memory checker (ASan, else valgrind)"
  bash test/asan/asan_regress.sh
fi

step "grouping quality"
if [ -x tools/quality.sh ]; then
  bash tools/quality.sh --check
else
  echo "SKIP: tools/quality.sh not present"
fi

step "all tests passed"
