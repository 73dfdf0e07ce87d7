import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  childEnv,
  createTestDatabase,
  createTestStream,
  eventually,
  freePort,
  freePortBelowEphemeral,
  type TestDatabase,
} from '@gaji/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { subgraphs } from '../../gateway/src/composition/subgraph-registry.js';
import { Shopper } from '../support/marketplace.js';

/** Process ids of every descendant of `pid` (from ps), to prove none outlives the start script. */
function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const walk = (id: number) => (children.get(id) ?? []).forEach((child) => (found.push(child), walk(child)));
  walk(pid);
  return found;
}

/** The process id of the service started from `entry` under the start script `root`. */
function servicePid(root: number, entry: string): number {
  const mine = new Set(descendants(root));
  const out = execFileSync('ps', ['-e', '-o', 'pid=,args='], { encoding: 'utf8' });
  const found = out
    .trim()
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match && mine.has(Number(match[1])) && match[2]!.includes(entry))
    .map((match) => Number(match![1]));
  if (found.length === 0) throw new Error(`no process runs ${entry}`);
  return found.at(-1)!;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the one start command', () => {
  const databases: TestDatabase[] = [];
  const stream = createTestStream('start');
  const dataDir = mkdtempSync(join(tmpdir(), 'gaji-start-'));
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child?.pid && alive(child.pid)) {
      // A run cut short (a timeout) leaves the services under the script: they go with it, or a
      // SIGKILL to the script alone orphans them (found running two hours after a timed-out run).
      const services = descendants(child.pid);
      child.kill('SIGKILL');
      for (const pid of services.filter(alive)) process.kill(pid, 'SIGKILL');
    }
    await Promise.all(databases.map((db) => db.drop()));
    await stream.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts every service, answers through the gateway, restarts a service killed with SIGKILL, and Ctrl-C leaves no process behind', async () => {
    const env: Record<string, string> = {
      ...(childEnv() as Record<string, string>),
      NATS_URL: stream.natsUrl,
      EVENT_STREAM: stream.stream,
      EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
      MYPAGE_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PORT: String(await freePort()),
    };
    for (const subgraph of subgraphs) {
      // Below the ephemeral range: product is killed and restarted on its port, and while it is
      // down another test's listen(0) was once handed that port (product answered as another service).
      env[subgraph.envUrl] = `http://127.0.0.1:${await freePortBelowEphemeral()}/graphql`;
      if (subgraph.store === 'postgresql') {
        const db = await createTestDatabase(`start_${subgraph.name}`);
        databases.push(db);
        env[`${subgraph.name.toUpperCase()}_DATABASE_URL`] = db.url;
      }
    }
    env.MEMBER_JWKS_URL = env.MEMBER_URL!.replace('/graphql', '/.well-known/jwks.json');
    env.PAYMENT_INTERNAL_URL = new URL(env.PAYMENT_URL!).origin;

    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await eventually(() => expect(output).toContain('Gaji Market is running'), 90_000, 200);

    const gatewayUrl = `http://127.0.0.1:${env.PORT}/graphql`;
    const member = await Shopper.signUp(gatewayUrl, 'Started');
    expect((await member.gql<{ me: { id: string } }>('{ me { id } }')).data?.me.id).toBe(member.id);

    // kill -9 of one service: the supervisor restarts it, and the others keep answering meanwhile.
    const productPid = servicePid(child.pid!, 'subgraphs/product/src/main.ts');
    process.kill(productPid, 'SIGKILL');
    const killedAt = performance.now();
    expect((await member.gql<{ me: { id: string } }>('{ me { id } }')).data?.me.id).toBe(member.id);
    await eventually(
      () => expect(output).toMatch(/\[product\] exited \(SIGKILL\).*restarting in/),
      10_000,
      100,
    );
    expect(await eventually(() => member.register({ title: 'After the crash' }), 60_000, 500)).toEqual(
      expect.any(String),
    );
    console.info(
      `npm start: product answers again ${(performance.now() - killedAt).toFixed(0)} ms after kill -9`,
    );
    expect(servicePid(child.pid!, 'subgraphs/product/src/main.ts')).not.toBe(productPid);

    const processes = descendants(child.pid!);
    expect(processes.length).toBeGreaterThanOrEqual(subgraphs.length + 1);
    child.kill('SIGINT');
    // Exits by itself once its children are down (tsx reports a SIGINT exit as 130).
    await eventually(
      () => expect(child!.exitCode === null && child!.signalCode === null).toBe(false),
      30_000,
      100,
    );
    await eventually(() => expect(processes.filter(alive)).toEqual([]), 15_000, 100);
    // The sum of its waits (start 90 s, restart 60 s, exit 30 s, children 15 s), not the project's
    // 60 s: on a loaded machine the start alone outlasted it.
  }, 210_000);
});
