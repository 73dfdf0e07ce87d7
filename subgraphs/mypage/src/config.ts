import { baseConfigSchema } from '@gaji/platform/config';
import { z } from 'zod';

export const myPageConfigSchema = baseConfigSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4005),
  /** This replica's read-model files and the `current.json` pointer (never shared by replicas). */
  MYPAGE_DATA_DIR: z.string().min(1).default('.data/mypage'),
  /** How often a running service checks whether a rebuild pointed it at another file. */
  MYPAGE_POINTER_POLL_MS: z.coerce.number().int().positive().default(1_000),
  /** At most this many waiting events are applied in one SQLite transaction. */
  MYPAGE_BATCH_SIZE: z.coerce.number().int().positive().default(256),
});

export type MyPageConfig = z.infer<typeof myPageConfigSchema>;
