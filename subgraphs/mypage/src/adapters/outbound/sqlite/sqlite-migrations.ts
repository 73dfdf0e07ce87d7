import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PrismaClient } from '../prisma/generated/client.js';

export const myPageMigrationsDir = new URL('../../../../prisma/migrations/', import.meta.url);

/**
 * Applies `prisma/migrations/<name>/migration.sql` in name order, each in one transaction with its
 * record in `mypage_migrations`. Prisma's migrate CLI cannot do this for SQLite here (its shadow
 * database path fails with P3006), and the generated SQL is plain DDL, so statements split on `;`.
 */
export async function applyMigrations(db: PrismaClient, directory: string): Promise<string[]> {
  await db.$executeRawUnsafe(
    'CREATE TABLE IF NOT EXISTS mypage_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)',
  );
  const done = new Set(
    (await db.$queryRawUnsafe<{ name: string }[]>('SELECT name FROM mypage_migrations')).map(
      (row) => row.name,
    ),
  );
  const names = (await readdir(directory, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const applied: string[] = [];
  for (const name of names.filter((n) => !done.has(n))) {
    const script = await readFile(join(directory, name, 'migration.sql'), 'utf8');
    await db.$transaction(async (tx) => {
      for (const statement of statementsOf(script)) await tx.$executeRawUnsafe(statement);
      await tx.$executeRaw`INSERT INTO mypage_migrations (name, applied_at) VALUES (${name}, ${new Date().toISOString()})`;
    });
    applied.push(name);
  }
  return applied;
}

export function statementsOf(script: string): string[] {
  return script
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(';')
    .map((statement) => statement.trim())
    .filter(Boolean);
}
