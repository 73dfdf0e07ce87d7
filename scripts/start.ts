/**
 * npm start — the whole of Gaji Market on one machine.
 *
 *  - NATS: NATS_URL, else a child `nats-server -js` (store in .data/nats, port EMBEDDED_NATS_PORT=4223)
 *  - PostgreSQL: <CONTEXT>_DATABASE_URL per context, else one embedded PostgreSQL cluster
 *    (.data/postgres, port EMBEDDED_POSTGRES_PORT=5433) with a database per context
 *  - service keys for internal routes: .data/service-keys.json, generated on the first start
 *  - every subgraph (migrations run at its start-up), then the gateway on :4000
 *
 * A child that crashes is restarted with a growing pause (scripts/system/supervisor.ts) while the
 * others keep running. Ctrl-C stops every child process; data in .data/ survives for the next start.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { subgraphs } from '../gateway/src/composition/subgraph-registry.js';
import { derivedUrls } from './system/derived-urls.js';
import { contextDatabase, startEmbeddedPostgres } from './system/embedded-postgres.js';
import { startEmbeddedNats, waitFor } from './system/embedded-nats.js';
import { embeddedServiceKeys } from './system/service-keys.js';
import { Supervisor } from './system/supervisor.js';

const root = resolve(import.meta.dirname, '..');
const dataDir = join(root, '.data');
const supervisor = new Supervisor();
const cleanups: (() => Promise<void>)[] = [];

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  // With only MEMBER_URL…MYPAGE_URL moved, the keys and internal routes follow them.
  const env: Record<string, string> = {
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    ...derivedUrls(process.env),
  };

  let natsUrl = process.env.NATS_URL;
  if (!natsUrl) {
    const nats = await startEmbeddedNats(dataDir, Number(process.env.EMBEDDED_NATS_PORT ?? 4223));
    supervisor.add('nats', nats.spawn, nats.child);
    natsUrl = nats.url;
  }
  env.NATS_URL = natsUrl;

  let embeddedServer: string | undefined;
  for (const subgraph of subgraphs) {
    if (subgraph.store !== 'postgresql') continue;
    const variable = `${subgraph.name.toUpperCase()}_DATABASE_URL`;
    let url = process.env[variable];
    if (!url) {
      if (!embeddedServer) {
        const postgres = await startEmbeddedPostgres(
          dataDir,
          Number(process.env.EMBEDDED_POSTGRES_PORT ?? 5433),
        );
        cleanups.push(() => postgres.stop());
        handleSignals(); // embedded-postgres hooked SIGINT/SIGTERM to exit at once: we stop children first
        embeddedServer = postgres.serverUrl;
      }
      url = await contextDatabase(embeddedServer, `gaji_${subgraph.name}`);
    }
    env[variable] = url;
  }

  const serviceKeys = await embeddedServiceKeys(dataDir);
  env.TRUSTED_SERVICE_KEYS = process.env.TRUSTED_SERVICE_KEYS ?? serviceKeys.trustedKeys;
  for (const subgraph of subgraphs) {
    const port = new URL(process.env[subgraph.envUrl] ?? subgraph.defaultUrl).port;
    const signingKey = process.env.SERVICE_SIGNING_KEY ?? serviceKeys.signingKeys[subgraph.name];
    run(subgraph.name, `subgraphs/${subgraph.name}/src/main.ts`, {
      ...env,
      PORT: port,
      ...(signingKey ? { SERVICE_SIGNING_KEY: signingKey } : {}),
    });
    await waitUntilReady(subgraph.name, Number(port));
  }
  const gatewayPort = Number(process.env.PORT ?? 4000);
  // --expose-gc: the gateway hands memory back after a crowd of sockets leaves (memory-after-exodus.ts).
  run('gateway', 'gateway/src/main.ts', { ...env, PORT: String(gatewayPort) }, ['--expose-gc']);
  await waitUntilReady('gateway', gatewayPort);

  console.log(`
  Gaji Market is running.
    GraphQL API + Apollo Sandbox  http://localhost:${gatewayPort}/graphql
${subgraphs.map((s) => `    ${s.name.padEnd(8)} subgraph        ${process.env[s.envUrl] ?? s.defaultUrl}`).join('\n')}
    NATS JetStream                ${natsUrl}
    data                          ${dataDir}
  Ctrl-C stops everything.
`);
}

function run(name: string, entry: string, env: Record<string, string>, nodeFlags: string[] = []): void {
  supervisor.add(name, () => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', join(root, entry)], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = (chunk: Buffer) =>
      chunk
        .toString()
        .split('\n')
        .filter(Boolean)
        .map((line) => `[${name}] ${line}\n`)
        .join('');
    child.stdout?.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
    return child;
  });
}

async function waitUntilReady(name: string, port: number): Promise<void> {
  await waitFor(
    async () => {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    },
    90_000,
    name,
  );
}

let stopped: Promise<never> | undefined;
function stop(code: number): Promise<never> {
  stopped ??= stopEverything(code);
  return stopped;
}

async function stopEverything(code: number): Promise<never> {
  // Gateway first, subgraphs next, NATS last: the reverse of start-up.
  await supervisor.stop();
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
  process.exit(code);
}

/** Ctrl-C / SIGTERM: stop every child, then the embedded servers, then exit — and nothing else. */
function handleSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(0));
  }
}

handleSignals();
main().catch(async (error: unknown) => {
  console.error((error as Error).message ?? error);
  await stop(1);
});
