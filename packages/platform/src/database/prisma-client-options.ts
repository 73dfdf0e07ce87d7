/**
 * What every Prisma client of ours is built with, beside its adapter.
 *
 * `errorFormat: 'minimal'`: Prisma picks it by itself when NODE_ENV is `production`, and otherwise
 * captures a stack trace (`new Error`) on every query to point a failed query's message at the
 * calling line — 4% of the subgraphs' CPU on the buy path in tests and benchmarks, which run
 * without NODE_ENV=production (docs/performance.md, "Prisma's error format"). Set here, every
 * environment behaves as production does, and what the benchmarks measure is what runs there. Our
 * failures are recognised by their Prisma code (prisma-errors.ts) and logged with their own stacks.
 */
export const PRISMA_CLIENT_DEFAULTS = { errorFormat: 'minimal' } as const;
