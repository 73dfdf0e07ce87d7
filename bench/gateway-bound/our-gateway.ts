/**
 * Our gateway with every feature on (JWT verification, auth directives, operation limits, live
 * subscriptions' event bus) over the supergraph it is given (BENCH_SUPERGRAPH, a file, and
 * BENCH_SUBGRAPH_URLS, JSON by name); without them, over our own subgraphs (the *_URL variables).
 */
import { readFileSync } from 'node:fs';
import { gatewayConfigSchema, startGateway } from '@gaji/gateway';
import { loadConfig } from '@gaji/platform/config';
import { createLogger } from '@gaji/platform/logging';
import { LIMITS_FOR_TESTS_NOT_ABOUT_LIMITS } from '../../test/support/test-system.js';
import { profileOnSignal } from '../support/profile-on-signal.js';
import { announceReady } from '../support/service-process.js';

// One load generator on one address: the per-address limits (still counting) must not be what is measured.
const config = loadConfig(gatewayConfigSchema, {
  ...LIMITS_FOR_TESTS_NOT_ABOUT_LIMITS,
  ...process.env,
  // Replicas sharing one port (GATEWAY_REUSE_PORT) are given it; otherwise any free one.
  PORT: process.env.BENCH_GATEWAY_PORT ?? '0',
});
const override = process.env.BENCH_SUPERGRAPH
  ? {
      sdl: readFileSync(process.env.BENCH_SUPERGRAPH, 'utf8'),
      urls: JSON.parse(process.env.BENCH_SUBGRAPH_URLS ?? '{}') as Record<string, string>,
    }
  : undefined;
const gateway = await startGateway(config, createLogger('gateway', config.LOG_LEVEL), override);
// BENCH_CPU_PROFILE=<file>: profiled between SIGUSR2 and SIGUSR1, as the whole system is.
if (process.env.BENCH_CPU_PROFILE) profileOnSignal(process.env.BENCH_CPU_PROFILE);
process.once('SIGTERM', () => void gateway.stop().then(() => process.exit(0)));
announceReady({ url: gateway.url });
