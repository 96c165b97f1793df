#!/usr/bin/env bash
# Installs (Debian bookworm, as root) the runtimes used by test/corpus/generate.sh and by the
# fixture regen.sh scripts under test/fixtures/stacks/<lang>/. For humans regenerating data; CI
# does not run this. Java 17, Python 3, Node 20 and rustc are assumed to come from elsewhere
# (Debian: openjdk-17-jdk-headless, python3, nodejs, rustc).
set -euo pipefail
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  openjdk-17-jdk-headless python3 nodejs rustc \
  golang-go ruby php-cli php-monolog mono-devel \
  g++ clang gdb libboost-stacktrace-dev valgrind elfutils node-ajv node-axios groovy clojure scala python3-twisted ruby-rails \
  gjs libjavascriptcoregtk-4.0-bin \
  liblogback-java liblog4j2-java libslf4j-java python3-flask python3-yaml ruby-sinatra golang-github-pkg-errors-dev golang-github-gin-gonic-gin-dev \
  cargo librust-anyhow-dev librust-backtrace-dev librust-serde-json-dev librust-serde-derive-dev \
  ipython3 python3-pytest ruby-rspec
# gjs (SpiderMonkey) and jsc (JavaScriptCore) are only needed for the browser-format fixtures in
# test/fixtures/stacks/node/ (browser_firefox_*.txt, browser_safari_*.txt). Logback / Log4j 2 (java
# logging_*.txt), Flask (python flask_*.txt, run by the system python3) and Sinatra (ruby sinatra_*.txt)
# and pkg/errors (go pkgerrors_*.txt) are real libraries the fp2 rules were checked on; anyhow (rust
# anyhow_*.txt) is built by cargo offline against Debian's librust-*-dev crates. valgrind and elfutils
# (eu-stack) are the C/C++ tools of cpp/regen_memsvc.sh.
# Runtime versions (the ninth session's fixtures): python/regen.sh runs comprehension_*.txt under
# pyenv's Pythons 3.8.18, 3.11.7, 3.12.1 and 3.13.0 ($PYENV_ROOT/versions/<v>/bin/python; `pyenv
# install <v>` — not from Debian); rust/regen.sh builds refcell_*.txt with Debian's rustc 1.63
# (/usr/bin/rustc, installed above) next to a current rustup toolchain first on PATH; java/regen.sh
# compiles nested_*.txt with javac --release 8 and 17 (openjdk-17).
