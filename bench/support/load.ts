import autocannon from 'autocannon';
import { cpuSecondsOf } from './process-cpu.js';

/** A GraphQL endpoint under load, and the process whose CPU pays for it. */
export interface LoadTarget {
  url: string;
  /** The process serving `url` (a gateway, a subgraph): its CPU time is read around the run. */
  pid: number;
  body: string;
  headers?: Record<string, string>;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Requests answered per CPU-second of the target process. */
  requestsPerCpuSecond: number;
  cpuSecondsPerSecond: number;
  p99Ms: number;
  /**
   * Requests that failed: connection errors, timeouts, non-2xx answers, and 200 answers carrying
   * GraphQL `errors` (which autocannon alone counts as successes).
   */
  errors: number;
}

/** A GraphQL answer with top-level errors (a 200 all the same): not a success. */
const answeredWithoutErrors = (body: string | Buffer | undefined) =>
  !String(body ?? '').includes('"errors":[');

/** One bounded autocannon run (loopback only): `seconds` long, `connections` in flight. */
export async function load(
  target: LoadTarget,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  const cpuBefore = cpuSecondsOf(target.pid);
  const started = performance.now();
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    connections: options.connections,
    duration: options.seconds,
    verifyBody: answeredWithoutErrors,
  });
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSecondsOf(target.pid) - cpuBefore;
  const answered = result.requests.total;
  return {
    requestsPerSecond: answered / elapsed,
    requestsPerCpuSecond: cpu > 0 ? answered / cpu : NaN,
    cpuSecondsPerSecond: cpu / elapsed,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts + result.mismatches,
  };
}

/**
 * Whether a comparison's runs can back a "met": every side answered requests (a side that
 * answered none makes `ours >= baseline` hold as 0 >= 0) and none of them failed.
 */
export const answeredCleanly = (...sides: LoadResult[]): boolean =>
  sides.every((side) => side.requestsPerSecond > 0 && side.errors === 0);

/** Sends the request once and returns the parsed answer (to check both sides answer alike). */
export async function answerOf(target: LoadTarget): Promise<unknown> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
  });
  return response.json();
}

export interface Side {
  name: string;
  target: LoadTarget;
}

/**
 * Runs every side `rounds` times, alternating the order each round (A B, B A, …) so drift on a
 * shared machine falls on both sides alike, and returns each side's median run.
 */
export async function interleaved(
  sides: Side[],
  options: { rounds: number; seconds: number; connections: number; warmupSeconds: number },
): Promise<Map<string, LoadResult & { runs: LoadResult[] }>> {
  for (const side of sides)
    await load(side.target, { connections: options.connections, seconds: options.warmupSeconds });
  const runs = new Map<string, LoadResult[]>(sides.map((side) => [side.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) runs.get(side.name)!.push(await load(side.target, options));
  }
  return new Map(
    [...runs].map(([name, results]) => [
      name,
      { ...medianBy(results, (r) => r.requestsPerCpuSecond), runs: results },
    ]),
  );
}

function medianBy<T>(items: T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Max/min spread of a side's runs, as a fraction: how noisy the machine was. */
function spreadOf(runs: LoadResult[], key: (run: LoadResult) => number): number {
  const values = runs.map(key);
  return Math.max(...values) / Math.min(...values) - 1;
}

/**
 * The noise column of a comparison: half the largest max/min spread among the sides' runs, as
 * `±N%` (the figures of every side moved at least that much from run to run).
 */
export function noiseOf(sides: { runs: LoadResult[] }[], key: (run: LoadResult) => number): string {
  return `±${Math.round((100 * Math.max(...sides.map((side) => spreadOf(side.runs, key)))) / 2)}%`;
}

/** The p-th percentile of `values` (nearest rank); NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
