import { gajiPrismaConfig } from '@gaji/platform/prisma-config';

// The same CLI configuration as every context: `generate` opens no database (My Page's client
// opens its SQLite files through `@prisma/adapter-better-sqlite3`).
export default gajiPrismaConfig();
