import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A `nats-server -js` child with its store under `.data/nats`, for when NATS_URL is not set.
 * `spawn` starts another one on the same port and store (the supervisor's restart).
 */
export async function startEmbeddedNats(
  dataDir: string,
  port: number,
): Promise<{ url: string; child: ChildProcess; spawn: () => ChildProcess }> {
  if (spawnSync('nats-server', ['--version']).error) {
    throw new Error(
      'nats-server not found: install it with `sudo apt-get install nats-server`, or set NATS_URL to a running server.',
    );
  }
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const spawnNats = () => {
    const child = spawn('nats-server', ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // nats-server logs every start-up detail to stderr; pass on only warnings and errors.
    child.stderr?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n'))
        if (/\[(WRN|ERR|FTL)\]/.test(line)) process.stderr.write(`[nats] ${line}\n`);
    });
    return child;
  };
  const child = spawnNats();
  const url = `nats://127.0.0.1:${port}`;
  await waitFor(
    async () => {
      const { connect } = await import('@nats-io/transport-node');
      const nc = await connect({ servers: url, reconnect: false });
      await nc.close();
    },
    15_000,
    'nats-server',
  );
  return { url, child, spawn: spawnNats };
}

export async function waitFor(probe: () => Promise<unknown>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await probe();
      return;
    } catch (error) {
      last = error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms: ${(last as Error)?.message ?? last}`);
}
