import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The SQL that takes schema `from` (or an empty database) to schema `to`: Prisma's schema-to-schema
 * `migrate diff`, no shadow database.
 *
 * Run with Prisma 6.19.3's CLI (the `prisma-migrate-diff` npm alias) although the runtime is on
 * Prisma 7: 7's `migrate diff` needs its native schema engine, downloaded from outside the npm
 * registry, while 6.19.3 ships a WebAssembly one (docs/decisions/0002-migrations.md). 6.19.3 also
 * insists on a datasource `url`, which 7 forbids in the schema, so the diff runs on copies of the
 * schemas with `url = env("DATABASE_URL")` added, and with the generator's `engineType = "client"`
 * that 7 removed (without it, 6.19.3 wants its native query engine and tries to download it).
 * The models are read as they are.
 */
export function migrateDiff(from: string | 'empty', to: string): string {
  const cli = createRequire(import.meta.url).resolve('prisma-migrate-diff/build/index.js');
  const config = fileURLToPath(new URL('./prisma6.config.ts', import.meta.url));
  const scratch = mkdtempSync(join(tmpdir(), 'gaji-migrate-diff-'));
  try {
    const copy = (schema: string, name: string) => {
      const path = join(scratch, name);
      writeFileSync(path, forPrisma6(readFileSync(schema, 'utf8')));
      return path;
    };
    const target = readFileSync(to, 'utf8');
    // The CLI reads the generator of the config's schema to decide which engines it needs.
    const toCopy = copy(to, 'to.prisma');
    const fromArgs =
      from === 'empty' ? ['--from-empty'] : ['--from-schema-datamodel', copy(from, 'from.prisma')];
    return execFileSync(
      process.execPath,
      [cli, 'migrate', 'diff', '--config', config, ...fromArgs, '--to-schema-datamodel', toCopy, '--script'],
      {
        cwd: scratch,
        encoding: 'utf8',
        // stderr (the CLI's chatter, or its error) is kept: execFileSync puts it in what it throws.
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          GAJI_DIFF_PROVIDER: providerOf(target),
          GAJI_DIFF_SCHEMA: toCopy,
          // The CLI's update check would call checkpoint.prisma.io: loopback only here.
          CHECKPOINT_DISABLE: '1',
        },
      },
    ).replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n?/, '');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** True when the diff holds no statement (only comments or nothing). */
export const isEmptyDiff = (sql: string): boolean => !/\S/.test(sql.replace(/--.*$/gm, ''));

const DATASOURCE = /(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"[^"]+")/;

const GENERATOR = /(generator\s+\w+\s*\{[^}]*?provider\s*=\s*"[^"]+")/g;

function forPrisma6(schema: string): string {
  if (!DATASOURCE.test(schema)) throw new Error('schema has no datasource block with a provider');
  return schema
    .replace(GENERATOR, '$1\n  engineType = "client"')
    .replace(DATASOURCE, '$1\n  url      = env("DATABASE_URL")');
}

function providerOf(schema: string): string {
  return DATASOURCE.exec(schema)?.[1]?.match(/provider\s*=\s*"([^"]+)"/)?.[1] ?? 'postgresql';
}
