import { defineConfig } from 'vitest/config';

// Unit tests are pure and fast. Integration and end-to-end tests talk to real PostgreSQL and real
// NATS JetStream; each creates its own uniquely named databases and streams and removes them.
// On a 2-core machine those files run one at a time so timings stay sane.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['**/test/**/*.unit.test.ts'], exclude: ['**/node_modules/**'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/test/**/*.int.test.ts', '**/test/**/*.e2e.test.ts'],
          exclude: ['**/node_modules/**'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
