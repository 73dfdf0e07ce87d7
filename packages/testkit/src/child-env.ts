/**
 * The environment of a child process a test or a benchmark starts: ours, without what would send
 * data off the machine (an OTLP exporter endpoint set in the developer's shell), and with Apollo's
 * telemetry off. The loopback-only guard watches test workers, not their children; this keeps the
 * children on loopback too. `extra` wins, so a test may still point an exporter at its own
 * loopback collector.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('OTEL_EXPORTER_OTLP')) delete env[key];
  return { ...env, APOLLO_TELEMETRY_DISABLED: 'true', ...extra };
}
