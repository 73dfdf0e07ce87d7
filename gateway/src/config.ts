import { baseConfigSchema } from '@gaji/platform/config';
import { z } from 'zod';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './limits/operation-limits.js';
import type { RateLimitSettings } from './rate-limits/rate-limits.js';

const url = z.url({ protocol: /^https?$/ });
/** The shortest keep-alive period an operator may set (WS_KEEPALIVE_MS). */
const MIN_KEEPALIVE_MS = 1_000;
const count = (fallback: number) => z.coerce.number().int().positive().default(fallback);
/** A comma-separated list; empty entries dropped. */
const list = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

export const gatewayConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  /**
   * `true`: listen with SO_REUSEPORT (Linux), so several gateway processes on one machine share
   * PORT and the kernel spreads connections over them — one process can hold only as many
   * sockets as its open-file limit. Each replica follows the event stream on its own, so a live
   * push reaches a subscriber whichever replica holds its socket.
   */
  GATEWAY_REUSE_PORT: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  MEMBER_URL: url.default('http://127.0.0.1:4001/graphql'),
  PRODUCT_URL: url.default('http://127.0.0.1:4002/graphql'),
  PURCHASE_URL: url.default('http://127.0.0.1:4003/graphql'),
  PAYMENT_URL: url.default('http://127.0.0.1:4004/graphql'),
  MYPAGE_URL: url.default('http://127.0.0.1:4005/graphql'),
  /**
   * Member's refresh-token lifetime (member's own setting of the same name; deploy both from one
   * value): a session cookie whose answer did not select `refreshTokenExpiresAt` lives this long.
   */
  REFRESH_TOKEN_TTL_DAYS: count(30),
  /** Per subgraph request; a hung subgraph must not hold the client longer than this. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * How long a subgraph request may wait for one of the gateway's connections to that subgraph
   * (128 each); past it, it is answered SERVICE_BUSY without being sent (auth/whole-answer.ts).
   */
  SUBGRAPH_MAX_QUEUE_MS: z.coerce.number().int().positive().default(500),
  /**
   * Answers to public reads (market listing, product page) kept until a domain event changes
   * them (gateway/src/response-cache/); 0 switches the cache off.
   */
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().nonnegative().default(1_000),
  /**
   * What the cached answers may hold together, and one answer at most (bytes, two per character):
   * public reads are anyone's to ask, so memory is bounded, not only the count.
   */
  RESPONSE_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(64 * 2 ** 20),
  RESPONSE_CACHE_MAX_ENTRY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 ** 20),
  /** Operation limits, for HTTP and WebSocket alike (gateway/src/limits/operation-limits.ts). */
  QUERY_MAX_DEPTH: z.coerce.number().int().positive().default(DEFAULT_OPERATION_LIMITS.maxDepth),
  QUERY_MAX_COST: z.coerce.number().int().positive().default(DEFAULT_OPERATION_LIMITS.maxCost),
  QUERY_MAX_ALIASES: z.coerce.number().int().nonnegative().default(DEFAULT_OPERATION_LIMITS.maxAliases),
  QUERY_MAX_DIRECTIVES: z.coerce.number().int().nonnegative().default(DEFAULT_OPERATION_LIMITS.maxDirectives),
  QUERY_MAX_ROOT_FIELDS: z.coerce.number().int().positive().default(DEFAULT_OPERATION_LIMITS.maxRootFields),
  QUERY_ASSUMED_LIST_SIZE: z.coerce
    .number()
    .int()
    .positive()
    .default(DEFAULT_OPERATION_LIMITS.assumedListSize),
  /**
   * @apollo/gateway 2.x sends usage metrics to Apollo and probes the AWS/GCP/Azure/Alibaba
   * metadata addresses at start-up unless this is true. A gateway must not send data anywhere its
   * operator did not configure, so it is off unless set to `false` explicitly (README: opting in).
   */
  APOLLO_TELEMETRY_DISABLED: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((value) => value === 'true' || value === '1'),

  /**
   * Proxies whose X-Forwarded-For is believed (addresses, CIDRs, `loopback`, `uniquelocal`…).
   * Empty: the socket's peer is the client — right when nothing sits in front of the gateway.
   */
  TRUSTED_PROXIES: list,
  /** Rate-limit counters: in this process, or in a NATS key-value bucket all replicas share. */
  RATE_LIMIT_STORE: z.enum(['memory', 'nats']).default('memory'),
  RATE_LIMIT_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('gaji_rate_limits'),
  /** Requests, WebSocket connections and subscriptions per client address (a household, an office). */
  RATE_LIMIT_OPERATIONS_PER_ADDRESS_PER_MINUTE: count(1_200),
  RATE_LIMIT_OPERATIONS_PER_MEMBER_PER_MINUTE: count(600),
  RATE_LIMIT_SIGNUPS_PER_ADDRESS_PER_HOUR: count(20),
  /** Failed log-ins before back-off (1 s, 2 s, 4 s … up to the maximum), per account and per address. */
  RATE_LIMIT_LOGIN_FREE_FAILURES_PER_ACCOUNT: count(5),
  RATE_LIMIT_LOGIN_FREE_FAILURES_PER_ADDRESS: count(30),
  RATE_LIMIT_LOGIN_MAX_BACKOFF_SECONDS: count(900),
  RATE_LIMIT_LOGIN_FAILURE_WINDOW_SECONDS: count(3_600),
  /** Open graphql-ws sockets, and subscriptions over them, per client address (per replica). */
  WS_MAX_CONNECTIONS_PER_ADDRESS: count(50),
  WS_MAX_SUBSCRIPTIONS_PER_ADDRESS: count(200),
  /**
   * Cost units (operation limits) of the live subscriptions open together on one socket and on one
   * address: they bound the frames one event builds, about 280 bytes a unit at most.
   */
  WS_MAX_LIVE_COST_PER_SOCKET: count(20_000),
  WS_MAX_LIVE_COST_PER_ADDRESS: count(50_000),
  /** Bytes of frames a socket may hold for a client that does not read them, before it is closed (4413). */
  WS_MAX_QUEUED_BYTES_PER_SOCKET: count(4 * 1024 * 1024),
  /**
   * Every graphql-ws socket is pinged this often (milliseconds), and one that has not answered the
   * previous ping is ended: a peer gone without a close is found within twice this. At least
   * MIN_KEEPALIVE_MS: a pong has one period to come back, so a period of a few ms would end every
   * socket whose pong a busy network or a waking phone delays, and ping all of them nonstop.
   */
  WS_KEEPALIVE_MS: z.coerce
    .number()
    .int()
    .min(MIN_KEEPALIVE_MS, `at least ${MIN_KEEPALIVE_MS} ms: a pong has one period to come back`)
    .default(12_000),
  /**
   * Origins allowed to open a graphql-ws socket, besides the gateway's own (the web client). A
   * browser page from anywhere else is refused — in production always; in development and tests
   * only once this lists something (unset there, any origin may connect, e.g. Vite's dev server).
   */
  WS_ALLOWED_ORIGINS: list,
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function rateLimitSettingsOf(config: GatewayConfig): RateLimitSettings {
  return {
    operationsPerAddressPerMinute: config.RATE_LIMIT_OPERATIONS_PER_ADDRESS_PER_MINUTE,
    operationsPerMemberPerMinute: config.RATE_LIMIT_OPERATIONS_PER_MEMBER_PER_MINUTE,
    signUpsPerAddressPerHour: config.RATE_LIMIT_SIGNUPS_PER_ADDRESS_PER_HOUR,
    logInFreeFailuresPerAccount: config.RATE_LIMIT_LOGIN_FREE_FAILURES_PER_ACCOUNT,
    logInFreeFailuresPerAddress: config.RATE_LIMIT_LOGIN_FREE_FAILURES_PER_ADDRESS,
    logInMaxBackoffSeconds: config.RATE_LIMIT_LOGIN_MAX_BACKOFF_SECONDS,
    logInFailureWindowSeconds: config.RATE_LIMIT_LOGIN_FAILURE_WINDOW_SECONDS,
  };
}

export function operationLimitsOf(config: GatewayConfig): OperationLimits {
  return {
    maxDepth: config.QUERY_MAX_DEPTH,
    maxCost: config.QUERY_MAX_COST,
    maxAliases: config.QUERY_MAX_ALIASES,
    maxDirectives: config.QUERY_MAX_DIRECTIVES,
    maxRootFields: config.QUERY_MAX_ROOT_FIELDS,
    assumedListSize: config.QUERY_ASSUMED_LIST_SIZE,
  };
}
