/**
 * Vitest global setup: tests talk to a real PostgreSQL and a real NATS JetStream. They use the
 * machine's servers when reachable (127.0.0.1:5432 and :4222, or TEST_DATABASE_ADMIN_URL /
 * TEST_NATS_URL) and otherwise start private ones for the run: embedded PostgreSQL from npm and
 * a `nats-server -js` child. Either way each test creates and removes its own databases/streams.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tcpConnect } from 'node:net';
import { PrivatePostgres, freePort } from '@gaji/testkit';
import pg from 'pg';

const cleanups: (() => Promise<void>)[] = [];

export async function setup(): Promise<void> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  if (!(await postgresAnswers(adminUrl))) {
    const postgres = await PrivatePostgres.start({ label: 'test' });
    process.env.TEST_DATABASE_ADMIN_URL = postgres.adminUrl;
    console.log(`[test setup] no PostgreSQL at ${adminUrl}; started an embedded one on :${postgres.port}`);
    cleanups.push(() => postgres.destroy());
  }

  const natsUrl = new URL(process.env.TEST_NATS_URL ?? 'nats://127.0.0.1:4222');
  if (!(await portOpen(Number(natsUrl.port), natsUrl.hostname))) {
    const port = await freePort();
    const dir = mkdtempSync(join('/tmp', 'gaji-test-nats-'));
    const child: ChildProcess = spawn(
      'nats-server',
      ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !(await portOpen(port, '127.0.0.1')); i++)
      await new Promise((r) => setTimeout(r, 100));
    process.env.TEST_NATS_URL = `nats://127.0.0.1:${port}`;
    console.log(`[test setup] no NATS at ${natsUrl.host}; started nats-server -js on :${port}`);
    cleanups.push(async () => {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    });
  }
}

export async function teardown(): Promise<void> {
  for (const cleanup of cleanups.reverse()) await cleanup();
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function portOpen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, host);
    socket.setTimeout(1_000, () => socket.destroy());
    socket.once('connect', () => socket.end(() => resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}
