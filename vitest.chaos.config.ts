import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const graphqlCommonJs = createRequire(import.meta.url).resolve('graphql');

/**
 * Crash tests and drills (npm run test:chaos, npm run drills): the whole system as real processes
 * killed and restarted under load. Loopback only, one file at a time, each bounded; not part of
 * `npm test` (they take minutes), run by `.ci/run` after it.
 */
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCommonJs }] },
  test: {
    setupFiles: ['packages/testkit/src/loopback-only.ts'],
    include: ['test/chaos/**/*.chaos.test.ts', 'test/drills/**/*.drill.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    // Figures are printed as the run goes.
    silent: false,
  },
});
