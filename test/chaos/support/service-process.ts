import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, type WriteStream } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { childEnv } from '@gaji/testkit';

const root = join(import.meta.dirname, '../../..');

/**
 * One service (a subgraph or the gateway) as a real child process, as `npm start` runs it:
 * `node --import tsx <entry>` with its environment. It can be killed with any signal and started
 * again on the same port, database and stream. Its output goes to `<logDir>/<name>.log`.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  /** Starts so far (1 after the first start). */
  starts = 0;

  constructor(
    readonly name: string,
    readonly entry: string,
    readonly port: number,
    readonly env: Record<string, string>,
    private readonly logDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Spawns the process and waits for `/health/ready`. With `startupNice`, the process starts at
   * that niceness and is put back to 0 once ready: on this shared two-core machine a booting
   * instance (TypeScript transpiled, supergraph composed: seconds of CPU) would otherwise starve the
   * running ones, which in a cluster it cannot — a new pod starts on CPU of its own (its request).
   */
  async start(timeoutMs = 90_000, options: { startupNice?: number } = {}): Promise<void> {
    if (this.running) return;
    this.starts += 1;
    this.log ??= createWriteStream(join(this.logDir, `${this.name}.log`), { flags: 'a' });
    this.log.write(`--- start ${this.starts} at ${new Date().toISOString()}\n`);
    const node = [process.execPath, '--import', 'tsx', join(root, this.entry)];
    const [command, ...args] = options.startupNice
      ? ['nice', '-n', String(options.startupNice), ...node]
      : node;
    const child = spawn(command!, args, {
      cwd: root,
      env: childEnv({ ...this.env, PORT: String(this.port) }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    await this.waitReady(timeoutMs);
    if (options.startupNice && child.pid) renice(child.pid, 0);
  }

  async waitReady(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running)
        throw new Error(`${this.name} exited before it was ready (see ${this.logDir}/${this.name}.log)`);
      const ready = await fetch(`${this.url}/health/ready`, { signal: AbortSignal.timeout(2_000) })
        .then((response) => response.ok)
        .catch(() => false);
      if (ready) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not ready within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `graceMs` if it lingers). */
  async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    this.log?.end();
    this.log = undefined;
  }
}

/** Sets the niceness of every thread of a process (Linux nice values are per thread). */
function renice(pid: number, nice: number): void {
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      setPriority(Number(thread), nice);
    } catch {
      // The thread ended meanwhile.
    }
  }
}
