import { baseConfigSchema } from '@gaji/platform/config';
import { z } from 'zod';

export const memberConfigSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65_535).default(4001),
    MEMBER_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
    /** Lower in tests only: scrypt's cost factor (must be a power of two). */
    PASSWORD_HASH_COST: z.coerce.number().int().positive().default(16_384),
  })
  // Every verifier refuses tokens that live longer than the maximum: never issue one.
  .refine((config) => config.ACCESS_TOKEN_TTL_SECONDS <= config.ACCESS_TOKEN_MAX_LIFETIME_SECONDS, {
    path: ['ACCESS_TOKEN_TTL_SECONDS'],
    message: 'must not exceed ACCESS_TOKEN_MAX_LIFETIME_SECONDS',
  });

export type MemberConfig = z.infer<typeof memberConfigSchema>;
