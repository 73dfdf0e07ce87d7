import { trustedServiceKeysSchema } from '@gaji/platform/auth';
import { baseConfigSchema } from '@gaji/platform/config';
import { z } from 'zod';

export const productConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4002),
  PRODUCT_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /** Public keys of the services allowed on the internal routes (purchase); see docs/security.md. */
  TRUSTED_SERVICE_KEYS: trustedServiceKeysSchema,
});

export type ProductConfig = z.infer<typeof productConfigSchema>;
