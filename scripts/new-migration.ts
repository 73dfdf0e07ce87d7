/**
 * npm run migration:new -- <context> <name>
 *
 * Writes subgraphs/<context>/prisma/migrations/NNNN_<name>/migration.sql: the SQL that takes the
 * schema as of the last migration (schema.snapshot.prisma) to the current schema.prisma, via
 * Prisma's schema-to-schema `migrate diff` (Prisma 6.19.3's CLI: see migrate-diff/migrate-diff.ts).
 * Then refreshes the snapshot. No shadow database.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isEmptyDiff, migrateDiff } from './migrate-diff/migrate-diff.js';

const [context, name] = process.argv.slice(2);
if (!context || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migration:new -- <context> <snake_case_name>');
  process.exit(1);
}
const root = join('subgraphs', context);
const migrations = join(root, 'prisma', 'migrations');
const snapshot = join(migrations, 'schema.snapshot.prisma');
mkdirSync(migrations, { recursive: true });

const sql = migrateDiff(existsSync(snapshot) ? snapshot : 'empty', join(root, 'prisma', 'schema.prisma'));
if (isEmptyDiff(sql)) {
  console.log('schema.prisma matches the last migration: nothing to write.');
  process.exit(0);
}
const next =
  readdirSync(migrations, { withFileTypes: true }).filter((entry) => entry.isDirectory()).length + 1;
const folder = join(migrations, `${String(next).padStart(4, '0')}_${name}`);
mkdirSync(folder);
writeFileSync(join(folder, 'migration.sql'), sql.trimStart());
copyFileSync(join(root, 'prisma', 'schema.prisma'), snapshot);
console.log(`wrote ${join(folder, 'migration.sql')}`);
