/**
 * One process holding a share of the idle sockets (BENCH_TOKEN_FROM … + BENCH_TOKEN_COUNT of the
 * tokens in BENCH_TOKEN_FILE, each subscribed with BENCH_QUERY at BENCH_WS_URL, from the loopback
 * source addresses BENCH_SOURCE_ADDRESSES). A process may hold only as many sockets as its
 * open-file limit allows, so 50,000 take several of these. Prints `READY {"opened":n}` once every
 * socket is subscribed; closes them all on SIGTERM, then exits.
 */
import { readFileSync } from 'node:fs';
import { announceReady } from '../support/service-process.js';
import { IdleSockets } from './idle-sockets.js';

const env = (name: string) => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};
const from = Number(env('BENCH_TOKEN_FROM'));
const tokens = readFileSync(env('BENCH_TOKEN_FILE'), 'utf8')
  .split('\n')
  .slice(from, from + Number(env('BENCH_TOKEN_COUNT')));
const sockets = new IdleSockets(env('BENCH_WS_URL'), env('BENCH_SOURCE_ADDRESSES').split(','));
process.once('SIGTERM', () => void sockets.close().then(() => process.exit(0)));
announceReady({ opened: await sockets.open(tokens, env('BENCH_QUERY')) });
