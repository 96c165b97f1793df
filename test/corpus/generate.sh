#!/usr/bin/env bash
# Regenerates the labelled grouping corpus: test/corpus/data/<lang>.jsonl
#
# For every runtime, programs/<lang>/v1 ("deploy 1") and programs/<lang>/v2 ("deploy 2": lines
# shifted, unrelated code added, one pass-through helper inserted) are copied to two different
# install paths, built, and run. Every event is one real error produced by the real runtime.
#
# Usage: test/corpus/generate.sh [lang ...]      (default: all)
# Env:   CORPUS_ROOT  where the two "installs" are made (default /tmp/errtrack-corpus)
# Installs nothing; a runtime that is missing is skipped with a message (see install-runtimes.sh).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PROG=$HERE/programs
DATA=$HERE/data
ROOT=${CORPUS_ROOT:-/tmp/errtrack-corpus}
D1=$ROOT/srv/app-v1          # install path of deploy 1
D2=$ROOT/opt/svc-v2          # install path of deploy 2
mkdir -p "$DATA"

have() { command -v "$1" >/dev/null 2>&1; }
skip() { echo "generate.sh: SKIP $1: $2" >&2; }
log()  { echo "generate.sh: $*" >&2; }

# install <lang> <deploy>  -> prints the install dir (fresh copy of programs/<lang>/v<deploy>)
install_copy() {
  local lang=$1 dep=$2 dst
  if [ "$dep" = 1 ]; then dst=$D1/$lang; else dst=$D2/$lang; fi
  rm -rf "$dst"; mkdir -p "$(dirname "$dst")"
  cp -r "$PROG/$lang/v$dep" "$dst"
  echo "$dst"
}

# check <lang>: validates the jsonl file and prints per-label counts
check() {
  python3 - "$DATA/$1.jsonl" <<'PY'
import collections, json, sys
c = collections.Counter()
keys = {"runtime", "label", "deploy", "error_type", "error_message", "error_stack"}
for n, line in enumerate(open(sys.argv[1]), 1):
    d = json.loads(line)
    assert set(d) == keys, (n, set(d) ^ keys)
    assert d["error_stack"].strip(), n
    c[(d["label"], d["deploy"])] += 1
labels = sorted({l for l, _ in c})
print(f"{sys.argv[1]}: {sum(c.values())} events, {len(labels)} labels", file=sys.stderr)
for l in labels:
    print(f"  {l:45s} d1={c[(l, 1)]:3d} d2={c[(l, 2)]:3d}", file=sys.stderr)
PY
}

gen_python() {
  have python3 || { skip python "python3 not found"; return; }
  local out=$DATA/python.jsonl d
  : > "$out"
  for dep in 1 2; do
    d=$(install_copy python $dep)
    (cd / && PYTHONDONTWRITEBYTECODE=1 python3 -B "$d/main.py" $dep) >> "$out" || { log "python deploy $dep failed"; return 1; }
  done
  check python
}

gen_java() {
  { have javac && have java; } || { skip java "javac/java not found"; return; }
  local out=$DATA/java.jsonl d jopts
  : > "$out"
  for dep in 1 2; do
    d=$(install_copy java $dep)
    (cd "$d" && javac -g -d classes $(find src -name '*.java')) || { log "java build $dep failed"; return 1; }
    # deploy 2 also runs with a low reflection inflation threshold: the reflective dispatch then goes
    # through jdk.internal.reflect.GeneratedMethodAccessorN instead of NativeMethodAccessorImpl (same bugs).
    jopts=""; [ "$dep" = 2 ] && jopts="-Dsun.reflect.inflationThreshold=2"
    (cd "$d" && java $jopts -cp classes com.shop.Main $dep) >> "$out" || { log "java deploy $dep failed"; return 1; }
  done
  check java
}


gen_node() {
  have node || { skip node "node not found"; return; }
  local out=$DATA/node.jsonl d
  : > "$out"
  for dep in 1 2; do
    d=$(install_copy node $dep)
    (cd "$d" && node src/main.js $dep) >> "$out" || { log "node deploy $dep failed"; return 1; }
  done
  check node
}

gen_go() {
  have go || { skip go "go not found"; return; }
  local out=$DATA/go.jsonl d ver gp i p
  : > "$out"
  for dep in 1 2; do
    d=$(install_copy go $dep)
    # the dependency comes from a file:// GOPROXY into a per-deploy GOMODCACHE, so frames show
    # …/pkg/mod/example.com/fakelib@v1.2.3/ (deploy 1) and …@v1.2.4/ (deploy 2)
    ver=v1.2.3; [ "$dep" = 2 ] && ver=v1.2.4
    gp=$ROOT/root/go; [ "$dep" = 2 ] && gp=$ROOT/home/ci/go
    rm -rf "$gp" "$d/../goproxy-$dep"
    python3 "$PROG/go/mkproxy.py" example.com/fakelib $ver "$d/fakelib" "$d/../goproxy-$dep"
    (cd "$d/app" && GOPATH=$gp GOMODCACHE=$gp/pkg/mod GOPROXY=file://$d/../goproxy-$dep GOSUMDB=off GOFLAGS=-mod=mod GOTOOLCHAIN=local \
       go build -o "$d/shop" . 2>/dev/null) || { log "go build $dep failed"; return 1; }
    chmod -R u+w "$gp" 2>/dev/null
    "$d/shop" $dep >> "$out" || { log "go deploy $dep failed"; return 1; }
    # uncaught panics: real process crashes, stderr captured verbatim
    for i in $(seq 1 $((8 + dep))); do
      p="/etc/shop/conf.d/tenant-$((RANDOM % 900 + 100)).yaml"
      (cd "$d" && ./shop crash "$p" 2>"$d/crash.txt" >/dev/null)
      python3 -c 'import json,sys; print(json.dumps({"runtime":"go","label":"go/load-config-nil-map","deploy":int(sys.argv[1]),"error_type":"runtime.plainError","error_message":"assignment to entry in nil map","error_stack":open(sys.argv[2]).read()}))' $dep "$d/crash.txt" >> "$out"
    done
  done
  check go
}

gen_ruby() {
  have ruby || { skip ruby "ruby not found"; return; }
  local out=$DATA/ruby.jsonl d gems
  : > "$out"
  for dep in 1 2; do
    d=$(install_copy ruby $dep)
    # gems: deploy 1 uses a system gem dir with pgdriver 1.5.0, deploy 2 a bundler vendor dir with 1.5.1
    if [ "$dep" = 1 ]; then
      gems=$ROOT/srv/var/lib/gems/3.1.0/gems; rm -rf "$gems"; mkdir -p "$gems"
      cp -r "$d/gems/pgdriver" "$gems/pgdriver-1.5.0"; cp -r "$d/gems/microrack" "$gems/microrack-2.2.8"
    else
      gems=$d/vendor/bundle/ruby/3.1.0/gems; rm -rf "$gems"; mkdir -p "$gems"
      cp -r "$d/gems/pgdriver" "$gems/pgdriver-1.5.1"; cp -r "$d/gems/microrack" "$gems/microrack-2.2.8"
    fi
    (cd "$d" && ruby app/main.rb $dep "$gems") >> "$out" || { log "ruby deploy $dep failed"; return 1; }
  done
  check ruby
}

gen_dotnet() {
  { have mcs && have mono; } || { skip dotnet "mcs/mono not found (CoreCLR dotnet is not supported by this generator)"; return; }
  local out=$DATA/dotnet.jsonl d
  : > "$out"
  for dep in 1 2; do
    d=$(install_copy dotnet $dep)
    (cd "$d" && mcs -debug -nowarn:168,219,414 -out:shop.exe src/*.cs >/dev/null) || { log "dotnet build $dep failed"; return 1; }
    (cd "$d" && mono --debug shop.exe $dep) >> "$out" || { log "dotnet deploy $dep failed"; return 1; }
  done
  check dotnet
}

gen_php() {
  have php || { skip php "php not found"; return; }
  local out=$DATA/php.jsonl d
  : > "$out"
  for dep in 1 2; do
    d=$(install_copy php $dep)
    (cd "$d" && php -d zend.exception_ignore_args=1 main.php $dep) >> "$out" || { log "php deploy $dep failed"; return 1; }
  done
  check php
}

gen_cpp() {
  { have g++ && have gdb; } || { skip cpp "g++/gdb not found"; return; }
  [ -e /usr/include/boost/stacktrace.hpp ] || { skip cpp "boost stacktrace headers not found (libboost-stacktrace-dev)"; return; }
  local out=$DATA/cpp.jsonl d bug arg k n tmp
  : > "$out"
  tmp=$(mktemp -d)
  for dep in 1 2; do
    d=$(install_copy cpp $dep)
    (cd "$d" && nice g++ -g -O0 -std=c++17 -DBOOST_STACKTRACE_LINK -DBOOST_STACKTRACE_USE_BACKTRACE -o shop shop.cpp -lboost_stacktrace_backtrace -lbacktrace -ldl \
      && nice g++ -g -O0 -std=c++17 -fsanitize=address -fno-omit-frame-pointer -o shop_asan shop.cpp -ldl) || { log "cpp build $dep failed"; return 1; }
    (cd "$d" && ./shop batch $dep) >> "$out"
    for bug in order-null-deref invoice-null-deref checkout-invalid-amount refund-invalid-amount stats-zero-visits register-duplicate-email; do
      n=$((7 + ${#bug} % 3 + dep))
      for k in $(seq 1 $n); do
        case $bug in
          *null-deref) arg=$((RANDOM * 7 + k)) ;;
          *amount) arg=$(printf '%s' "12,50 abc 1e ten \$5 -- 9.9.9 1/2" | tr ' ' '\n' | sed -n "$((RANDOM % 8 + 1))p")x$k ;;
          stats*) arg=$((RANDOM % 50 + 1)) ;;
          register*) arg="user$((RANDOM % 9999))@example.com" ;;
        esac
        (cd "$d" && gdb -q -batch -nx -ex run -ex bt --args ./shop "$bug" "$arg" >"$tmp/o" 2>"$tmp/e" </dev/null)
        python3 "$PROG/cpp/events.py" gdb "$bug" $dep "$tmp/o" "$tmp/e" >> "$out"
      done
    done
    for k in $(seq 1 $((8 + dep))); do
      (cd "$d" && ./shop_asan session-use-after-free $((RANDOM % 1000)) >"$tmp/o" 2>"$tmp/e")
      python3 "$PROG/cpp/events.py" asan session-use-after-free $dep "$tmp/o" "$tmp/e" >> "$out"
    done
  done
  rm -rf "$tmp"
  check cpp
}

gen_rust() {
  have rustc || { skip rust "rustc not found"; return; }
  local out=$DATA/rust.jsonl d
  : > "$out"
  for dep in 1 2; do
    d=$(install_copy rust $dep)
    nice rustc -g -A warnings -o "$d/shop" "$d/src/main.rs" || { log "rust build $dep failed"; return 1; }
    (cd "$d" && RUST_BACKTRACE=1 ./shop $dep 2>&1 >/dev/null | python3 "$PROG/rust/split.py" $dep) >> "$out" || { log "rust deploy $dep failed"; return 1; }
  done
  check rust
}

ALL="java python node go ruby dotnet php cpp rust"
langs=${*:-$ALL}
rc=0
for l in $langs; do
  log "=== $l"
  "gen_$l" || rc=1
done
du -ch "$DATA"/*.jsonl 2>/dev/null | tail -1 >&2
exit $rc
