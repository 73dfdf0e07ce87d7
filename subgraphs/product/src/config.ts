import { trustedServiceKeysSchema } from '@gaji/platform/auth';
import { baseConfigSchema } from '@gaji/platform/config';
import { z } from 'zod';

export const productConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4002),
  PRODUCT_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** Public keys of the services allowed on the internal routes (purchase); see docs/security.md. */
  TRUSTED_SERVICE_KEYS: trustedServiceKeysSchema,
  /**
   * How far member's clock (which dates a withdrawal) and payment's (which dates a completed
   * payment) may disagree. A seller's withdrawal refuses every sale whose payment completed less
   * than this before it, or after it (README, "Seller withdrawal"): a larger margin refunds deals
   * closed just before a withdrawal, a smaller one than the real skew may let a deal paid just
   * after one stand. 0 is exact where both run on one clock (one host: compose, the tests).
   */
  WITHDRAWAL_CLOCK_MARGIN_MS: z.coerce.number().int().nonnegative().max(60_000).default(0),
});

export type ProductConfig = z.infer<typeof productConfigSchema>;
