import { serviceSigningKeySchema } from '@gaji/platform/auth';
import { baseConfigSchema } from '@gaji/platform/config';
import { z } from 'zod';
import { pendingPurchaseMaxAgeMsSchema } from './sweep-settings.js';

export const purchaseConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4003),
  PURCHASE_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** Base URL of payment's internal HTTP endpoint (cluster DNS in Kubernetes). */
  PAYMENT_INTERNAL_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4004'),
  /** How long a buyer waits for payment at most. */
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().positive().default(2_000),
  PAYMENT_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
  PAYMENT_BREAKER_HALF_OPEN_AFTER_MS: z.coerce.number().int().positive().default(5_000),
  /** Base URL of product's internal HTTP endpoint, asked when the projection misses a product. */
  PRODUCT_INTERNAL_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:4002'),
  /** How long a buy waits for product's answer at most (only on a projection miss). */
  PRODUCT_LOOKUP_TIMEOUT_MS: z.coerce.number().int().positive().default(1_000),
  PRODUCT_LOOKUP_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
  PRODUCT_LOOKUP_BREAKER_HALF_OPEN_AFTER_MS: z.coerce.number().int().positive().default(5_000),
  /**
   * Purchase's own private key (Ed25519 JWK, kid `purchase/<version>`): it signs every internal
   * call, and payment trusts its public half (TRUSTED_SERVICE_KEYS). `npm start` generates one.
   */
  SERVICE_SIGNING_KEY: serviceSigningKeySchema,
  /**
   * Load shedding (application/buy-product/buy-admission.ts): how many buys run at once is
   * learned from their mean latency against BUY_LATENCY_TARGET_MS, between BUY_MIN_IN_FLIGHT and
   * BUY_MAX_IN_FLIGHT; a buy that finds no place within BUY_MAX_WAIT_MS is refused with
   * SERVICE_BUSY and retryAfterSeconds (docs/decisions/0013-adaptive-buy-admission.md).
   */
  BUY_MAX_IN_FLIGHT: z.coerce.number().int().positive().default(32),
  BUY_MIN_IN_FLIGHT: z.coerce.number().int().positive().default(12),
  BUY_LATENCY_TARGET_MS: z.coerce.number().int().positive().default(500),
  BUY_MAX_WAIT_MS: z.coerce.number().int().nonnegative().default(100),
  /** When a PENDING purchase is failed by the sweeper (sweep-settings.ts, shared with the auditor). */
  PENDING_PURCHASE_MAX_AGE_MS: pendingPurchaseMaxAgeMsSchema,
  /**
   * How far member's clock (which dates a withdrawal) and purchase's (which dates a payment) may
   * disagree. A buyer's withdrawal cancels every deal of theirs paid less than this before it, or
   * after it (README, "Buyer withdrawal"): as product's margin for a seller's. 0 is exact where
   * both run on one clock (one host: compose, the tests).
   */
  WITHDRAWAL_CLOCK_MARGIN_MS: z.coerce.number().int().nonnegative().max(60_000).default(0),
});

export type PurchaseConfig = z.infer<typeof purchaseConfigSchema>;
