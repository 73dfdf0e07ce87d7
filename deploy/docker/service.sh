#!/bin/sh
# The container's entry point: `run` starts the process named by $SERVICE, `health` asks it for
# readiness (Docker's HEALTHCHECK). Each service listens on its own default port (the PORT
# default of its config schema, test/deploy checks the table below against it) unless PORT is set.
set -eu

case "${SERVICE:-}" in
  gateway) entry=gateway/src/main.ts default_port=4000 ;;
  member) entry=subgraphs/member/src/main.ts default_port=4001 ;;
  product) entry=subgraphs/product/src/main.ts default_port=4002 ;;
  purchase) entry=subgraphs/purchase/src/main.ts default_port=4003 ;;
  payment) entry=subgraphs/payment/src/main.ts default_port=4004 ;;
  mypage) entry=subgraphs/mypage/src/main.ts default_port=4005 ;;
  *)
    echo "SERVICE must be one of gateway, member, product, purchase, payment, mypage (got '${SERVICE:-}')" >&2
    exit 64
    ;;
esac
port="${PORT:-$default_port}"

# Keys may come as files (a mounted Secret, compose's service-keys volume): NAME_FILE=path sets
# NAME to that file's content, so the key never appears in the container's configuration.
file_variables="SERVICE_SIGNING_KEY TRUSTED_SERVICE_KEYS"
for name in $file_variables; do
  eval "file=\${${name}_FILE:-}"
  if [ -n "$file" ]; then
    value="$(cat "$file")"
    export "$name=$value"
  fi
done

case "${1:-run}" in
  run)
    export PORT="$port"
    # exec: node replaces this shell as PID 1, so SIGTERM reaches the process that drains.
    # --expose-gc for the gateway: it hands memory back after a crowd of sockets leaves
    # (gateway/src/subscriptions/memory-after-exodus.ts).
    if [ "$SERVICE" = gateway ]; then exec node --expose-gc --import tsx "$entry"; fi
    exec node --import tsx "$entry"
    ;;
  health)
    exec node -e "fetch('http://127.0.0.1:$port/health/ready', { signal: AbortSignal.timeout(2500) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
    ;;
  *)
    echo "usage: service.sh [run|health]" >&2
    exit 64
    ;;
esac
