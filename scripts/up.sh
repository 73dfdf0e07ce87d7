#!/usr/bin/env bash
# Installs what Gaji Market needs and runs the whole system on its embedded defaults.
# Debian packages: nats-server (to run), chromium and fonts-noto-cjk (for the browser tests of
# `npm test`: Korean screenshots need a CJK font on the machine, besides the web font the page loads),
# prometheus (its promtool, for the alert-rule checks of `npm test`).
set -euo pipefail
cd "$(dirname "$0")/.."
# To run: nats-server (unless NATS_URL names a server of yours). Only for `npm test`: the rest.
to_run=()
command -v nats-server >/dev/null 2>&1 || [ -n "${NATS_URL:-}" ] || to_run+=(nats-server)
for_tests=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || for_tests+=(chromium)
[ -n "$(fc-list :lang=ko 2>/dev/null || true)" ] || for_tests+=(fonts-noto-cjk)
# promtool checks and unit-tests the alert rules in `npm test` (test/deploy); it comes with Debian's
# prometheus, whose recommends (node exporter, …) the checks do not need. As .ci/run installs it.
bare=()
command -v promtool >/dev/null 2>&1 || bare+=(prometheus)
missing=("${to_run[@]}" "${for_tests[@]}")
if [ ${#missing[@]} -gt 0 ] || [ ${#bare[@]} -gt 0 ]; then
  as_root=()
  [ "$(id -u)" = 0 ] || as_root=(sudo)
  if [ ${#as_root[@]} -gt 0 ] && ! command -v sudo >/dev/null 2>&1; then
    # Without root the system still runs; only what npm test needs is missing (it says what it skips).
    if [ ${#to_run[@]} -gt 0 ]; then
      echo "Missing Debian package nats-server: install it with apt-get (or set NATS_URL) and try again." >&2
      exit 1
    fi
    echo "Not installed (no root or sudo), needed only by npm test: ${for_tests[*]} ${bare[*]}." >&2
  else
    "${as_root[@]}" apt-get update -qq
    if [ ${#missing[@]} -gt 0 ]; then
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
    fi
    if [ ${#bare[@]} -gt 0 ]; then
      "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${bare[@]}"
    fi
  fi
fi
source scripts/node-runtime.sh # Node 24 first on PATH (fetched from the npm registry if need be)
npm ci --no-audit --no-fund
exec npm start
