#!/usr/bin/env bash
# install-deps.sh — installs (as root, on Debian bookworm) what building,
# testing and the demo need, when it is missing.  Idempotent and quiet.
#   tools/install-deps.sh            build + test + demo dependencies
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-15-cron postgresql-contrib
  libxxhash-dev
  googletest libgtest-dev libbenchmark-dev
  clang libclang-rt-dev valgrind
  python3
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's postgresql package starts a default cluster; the tests use
# throwaway clusters (pg_virtualenv) and do not need it.
exit 0
