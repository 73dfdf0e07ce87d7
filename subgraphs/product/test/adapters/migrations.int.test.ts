import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { platformMigrations, runMigrations } from '@gaji/platform';
import { createTestDatabase, tablesIn, tablesOfPrismaSchema } from '@gaji/testkit';
import { describe, expect, it } from 'vitest';

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const schemaPath = path('../../prisma/schema.prisma');

describe('product database migrations', () => {
  it('a fresh database ends up with a table for every model of the Prisma schema', async () => {
    const db = await createTestDatabase('product_migrations');
    try {
      await runMigrations(db.url, [
        platformMigrations,
        { namespace: 'product', directory: path('../../prisma/migrations') },
      ]);
      const tables = await tablesIn(db.url);
      expect(tablesOfPrismaSchema(schemaPath)).toEqual(['products']);
      expect(tables).toEqual(expect.arrayContaining(tablesOfPrismaSchema(schemaPath)));
    } finally {
      await db.drop();
    }
  });

  it('has a migration for every change of the Prisma schema (run `npm run migration:new` if not)', () => {
    const snapshot = readFileSync(path('../../prisma/migrations/schema.snapshot.prisma'), 'utf8');
    expect(readFileSync(schemaPath, 'utf8')).toBe(snapshot);
  });
});
