/**
 * npx tsx bench/gateway-bound/profile-gateways.ts [seconds] — CPU profiles of our gateway and of
 * stock under the gateway-bound deep query, one after the other, written to BENCH_PROFILE_DIR
 * (default: a temporary directory) and summarised with bench/support/profile-summary.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStream } from '@gaji/testkit';
import { load } from '../support/load.js';
import { startServiceProcess } from '../support/service-process.js';
import { DEEP_QUERY } from './benchmark-data.js';

const seconds = Number(process.argv[2] ?? 10);
const directory = process.env.BENCH_PROFILE_DIR ?? mkdtempSync(join(tmpdir(), 'gaji-profile-'));
mkdirSync(directory, { recursive: true });
const stream = createTestStream('benchprof');
const subgraphs = await startServiceProcess<{
  urls: Record<string, string>;
  supergraphSdl: string;
  jwksUrl: string;
  token: string;
}>('gateway-bound/benchmark-subgraphs.ts');
const supergraphFile = join(directory, 'supergraph.graphql');
writeFileSync(supergraphFile, subgraphs.info.supergraphSdl);
const body = JSON.stringify({ query: DEEP_QUERY, operationName: 'TestQuery' });

async function profile(name: string, entry: string, env: Record<string, string>, headers = {}) {
  const profileDir = join(directory, name);
  const side = await startServiceProcess<{ url: string }>(entry, {
    ...env,
    BENCH_SUPERGRAPH: supergraphFile,
    NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}`,
  });
  const target = { url: side.info.url, pid: side.pid, body, headers };
  const warm = await load(target, { connections: 20, seconds: 3 });
  const result = await load(target, { connections: 20, seconds });
  const requests = Math.round(warm.requestsPerSecond * 3 + result.requestsPerSecond * seconds);
  await side.stop();
  const file = join(
    profileDir,
    readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'))!,
  );
  console.log(
    `## ${name} (npx tsx bench/gateway-bound/profile-gateways.ts, BENCH_PROFILE_DIR=${directory}): ${result.requestsPerCpuSecond.toFixed(1)} req/CPU-s; ${requests} requests in the profile; ${file}\n`,
  );
  console.log(
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/support/profile-summary.ts', file], {
      encoding: 'utf8',
    }),
  );
}

try {
  await profile(
    'ours',
    'gateway-bound/our-gateway.ts',
    {
      NODE_ENV: 'production',
      BENCH_SUBGRAPH_URLS: JSON.stringify(subgraphs.info.urls),
      MEMBER_JWKS_URL: subgraphs.info.jwksUrl,
      EVENT_STREAM: stream.stream,
      EVENT_SUBJECT_PREFIX: stream.subjectPrefix,
      QUERY_ASSUMED_LIST_SIZE: '5',
      QUERY_MAX_COST: '100000',
    },
    { authorization: `Bearer ${subgraphs.info.token}` },
  );
  await profile('stock', 'gateway-bound/stock-gateway.ts', {});
} finally {
  await subgraphs.stop();
  await stream.remove();
}
