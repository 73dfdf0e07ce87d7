/**
 * npx tsx bench/many-variables.ts — what a body of 60,000 unused variables costs the gateway, next
 * to one of the same size holding a single string variable (docs/security.md, "Variable count").
 *
 * Boots the whole system in-process and POSTs each body BENCH_ROUNDS times, alternating, so a busy
 * machine slows both alike. Run it in two checkouts to compare before and after.
 */
import { TestSystem } from '../test/support/test-system.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const unused = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`v${i}`, i]));
const manyKeys = JSON.stringify({ query: '{__typename}', variables: unused });
const oneString = JSON.stringify({
  query: '{__typename}',
  variables: { a: 'x'.repeat(manyKeys.length - 40) },
});

const system = await TestSystem.start('bench_vars');
try {
  const post = async (body: string) => {
    const startedAt = performance.now();
    const response = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await response.text();
    return `${response.status} in ${Math.round(performance.now() - startedAt)} ms`;
  };
  for (let round = 0; round < ROUNDS; round++)
    console.log(
      `60,000 keys (${manyKeys.length} B): ${await post(manyKeys)} | one string (${oneString.length} B): ${await post(oneString)}`,
    );
} finally {
  await system.stop();
}
