import { baseConfigSchema } from '@gaji/platform';
import { z } from 'zod';

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
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
