/**
 * npm run migration:new -- <context> <name>
 *
 * Writes subgraphs/<context>/prisma/migrations/NNNN_<name>/migration.sql: the SQL that takes the
 * schema as of the last migration (schema.snapshot.prisma) to the current schema.prisma, via
 * Prisma's schema-to-schema `migrate diff`. Then refreshes the snapshot. No shadow database.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [context, name] = process.argv.slice(2);
if (!context || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run migration:new -- <context> <snake_case_name>');
  process.exit(1);
}
const root = join('subgraphs', context);
const migrations = join(root, 'prisma', 'migrations');
const snapshot = join(migrations, 'schema.snapshot.prisma');
mkdirSync(migrations, { recursive: true });

const from = existsSync(snapshot)
  ? ['--from-schema-datamodel', 'prisma/migrations/schema.snapshot.prisma']
  : ['--from-empty'];
const sql = execFileSync(
  'npx',
  ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
  {
    cwd: root,
    encoding: 'utf8',
  },
)
  .replace(/^Loaded Prisma config.*\n/m, '')
  .replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n?/, '');
if (!/\S/.test(sql.replace(/--.*$/gm, ''))) {
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
