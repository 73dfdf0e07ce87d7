#!/usr/bin/env bash
# Installs what Gaji Market needs and runs the whole system on its embedded defaults.
# Debian packages: nats-server (to run), chromium and fonts-noto-cjk (for the browser tests of
# `npm test`: Korean screenshots need a CJK font on the machine, besides the web font the page loads).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v nats-server >/dev/null 2>&1 || missing+=(nats-server)
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -n "$(fc-list :lang=ko 2>/dev/null || true)" ] || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  else
    echo "Missing Debian packages: ${missing[*]}. Install them with apt-get (or set NATS_URL) and try again." >&2
    exit 1
  fi
fi
source scripts/node-runtime.sh # Node 24 first on PATH (fetched from the npm registry if need be)
npm ci --no-audit --no-fund
exec npm start
