import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 ships CommonJS (main) and ESM (module) builds. Node — and so Apollo, at run time and
// under vitest — loads the CommonJS one; Vite would hand our own sources the ESM one, and the two
// realms reject each other's schema objects. Pin our imports to the build Node uses.
const graphqlCommonJs = createRequire(import.meta.url).resolve('graphql');

// Unit tests are pure and fast. Integration and end-to-end tests talk to real PostgreSQL and real
// NATS JetStream; each creates its own uniquely named databases and streams and removes them.
// On a 2-core machine those files run one at a time so timings stay sane.
export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlCommonJs }] },
  test: {
    // Tests reach loopback only: a connection or DNS lookup aimed elsewhere fails its test file.
    // And a test that makes no assertion fails (expect.hasAssertions before each).
    setupFiles: ['packages/testkit/src/loopback-only.ts', 'test/support/every-test-asserts.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/test/**/*.unit.test.ts'],
          exclude: ['**/node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/test/**/*.int.test.ts', '**/test/**/*.e2e.test.ts', 'test/**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**'],
          globalSetup: ['test/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
