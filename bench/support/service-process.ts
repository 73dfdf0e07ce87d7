import { spawn, type ChildProcess } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { childEnv } from '@gaji/testkit';

export interface ServiceProcess<Info> {
  pid: number;
  info: Info;
  /** The command line, for the results file. */
  command: string;
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry point in its own process (so its CPU time is its own) and waits for
 * the line `READY <json>` it prints once it listens. Stops it with SIGTERM, then SIGKILL.
 */
export async function startServiceProcess<Info>(
  entry: string,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<ServiceProcess<Info>> {
  // Relative to bench/, or absolute (another checkout's entry point, measured beside ours).
  const path = isAbsolute(entry) ? entry : fileURLToPath(new URL(`../${entry}`, import.meta.url));
  // `node --import tsx`, not the tsx CLI: the CLI runs the file in a second process, whose CPU we
  // would not see.
  const child = spawn(process.execPath, ['--import', 'tsx', path], {
    env: childEnv({ LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const info = await new Promise<Info>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start in ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve(JSON.parse(line.slice('READY '.length)) as Info);
    });
  });
  return {
    pid: child.pid!,
    info,
    command: `node --import tsx ${isAbsolute(entry) ? entry : `bench/${entry}`}`,
    stop: () => stopChild(child),
  };
}

/**
 * Starts another checkout's own entry point (its `main.ts`, which prints no READY line) on `port`
 * and waits until `http://127.0.0.1:<port>/health/ready` answers 200: code as it was at some commit,
 * measured beside ours in the same run.
 */
export async function startCheckoutService(
  checkout: string,
  entry: string,
  port: number,
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<ServiceProcess<{ url: string }>> {
  const path = join(checkout, entry);
  const child = spawn(process.execPath, ['--import', 'tsx', path], {
    cwd: checkout,
    env: childEnv({ LOG_LEVEL: 'warn', ...env, PORT: String(port) }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${path} exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`, {
      signal: AbortSignal.timeout(2_000),
    }).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${path} was not ready in ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    pid: child.pid!,
    info: { url: `http://127.0.0.1:${port}/graphql` },
    command: `PORT=${port} node --import tsx ${path}`,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // The whole system drops its databases and stream when it stops: give it time to.
    const kill = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** What a child prints once it is ready (see startServiceProcess). */
export function announceReady(info: unknown): void {
  process.stdout.write(`READY ${JSON.stringify(info)}\n`);
}
