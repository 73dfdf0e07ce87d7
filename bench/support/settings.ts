/** BENCH_QUICK=1: short runs to check the benchmarks work, not figures to quote. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** Seconds per measured run, rounds per comparison (sides alternate each round). */
export const RUN = QUICK
  ? { seconds: 3, rounds: 2, warmupSeconds: 2 }
  : { seconds: 10, rounds: 3, warmupSeconds: 5 };
