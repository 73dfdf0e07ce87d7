import { bearer, eventually, graphql } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../support/live-client.js';
import { codeOf, Shopper } from '../support/marketplace.js';
import { TestSystem } from '../support/test-system.js';

const MY_PAGE_CHANGED = 'subscription { myPageChanged { cursor event } }';
const SERVICES = ['gateway', 'member', 'product', 'purchase', 'payment', 'mypage'] as const;
const LOG_IN = `mutation ($email: String!) { logIn(email: $email, password: "hunter22!") { accessToken refreshToken } }`;

/**
 * Attack 3 of issue 8: a withdrawn member kept acting for up to 15 minutes with their access token.
 * Now MemberWithdrawn (and SessionRevoked, for a log-out) reaches every service's revocation list.
 */
describe('revocation by event (real PostgreSQL, real JetStream)', () => {
  let system: TestSystem;
  const clients: LiveClient[] = [];
  beforeAll(async () => {
    system = await TestSystem.start('revocation');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await system?.stop();
  });

  /** Where a token can be presented: the gateway and every subgraph directly, around it. */
  const urlOf = (service: (typeof SERVICES)[number]) =>
    ({
      gateway: system.gatewayUrl,
      member: system.member.url,
      product: system.product!.url,
      purchase: system.purchase.url,
      payment: system.payment.url,
      mypage: system.mypage.url,
    })[service];

  /** Per service: 'accepted', or the reason it refused the token. */
  async function answersTo(token: string): Promise<Record<string, unknown>> {
    const answers: Record<string, unknown> = {};
    for (const service of SERVICES) {
      const result = await graphql(urlOf(service), '{ __typename }', {}, bearer(token));
      answers[service] = result.errors ? result.errors[0]?.extensions?.reason : 'accepted';
    }
    return answers;
  }
  const everywhere = (answer: string) => Object.fromEntries(SERVICES.map((service) => [service, answer]));

  it('refuses a withdrawn member’s token everywhere within a second, closes their socket with 4403 and removes their listings', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Leaving');
    const listed = await seller.register({ title: 'Desk lamp' });
    expect(await answersTo(seller.token)).toEqual(everywhere('accepted'));
    const socket = new LiveClient(system.websocketUrl, seller.token).subscribe(MY_PAGE_CHANGED);
    clients.push(socket);
    await eventually(() => expect(system.gateway.live.subscribers()).toBeGreaterThan(0));

    const started = performance.now();
    expect((await seller.gql<{ withdraw: boolean }>('mutation { withdraw }')).data?.withdraw).toBe(true);
    await eventually(
      async () => expect(await answersTo(seller.token)).toEqual(everywhere('revoked')),
      10_000,
      10,
    );
    const refusedAfterMs = performance.now() - started;
    console.log(
      `[revocation] withdrawn member's token refused by the gateway and all 5 subgraphs after ${refusedAfterMs.toFixed(0)} ms`,
    );

    const register = await seller.gql(
      'mutation { registerProduct(input: { title: "After leaving", priceKrw: 1000 }) { id } }',
    );
    expect(register.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'revoked' });
    const someonesProduct = await (await Shopper.signUp(system.gatewayUrl, 'Staying')).register();
    expect((await seller.buy(someonesProduct)).errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'revoked',
    });
    await eventually(() => expect(socket.closeCode).toBe(4403));
    const reconnect = new LiveClient(system.websocketUrl, seller.token).subscribe(MY_PAGE_CHANGED);
    clients.push(reconnect);
    await eventually(() => expect(reconnect.closeCode).toBe(4403));
    // The withdrawal clean-up took the listing off the market.
    const listing = await graphql<{ product: unknown }>(
      system.gatewayUrl,
      'query ($id: ID!) { product(id: $id) { id } }',
      {
        id: listed,
      },
    );
    expect(listing.data?.product).toBeNull();
  });

  it('logging out revokes that session’s access tokens everywhere and leaves the member’s other sessions working', async () => {
    const member = await Shopper.signUp(system.gatewayUrl, 'Two devices');
    const phone = (
      await graphql<{ logIn: { accessToken: string; refreshToken: string } }>(system.gatewayUrl, LOG_IN, {
        email: member.email,
      })
    ).data!.logIn;
    const laptop = (
      await graphql<{ logIn: { accessToken: string; refreshToken: string } }>(system.gatewayUrl, LOG_IN, {
        email: member.email,
      })
    ).data!.logIn;
    const phoneSocket = new LiveClient(system.websocketUrl, phone.accessToken).subscribe(MY_PAGE_CHANGED);
    const laptopSocket = new LiveClient(system.websocketUrl, laptop.accessToken).subscribe(MY_PAGE_CHANGED);
    clients.push(phoneSocket, laptopSocket);

    const loggedOut = await graphql<{ logOut: boolean }>(
      system.gatewayUrl,
      'mutation ($token: String!) { logOut(refreshToken: $token) }',
      { token: phone.refreshToken },
    );
    expect(loggedOut.data?.logOut).toBe(true);

    await eventually(async () => expect(await answersTo(phone.accessToken)).toEqual(everywhere('revoked')));
    await eventually(() => expect(phoneSocket.closeCode).toBe(4403));
    expect(await answersTo(laptop.accessToken)).toEqual(everywhere('accepted'));
    expect(laptopSocket.closeCode).toBeUndefined();
    const me = await graphql<{ me: { id: string } }>(
      system.gatewayUrl,
      '{ me { id } }',
      {},
      bearer(laptop.accessToken),
    );
    expect(me.data?.me.id).toBe(member.id);
  });

  it('a gateway started after the withdrawal refuses the token too: it reads recent revocations before it serves', async () => {
    const leaving = await Shopper.signUp(system.gatewayUrl, 'Gone early');
    await leaving.gql('mutation { withdraw }');
    await eventually(async () => expect(codeOf(await leaving.gql('{ me { id } }'))).toBe('UNAUTHENTICATED'));
    const later = await system.startGateway();
    const answer = await graphql(later.url, '{ __typename }', {}, bearer(leaving.token));
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'revoked' });
  });
});
