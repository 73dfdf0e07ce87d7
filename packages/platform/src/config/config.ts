import { z } from 'zod';
import { REQUEST_TIMEOUTS, type RequestTimeouts } from '../http/request-timeouts.js';

/** Settings every service reads; a context extends this with its own. */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** One JetStream stream carries every domain event; tests use their own name. */
  EVENT_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('GAJI'),
  EVENT_SUBJECT_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/)
    .default('gaji'),
  /** A message a consumer fails to handle this many times becomes a dead letter (docs/reliability.md). */
  EVENT_MAX_DELIVERIES: z.coerce.number().int().min(1).default(10),
  /**
   * The pause before a failed message is delivered again; it doubles per delivery, up to 30 s. A
   * delivery that failed on an unavailable dependency waits the same and is not counted above.
   */
  EVENT_RETRY_DELAY_MS: z.coerce.number().int().positive().default(500),
  /**
   * The longest a GraphQL answer waits for the publication of the events its request committed
   * (decision 0001): a relay pass takes milliseconds; one slower than this is in trouble, and the
   * answer goes without it (the outbox still publishes). 0: answers never wait. At most 2 s, well
   * within the gateway's SUBGRAPH_TIMEOUT_MS (10 s): a committed buy must never time out there.
   */
  ANSWER_AFTER_EVENTS_MS: z.coerce.number().int().nonnegative().max(2_000).default(100),
  /** Issuer and audience of access tokens, checked by every verifier. */
  JWT_ISSUER: z.string().default('gaji-market/member'),
  JWT_AUDIENCE: z.string().default('gaji-market'),
  /** Where the member service (the auth server) publishes its public keys. */
  MEMBER_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4001/.well-known/jwks.json'),
  /** Minimum time between two JWKS refetches triggered by an unknown key id (a rotation). */
  JWKS_COOLDOWN_MS: z.coerce.number().int().nonnegative().default(30_000),
  /**
   * How old the member JWKS may get before verifiers refresh it (in the background: a failed
   * refresh keeps the last good keys). Member re-reads its keys at most every 30 s, or this often.
   */
  JWKS_MAX_AGE_MS: z.coerce.number().int().positive().default(600_000),
  /**
   * The longest an access token may live: every verifier refuses older tokens, and revocations
   * (a withdrawal, a log-out) are remembered this long. Member's ACCESS_TOKEN_TTL_SECONDS ≤ this.
   */
  ACCESS_TOKEN_MAX_LIFETIME_SECONDS: z.coerce.number().int().positive().default(900),
  /**
   * On SIGTERM, how long readiness fails while requests are still served, before the listener
   * closes (docs/operations.md, "Shutdown"); Kubernetes' preStop sleep adds its own 5 s before.
   */
  SHUTDOWN_DRAIN_DELAY_MS: z.coerce.number().int().nonnegative().default(2_000),
  /** From SIGTERM to exit at the latest: below the pod's grace period minus its preStop sleep. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** How long a client may take to send a request's headers, and the whole request (request-timeouts.ts). */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(REQUEST_TIMEOUTS.headersMs),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(REQUEST_TIMEOUTS.requestMs),
  /**
   * Traces go to this OTLP/HTTP collector (`<url>/v1/traces`); unset, none leave the process.
   * Listed to be validated: the OpenTelemetry SDK reads these from the environment itself.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  /** `service.name` of exported spans; defaults to the process (gateway, member, …). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
});

export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** The servers' request bounds; a headers bound above the whole request's stops the start. */
export function requestTimeoutsOf(
  config: Pick<BaseConfig, 'HTTP_HEADERS_TIMEOUT_MS' | 'HTTP_REQUEST_TIMEOUT_MS'>,
): RequestTimeouts {
  const { HTTP_HEADERS_TIMEOUT_MS: headersMs, HTTP_REQUEST_TIMEOUT_MS: requestMs } = config;
  // Node refuses it (boundedRequests would quietly lower it): a setting asking for it is a mistake.
  if (headersMs > requestMs)
    throw new ConfigError(
      `invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS (${headersMs}) exceeds HTTP_REQUEST_TIMEOUT_MS (${requestMs})`,
    );
  return { headersMs, requestMs };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses `env` with `schema`; on failure names every bad variable at once and stops. */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}
