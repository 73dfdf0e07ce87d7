import { baseConfigSchema } from '@gaji/platform/config';
import { z } from 'zod';

export const memberConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4001),
  MEMBER_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
  /** Lower in tests only: scrypt's cost factor (must be a power of two). */
  PASSWORD_HASH_COST: z.coerce.number().int().positive().default(16_384),
});

export type MemberConfig = z.infer<typeof memberConfigSchema>;
