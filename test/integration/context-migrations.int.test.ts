import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { platformMigrations, runMigrations } from '@gaji/platform/database';
import { createTestDatabase, tablesIn, tablesOfPrismaSchema } from '@gaji/testkit';
import { describe, expect, it } from 'vitest';
import { subgraphs } from '../../gateway/src/composition/subgraph-registry.js';

const root = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

// Every PostgreSQL context: its SQL migrations (generated from Prisma, see docs/decisions/0002)
// must create what its Prisma schema describes, and no schema change may ship without one.
describe.each(subgraphs.filter((subgraph) => subgraph.store === 'postgresql'))(
  '$name database migrations',
  ({ name }) => {
    const schemaPath = root(`subgraphs/${name}/prisma/schema.prisma`);

    it('a fresh database ends up with a table for every model of the Prisma schema', async () => {
      const db = await createTestDatabase(`${name}_migrations`);
      try {
        await runMigrations(db.url, [
          platformMigrations,
          { namespace: name, directory: root(`subgraphs/${name}/prisma/migrations`) },
        ]);
        const expected = tablesOfPrismaSchema(schemaPath);
        expect(expected.length).toBeGreaterThan(0);
        expect(await tablesIn(db.url)).toEqual(
          expect.arrayContaining([...expected, 'gaji_outbox', 'gaji_processed_events']),
        );
      } finally {
        await db.drop();
      }
    });

    it('has a migration for every change of the Prisma schema (run `npm run migration:new` if not)', () => {
      const snapshot = readFileSync(
        root(`subgraphs/${name}/prisma/migrations/schema.snapshot.prisma`),
        'utf8',
      );
      expect(readFileSync(schemaPath, 'utf8')).toBe(snapshot);
    });
  },
);
