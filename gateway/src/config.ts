import { baseConfigSchema } from '@gaji/platform/config';
import { z } from 'zod';
import { DEFAULT_OPERATION_LIMITS, type OperationLimits } from './limits/operation-limits.js';

const url = z.url({ protocol: /^https?$/ });

export const gatewayConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  MEMBER_URL: url.default('http://127.0.0.1:4001/graphql'),
  PRODUCT_URL: url.default('http://127.0.0.1:4002/graphql'),
  PURCHASE_URL: url.default('http://127.0.0.1:4003/graphql'),
  PAYMENT_URL: url.default('http://127.0.0.1:4004/graphql'),
  MYPAGE_URL: url.default('http://127.0.0.1:4005/graphql'),
  /** Per subgraph request; a hung subgraph must not hold the client longer than this. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Answers to public reads (market listing, product page) kept until a domain event changes
   * them (gateway/src/response-cache/); 0 switches the cache off.
   */
  RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().nonnegative().default(1_000),
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
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

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
