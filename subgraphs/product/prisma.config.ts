import { gajiPrismaConfig } from '@gaji/platform/prisma-config';

export default gajiPrismaConfig();
