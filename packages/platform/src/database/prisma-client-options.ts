/**
 * What every Prisma client of ours is built with, beside its adapter.
 *
 * `errorFormat: 'minimal'`: with any other format Prisma captures a stack trace (`new Error`) on
 * every query, to point a failed query's message at the calling line — 4% of the subgraphs' CPU
 * on the buy path (docs/performance.md, "Prisma's error format"). Our failures are recognised by
 * their Prisma code (prisma-errors.ts) and logged with their own stacks; the call site's code
 * frame in the message is not needed.
 */
export const PRISMA_CLIENT_DEFAULTS = { errorFormat: 'minimal' } as const;
