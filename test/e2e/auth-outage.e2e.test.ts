import { bearer, cutOffDatabase, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('signed-in members stay signed in through a member outage', () => {
  let system: TestSystem;
  let restore: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    // Keys older than 300 ms are refreshed: every request below finds its verifier's keys stale.
    system = await TestSystem.start('auth_outage', { env: { JWKS_MAX_AGE_MS: '300' } });
  });
  afterAll(async () => {
    await restore?.();
    await system?.stop();
  });

  it("with member's database unreachable, member still serves its public keys and valid tokens are accepted by the gateway and product", async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    await seller.register({ title: 'Before the outage' });

    restore = await cutOffDatabase(system.databases.member.name);
    await pause(600);

    const signUp = await Shopper.signUp(system.gatewayUrl, 'Late').then(
      () => 'signed up',
      () => 'refused',
    );
    expect(signUp).toBe('refused'); // the outage is real: member cannot write
    const jwks = await fetch(system.member.jwksUrl);
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      expect(await seller.register({ title: `During the outage ${i}` })).toEqual(expect.any(String));
      await pause(400);
    }

    await restore();
    restore = undefined;
  });

  it('with the member service itself down, verifiers keep the last good keys and valid tokens are still accepted', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Seller');
    await seller.register({ title: 'Before the outage' });

    await system.member.stop();
    await pause(600);

    expect((await fetch(system.member.jwksUrl).catch(() => null))?.ok ?? false).toBe(false);
    for (let i = 0; i < 3; i++) {
      expect(await seller.register({ title: `Member down ${i}` })).toEqual(expect.any(String));
      await pause(400);
    }
    // Stale keys are the last good ones, not no check at all: a token made up from the seller's is refused.
    const [header, payload, signature] = seller.token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = [
      header,
      Buffer.from(JSON.stringify({ ...claims, sub: crypto.randomUUID() })).toString('base64url'),
      signature,
    ].join('.');
    const refused = await graphql(
      system.gatewayUrl,
      'mutation { deleteProduct(id: "00000000-0000-0000-0000-000000000000") }',
      {},
      bearer(forged),
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
