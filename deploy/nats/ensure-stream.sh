#!/bin/sh
# Creates the domain event stream from its JSON configuration, or brings an existing one to it.
# A service that started first has already created the stream with one replica (ensureStream in
# packages/platform/src/events/event-bus.ts); editing it here raises it to the configured three.
# Safe to run on every deploy (Kubernetes Job gaji-stream, compose service nats-stream).
set -eu
config="${STREAM_CONFIG:-/etc/gaji/gaji-stream.json}"
stream="$(sed -n 's/^ *"name": *"\([^"]*\)".*/\1/p' "$config" | head -n 1)"

# Fails (and the Job retries) until JetStream answers, so a missing stream is never mistaken
# for an unreachable server.
nats account info >/dev/null

if nats stream info "$stream" >/dev/null 2>&1; then
  nats stream edit "$stream" --config "$config" --force
else
  nats stream add "$stream" --config "$config"
fi
nats stream info "$stream"
