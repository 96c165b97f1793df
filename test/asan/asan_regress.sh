#!/usr/bin/env bash
# asan_regress.sh — the pg_regress suite (sql/ + expected/) against errtrack
# under a memory checker, in its own throwaway cluster.  Not named run*.sh on
# purpose: tools/sql-tests.sh must not run it inside the normal cluster.
#
#   bash test/asan/asan_regress.sh [test ...]
#
# The system PostgreSQL 15 is relocatable, so a private copy of it (bin, lib,
# share, include under $WORK/pg) gets the build of errtrack under test
# (make PG_CONFIG=<copy> ...) without touching the system's extension
# directory, and runs a private cluster.
#
# Mode asan (first choice): errtrack built with -fsanitize=address
# (ERRTRACK_CXXFLAGS/CFLAGS/LDFLAGS), pg_regress --temp-instance with
#   LD_PRELOAD=$(gcc -print-file-name=libasan.so)
#   ASAN_OPTIONS=detect_leaks=0 (PostgreSQL does not free at exit), abort_on_error=1
# On Debian bookworm (glibc 2.36, gcc 12) an uninstrumented PostgreSQL binary
# with libasan preloaded deadlocks before main (postgres -V hangs in
# bindtextdomain, psql at exit in freelocale: glibc-internal rwlocks, a known
# preload incompatibility, llvm/llvm-project#49223).  The script checks that
# first (10 s) and then falls back to
# Mode valgrind: the normal build, the postmaster started under valgrind
# memcheck (backends are forks, so they run under it too), pg_regress against
# it; only reports whose stack goes through errtrack code count (PostgreSQL
# itself, built without USE_VALGRIND, reports uninitialised bytes in WAL
# writes).  Default tests in this mode: 01_fingerprint 02_golden 03_hostile
# 30_aggregates (ERRTRACK_VALGRIND_TESTS to change).
# ASan/memcheck see the C++ core's heap (std containers, new); palloc'd
# memory is PostgreSQL's own arena and is not instrumented.
#
# Environment: ASAN_WORK (default build/asan-regress), JOBS (default 2),
# ERRTRACK_MEMCHECK=asan|valgrind to force a mode.  Runs as root (the cluster
# runs as user postgres) or as any other user.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=${ASAN_WORK:-$ROOT/build/asan-regress}
JOBS=${JOBS:-2}
SYS_PGCONFIG=${PG_CONFIG:-$(ls /usr/lib/postgresql/15/bin/pg_config 2>/dev/null || command -v pg_config)}
LIBASAN=$(gcc -print-file-name=libasan.so)
if [ ! -x "$SYS_PGCONFIG" ] || [ ! -e "$LIBASAN" ]; then
  echo "SKIP: needs PostgreSQL 15 server dev files and gcc's libasan"; exit 0
fi

rm -rf "$WORK"
mkdir -p "$WORK"/pg "$WORK"/src "$WORK"/asan-logs "$WORK"/out

# 1. a private, relocated copy of the PostgreSQL installation
copy_dir() { mkdir -p "$WORK/pg$(dirname "$1")"; cp -a "$1" "$WORK/pg$1"; }
copy_dir "$("$SYS_PGCONFIG" --bindir | xargs dirname)"          # /usr/lib/postgresql/15 (bin, lib, pgxs)
copy_dir "$("$SYS_PGCONFIG" --sharedir)"                        # /usr/share/postgresql/15
copy_dir "$("$SYS_PGCONFIG" --includedir)"                      # /usr/include/postgresql
PGCONFIG="$WORK/pg$("$SYS_PGCONFIG" --bindir)/pg_config"
case "$("$PGCONFIG" --sharedir)" in "$WORK"/*) ;; *) echo "the PostgreSQL copy is not relocatable"; exit 1;; esac

LIBDIR_COPY="$WORK/pg$("$SYS_PGCONFIG" --bindir | xargs dirname)"
BINDIR_COPY="$("$PGCONFIG" --bindir)"
MODE=${ERRTRACK_MEMCHECK:-}
if [ -z "$MODE" ]; then
  if timeout 10 env LD_PRELOAD="$LIBASAN" ASAN_OPTIONS=detect_leaks=0 "$BINDIR_COPY/postgres" -V >/dev/null 2>&1; then
    MODE=asan
  else
    echo "-- postgres does not start with libasan preloaded (glibc/libasan preload deadlock): using valgrind"
    MODE=valgrind
  fi
fi
if [ "$MODE" = valgrind ] && ! command -v valgrind >/dev/null; then
  echo "SKIP: ASan preload unusable here and valgrind not installed"; exit 0
fi

# 2. the build of the working tree
tar -C "$ROOT" --exclude='*.o' --exclude='*.so' --exclude='*.bc' -cf - \
    Makefile errtrack.control src sql expected | tar -C "$WORK/src" -xf -
if [ "$MODE" = asan ]; then
  SAN="-fsanitize=address -fno-omit-frame-pointer -g"
  echo "-- building errtrack with $SAN"
  nice make -C "$WORK/src" -s -j"$JOBS" PG_CONFIG="$PGCONFIG" \
    ERRTRACK_CXXFLAGS="$SAN" ERRTRACK_CFLAGS="$SAN" ERRTRACK_LDFLAGS="-fsanitize=address" >/dev/null
else
  echo "-- building errtrack (-g, for valgrind)"
  nice make -C "$WORK/src" -s -j"$JOBS" PG_CONFIG="$PGCONFIG" ERRTRACK_CXXFLAGS="-g" ERRTRACK_CFLAGS="-g" >/dev/null
fi
make -C "$WORK/src" -s PG_CONFIG="$PGCONFIG" install >/dev/null
if [ "$MODE" = asan ]; then
  grep -q __asan_init <(nm -D "$("$PGCONFIG" --pkglibdir)/errtrack.so") || { echo "errtrack.so is not instrumented"; exit 1; }
fi

tests=("$@")
if [ ${#tests[@]} -eq 0 ]; then
  if [ "$MODE" = asan ]; then
    tests=($(cd "$WORK/src" && ls sql/*.sql | sed 's|sql/||; s|\.sql$||' | sort))
  else
    tests=(${ERRTRACK_VALGRIND_TESTS:-01_fingerprint 02_golden 03_hostile 30_aggregates})
  fi
fi
run=()
[ "$(id -u)" -eq 0 ] && { chown -R postgres: "$WORK"; run=(runuser -u postgres --); }
REGRESS_BIN="$("$PGCONFIG" --pkglibdir)/pgxs/src/test/regress/pg_regress"
CLEAN_ENV=(env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD -u PGDATABASE -u PGOPTIONS)
status=0

if [ "$MODE" = asan ]; then
  echo "-- pg_regress (${#tests[@]} tests) with LD_PRELOAD=$LIBASAN"
  (cd "$WORK/src" && "${run[@]}" "${CLEAN_ENV[@]}" LD_PRELOAD="$LIBASAN" \
      ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:disable_coredump=1:log_path=$WORK/asan-logs/asan" \
      "$REGRESS_BIN" --temp-instance="$WORK/tmp_check" --bindir="$BINDIR_COPY" \
        --inputdir=. --outputdir="$WORK/out" --dbname=contrib_regression "${tests[@]}") || status=1
  if ls "$WORK"/asan-logs/asan.* >/dev/null 2>&1; then
    echo "AddressSanitizer reports:"
    for f in "$WORK"/asan-logs/asan.*; do echo "== $f"; head -n 60 "$f"; done
    status=1
  fi
  grep -E "server process .* was terminated" "$WORK"/tmp_check/log/postmaster.log 2>/dev/null && status=1
else
  PORT=$((20000 + RANDOM % 20000))
  "${run[@]}" "$BINDIR_COPY/initdb" -D "$WORK/data" -A trust -U postgres --no-sync >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log"; exit 1; }
  echo "-- postmaster under valgrind (port $PORT), pg_regress: ${tests[*]}"
  "${run[@]}" "${CLEAN_ENV[@]}" valgrind --quiet --error-limit=no --num-callers=30 \
      --log-file="$WORK/asan-logs/vg.%p.log" \
      "$BINDIR_COPY/postgres" -D "$WORK/data" -k "$WORK" -p "$PORT" -c listen_addresses= \
      -c jit=off -c max_parallel_workers_per_gather=0 >"$WORK/postmaster.log" 2>&1 &
  trap '"${run[@]}" "$BINDIR_COPY/pg_ctl" -D "$WORK/data" stop -m immediate >/dev/null 2>&1 || true' EXIT
  for _ in $(seq 1 120); do
    "${run[@]}" "$BINDIR_COPY/pg_isready" -q -h "$WORK" -p "$PORT" && break; sleep 1
  done
  (cd "$WORK/src" && "${run[@]}" "${CLEAN_ENV[@]}" "$REGRESS_BIN" --host="$WORK" --port="$PORT" --user=postgres \
      --bindir="$BINDIR_COPY" --inputdir=. --outputdir="$WORK/out" --dbname=contrib_regression \
      "${tests[@]}") || status=1
  "${run[@]}" "$BINDIR_COPY/pg_ctl" -D "$WORK/data" stop -m fast >/dev/null 2>&1 || true
  # memcheck error blocks ("==pid== <what>" ... blank "==pid==" line) that go through errtrack code
  ours=$(awk '/^==[0-9]+== [A-Z]/ && !inb {inb=1; blk=""} inb {blk=blk $0 "\n"} /^==[0-9]+== $/ && inb {if (blk ~ /errtrack/) printf "%s", blk; inb=0}' \
         "$WORK"/asan-logs/vg.*.log)
  total=$(cat "$WORK"/asan-logs/vg.*.log | grep -cE '^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Mismatched|Source and dest|Argument)' || true)
  echo "-- valgrind: $total reports in all processes, $(printf '%s' "$ours" | grep -cE '^==[0-9]+== [A-Z]' || true) through errtrack code"
  if [ -n "$ours" ]; then printf '%s' "$ours" | head -n 120; status=1; fi
fi

[ $status -eq 0 ] || { [ -f "$WORK/out/regression.diffs" ] && head -n 200 "$WORK/out/regression.diffs"; }
[ $status -eq 0 ] && echo "asan_regress ($MODE): no memory error in errtrack code, all tests passed"
exit $status
