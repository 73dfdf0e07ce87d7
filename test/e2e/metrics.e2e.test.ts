import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { eventually } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../support/live-client.js';
import { Shopper } from '../support/marketplace.js';
import { scrape, valueOf } from '../support/prometheus-text.js';
import { sql } from '../support/sql.js';
import { TestSystem } from '../support/test-system.js';

const BUY = 'mutation Buy($id: ID!) { buy(productId: $id) { id status } }';

describe('/metrics on every service, scraped after real traffic', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await TestSystem.start('metrics');
  });
  afterAll(async () => {
    await system?.stop();
  });

  it('a buy moves the gateway, purchase and product figures, and live sockets are counted', async () => {
    const seller = await Shopper.signUp(system.gatewayUrl, 'Metered seller');
    const buyer = await Shopper.signUp(system.gatewayUrl, 'Metered buyer');
    const productId = await seller.register();
    const watcher = new LiveClient(system.websocketUrl, undefined).subscribe(
      'subscription ($id: ID!) { productStatusChanged(productId: $id) { cursor change } }',
      { id: productId },
    );
    try {
      const before = await scrape(system.gatewayUrl);
      await eventually(async () => {
        const bought = await buyer.gql<{ buy: { status: string } }>(BUY, { id: productId });
        expect(bought.data?.buy.status).toBe('PAID');
      });
      await eventually(async () => expect(await seller.productStatus(productId)).toBe('SOLD'));
      await eventually(async () => expect(watcher.received.length).toBeGreaterThanOrEqual(1));

      const gateway = await scrape(system.gatewayUrl);
      const buys = { service: 'gateway', operation: 'Buy', outcome: 'ok' };
      const count = 'gaji_graphql_request_duration_seconds_count';
      expect(valueOf(gateway, count, buys)).toBe((valueOf(before, count, buys) ?? 0) + 1);
      expect(valueOf(gateway, 'gaji_graphql_request_duration_seconds_sum', buys)).toBeGreaterThan(0);
      const fetches = 'gaji_subgraph_fetch_duration_seconds_count';
      const purchaseFetches = { subgraph: 'purchase', outcome: 'ok' };
      expect(valueOf(gateway, fetches, purchaseFetches)).toBeGreaterThan(
        valueOf(before, fetches, purchaseFetches) ?? 0,
      );
      expect(valueOf(gateway, 'gaji_websocket_connections')).toBeGreaterThanOrEqual(1);
      expect(valueOf(gateway, 'gaji_live_subscriptions')).toBeGreaterThanOrEqual(1);
      expect(valueOf(gateway, 'nodejs_heap_size_used_bytes', { service: 'gateway' })).toBeGreaterThan(0);
      expect(valueOf(gateway, 'process_cpu_seconds_total', { service: 'gateway' })).toBeGreaterThan(0);

      const purchase = await scrape(system.purchase.url);
      expect(valueOf(purchase, count, { service: 'purchase', outcome: 'ok' })).toBeGreaterThanOrEqual(1);
      expect(valueOf(purchase, 'gaji_breaker_state', { breaker: 'payment' })).toBe(0);
      // The learned buy limit starts at its ceiling (32 by default) and nothing is running or waiting now.
      expect(valueOf(purchase, 'gaji_admission_limit', { operation: 'buy' })).toBe(32);
      expect(valueOf(purchase, 'gaji_admission_running', { operation: 'buy' })).toBe(0);
      expect(valueOf(purchase, 'gaji_admission_waiting', { operation: 'buy' })).toBe(0);
      expect(valueOf(purchase, 'gaji_breaker_refusals_total', { breaker: 'payment' })).toBe(0);

      // Product applied PaymentCompleted (SOLD) and published ProductSold: nothing waits anywhere.
      await eventually(async () => {
        const product = await scrape(system.product!.url);
        expect(valueOf(product, 'gaji_consumer_lag_messages', { consumer: 'product' })).toBe(0);
        expect(valueOf(product, 'gaji_outbox_backlog', { service: 'product' })).toBe(0);
        expect(valueOf(product, 'gaji_outbox_oldest_unpublished_age_seconds')).toBe(0);
        expect(valueOf(product, 'gaji_consumer_redeliveries_total', { consumer: 'product' })).toBe(0);
        // Nothing unacknowledged, against the server's default limit (the services set none).
        expect(valueOf(product, 'gaji_consumer_ack_pending_messages', { consumer: 'product' })).toBe(0);
        expect(valueOf(product, 'gaji_consumer_max_ack_pending', { consumer: 'product' })).toBe(1000);
        // Only purchase admits by a learned limit: product serves no admission series at all.
        expect(valueOf(product, 'gaji_admission_limit')).toBeUndefined();
      });
      // My Page projected the same events: its consumer has nothing left to read either.
      await eventually(async () => {
        const mypage = await scrape(system.mypage.url);
        expect(valueOf(mypage, 'gaji_consumer_lag_messages', { consumer: 'mypage' })).toBe(0);
        // It has no durable consumer, so no ack-pending slots to report.
        expect(valueOf(mypage, 'gaji_consumer_max_ack_pending', { consumer: 'mypage' })).toBeUndefined();
      });
    } finally {
      await watcher.close();
    }
    await eventually(async () =>
      expect(valueOf(await scrape(system.gatewayUrl), 'gaji_websocket_connections')).toBe(0),
    );
  });

  it('a refusal by a rule of the domain is counted under its code at the subgraph, never as a server error', async () => {
    const count = 'gaji_graphql_request_duration_seconds_count';
    const seller = await Shopper.signUp(system.gatewayUrl, 'Refusing seller');
    const first = await Shopper.signUp(system.gatewayUrl, 'First buyer');
    const second = await Shopper.signUp(system.gatewayUrl, 'Second buyer');
    const productId = await seller.register();
    await eventually(async () => expect((await first.buy(productId)).data?.buy.status).toBe('PAID'));
    const purchaseBefore = await scrape(system.purchase.url);
    const memberBefore = await scrape(system.member.url);

    expect((await second.buy(productId)).errors?.[0]?.extensions?.code).toBe('PRODUCT_NOT_AVAILABLE');
    const logIn = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation { logIn(email: "nobody@example.com", password: "hunter22!") { accessToken } }',
      }),
    }).then((response) => response.json() as Promise<{ errors?: { extensions?: { code?: string } }[] }>);
    expect(logIn.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');

    // What the critical alert GajiServerErrorRateHigh counts must not move for a user's mistake.
    const purchase = await scrape(system.purchase.url);
    const refused = { service: 'purchase', outcome: 'PRODUCT_NOT_AVAILABLE' };
    expect(valueOf(purchase, count, refused)).toBe((valueOf(purchaseBefore, count, refused) ?? 0) + 1);
    const purchaseFailed = { service: 'purchase', outcome: 'INTERNAL_SERVER_ERROR' };
    expect(valueOf(purchase, count, purchaseFailed)).toBe(valueOf(purchaseBefore, count, purchaseFailed));
    const member = await scrape(system.member.url);
    const wrong = { service: 'member', outcome: 'INVALID_CREDENTIALS' };
    expect(valueOf(member, count, wrong)).toBe((valueOf(memberBefore, count, wrong) ?? 0) + 1);
    const memberFailed = { service: 'member', outcome: 'INTERNAL_SERVER_ERROR' };
    expect(valueOf(member, count, memberFailed)).toBe(valueOf(memberBefore, count, memberFailed));
  });

  it('an outbox row the relay cannot publish shows as backlog and age until it is gone', async () => {
    // A subject outside the stream: JetStream refuses it, so the row waits as behind a stuck relay.
    const id = randomUUID();
    await sql(
      system.databases.payment.url,
      `INSERT INTO gaji_outbox (id, subject, envelope, created_at)
       VALUES ($1, 'nowhere.at.all', '{}'::jsonb, now() - interval '90 seconds')`,
      [id],
    );
    try {
      const payment = await scrape(system.payment.url);
      expect(valueOf(payment, 'gaji_outbox_backlog', { service: 'payment' })).toBe(1);
      expect(valueOf(payment, 'gaji_outbox_oldest_unpublished_age_seconds')).toBeGreaterThanOrEqual(90);
    } finally {
      await sql(system.databases.payment.url, 'DELETE FROM gaji_outbox WHERE id = $1', [id]);
    }
    const payment = await scrape(system.payment.url);
    expect(valueOf(payment, 'gaji_outbox_backlog')).toBe(0);
    expect(valueOf(payment, 'gaji_outbox_oldest_unpublished_age_seconds')).toBe(0);
  });

  it('a read answered from the response cache is counted like any other', async () => {
    const count = 'gaji_graphql_request_duration_seconds_count';
    const market = { service: 'gateway', operation: 'MeteredMarket', outcome: 'ok' };
    const read = () =>
      fetch(system.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        // As Apollo Client sends it: the cache answers before the document is parsed, so the
        // name of a hit is the one in the body.
        body: JSON.stringify({
          query: 'query MeteredMarket { products(first: 5) { edges { node { id } } } }',
          operationName: 'MeteredMarket',
        }),
      });
    expect((await read()).headers.get('gaji-cache')).toBeNull();
    expect((await read()).headers.get('gaji-cache')).toBe('hit');
    expect(valueOf(await scrape(system.gatewayUrl), count, market)).toBe(2);
  });

  it('every refusal by a rate limit is counted under its limit', async () => {
    const strict = await system.startGateway(
      { RATE_LIMIT_OPERATIONS_PER_ADDRESS_PER_MINUTE: '2' },
      { realRateLimits: true },
    );
    for (let i = 0; i < 3; i += 1)
      await fetch(strict.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
    const samples = await scrape(strict.url);
    expect(valueOf(samples, 'gaji_rate_limit_refusals_total', { limit: 'operations per address' })).toBe(1);
  });

  it('an anonymous client with fresh names, ids, paths, methods and errors adds no series to any gaji_ metric once the operation names are full', async () => {
    /** Every series of every gaji_ metric of a service, as `name{labels}` (histogram buckets folded). */
    const seriesOf = async (url: string) =>
      new Set(
        (await scrape(url))
          .filter((sample) => sample.name.startsWith('gaji_'))
          .map(({ name, labels: { le: _bucket, ...labels } }) => `${name}${JSON.stringify(labels)}`),
      );
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(system.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      }).then((response) => response.text());
    const raw = (request: string) => {
      const { hostname, port } = new URL(system.gatewayUrl);
      return new Promise<void>((resolve) => {
        const socket = connect(Number(port), hostname, () => socket.end(request));
        socket.on('error', () => undefined);
        socket.on('data', () => undefined);
        socket.on('close', () => resolve());
        setTimeout(() => socket.destroy(), 2_000).unref();
      });
    };
    /** One round of what an anonymous script can vary, each value fresh. */
    const round = async () => {
      const fresh = () => randomUUID().replaceAll('-', '_');
      const jobs: (() => Promise<unknown>)[] = [];
      for (let i = 0; i < 230; i += 1) {
        const name = `Junk_${fresh()}`;
        // Reaches the product subgraph, whose operation names the gateway derives from the client's.
        const query = `query ${name} { product(id: "${randomUUID()}") { id } }`;
        jobs.push(() =>
          post({ query, operationName: name }).then(() => post({ query, operationName: name })),
        );
      }
      for (let i = 0; i < 20; i += 1) {
        const name = `Odd_${fresh()}`;
        jobs.push(
          () => post({ query: '{ __typename }', operationName: name }), // no such operation
          () => post({ query: `query ${name} { nope_${fresh()} }` }), // validation
          () => post({ query: `query ${name} { product(id: "${fresh()}") { id } }` }), // BAD_USER_INPUT
          () => post({ query: `query ${name} { me { id } }` }), // UNAUTHENTICATED
          () => post({ query: `query ${name} { me { id } }` }, { authorization: `Bearer ${fresh()}` }),
          () => post({ query: `{ ${fresh()}`, operationName: `${name}-é` }), // parse, invalid name
          () => post({ query: '{ __typename }', operationName: 'x'.repeat(100) + fresh() }),
          () => post({ query: '{ __typename }', variables: fresh() }),
          () => fetch(`${system.gatewayUrl}/${fresh()}`),
          () => fetch(`${new URL(system.gatewayUrl).origin}/${fresh()}?q=${fresh()}`, { method: 'DELETE' }),
          () => raw(`${fresh().slice(0, 8).toUpperCase()} /graphql HTTP/1.1\r\nHost: x\r\n\r\n`),
          () =>
            raw(
              `GET /${fresh()} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
                'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
            ),
        );
      }
      for (let i = 0; i < 5; i += 1) {
        const watcher = new LiveClient(system.websocketUrl, undefined).subscribe(
          `subscription Live_${fresh()}($id: ID!) { productStatusChanged(productId: $id) { cursor } }`,
          { id: randomUUID() },
        );
        jobs.push(() => watcher.close());
      }
      for (let start = 0; start < jobs.length; start += 16)
        await Promise.all(jobs.slice(start, start + 16).map((job) => job()));
    };
    const services = [
      system.gatewayUrl,
      ...[system.member, system.product!, system.purchase, system.payment, system.mypage].map((s) => s.url),
    ];

    await round();
    const before = await Promise.all(services.map(seriesOf));
    await round();
    const after = await Promise.all(services.map(seriesOf));
    for (const [i, url] of services.entries())
      expect(
        [...after[i]!].filter((series) => !before[i]!.has(series)),
        url,
      ).toEqual([]);
    const operations = new Set(
      (await scrape(system.gatewayUrl))
        .filter((sample) => sample.name === 'gaji_graphql_request_duration_seconds_count')
        .map((sample) => sample.labels.operation),
    );
    expect(operations.size).toBeLessThanOrEqual(200 + 3); // with anonymous, invalid and other
    expect(operations).toContain('other');
  });
});
