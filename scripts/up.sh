#!/usr/bin/env bash
# Installs what Gaji Market needs and runs the whole system on its embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nats-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nats-server
  else echo "nats-server is missing: run 'sudo apt-get install nats-server' (or set NATS_URL) and try again." >&2; exit 1; fi
fi
npm ci --no-audit --no-fund
exec npm start
