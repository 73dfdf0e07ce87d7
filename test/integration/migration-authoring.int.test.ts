import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tablesOfPrismaSchema } from '@gaji/testkit';
import { describe, expect, it } from 'vitest';
import { subgraphs } from '../../gateway/src/composition/subgraph-registry.js';
import { isEmptyDiff, migrateDiff } from '../../scripts/migrate-diff/migrate-diff.js';

const root = (relative: string) => fileURLToPath(new URL(`../../${relative}`, import.meta.url));

// `npm run migration:new` diffs with Prisma 6.19.3's CLI while the runtime is on Prisma 7
// (docs/decisions/0002-migrations.md): these show that the diff still runs, offline, on the
// schemas as Prisma 7 wants them (no datasource url, no engineType).
describe('migration authoring (Prisma 6.19.3 migrate diff on Prisma 7 schemas)', () => {
  it.each(subgraphs.map(({ name }) => name))(
    '%s: the schema as of its last migration diffs to nothing against schema.prisma',
    (name) => {
      const sql = migrateDiff(
        root(`subgraphs/${name}/prisma/migrations/schema.snapshot.prisma`),
        root(`subgraphs/${name}/prisma/schema.prisma`),
      );
      expect(isEmptyDiff(sql), sql).toBe(true);
    },
  );

  it('a new field in a model becomes an ALTER TABLE … ADD COLUMN', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'gaji-authoring-'));
    try {
      const schema = root('subgraphs/member/prisma/schema.prisma');
      const changed = join(scratch, 'schema.prisma');
      writeFileSync(
        changed,
        readFileSync(schema, 'utf8').replace(/(model Member \{\n)/, '$1  motto String?\n'),
      );
      expect(migrateDiff(schema, changed)).toMatch(/ALTER TABLE "members" ADD COLUMN {5}"motto" TEXT;/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('mypage (SQLite): from an empty database, a CREATE TABLE for every model', () => {
    const schema = root('subgraphs/mypage/prisma/schema.prisma');
    const sql = migrateDiff('empty', schema);
    for (const table of tablesOfPrismaSchema(schema)) expect(sql).toContain(`CREATE TABLE "${table}"`);
  });
});
