import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayMetrics } from '@gaji/platform/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { ForwardingDataSource, replayable } from '../../src/auth/forwarding-data-source.js';
import { SubgraphStatusFailure } from '../../src/http/subgraph-status-failure.js';
import { SubgraphBusy, SubgraphUnreachable } from '../../src/http/subgraph-unavailable.js';

type Handler = (
  headers: IncomingHttpHeaders,
  body: string,
  answer: (status: number, body: string) => void,
) => void;

const servers: Server[] = [];
const sources: ForwardingDataSource[] = [];

async function subgraph(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () =>
      handler(req.headers, body, (status, text) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(text),
      ),
    );
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

function source(url: string, timeoutMs = 2_000): ForwardingDataSource {
  const created = new ForwardingDataSource('product', url, timeoutMs);
  sources.push(created);
  return created;
}

const call = (dataSource: ForwardingDataSource, context: object = {}) =>
  dataSource.process({
    request: { query: '{ products { edges { cursor } } }', variables: { first: 2 } },
    context,
  } as never);

afterEach(async () => {
  await Promise.all(sources.splice(0).map((created) => created.close()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('forwarding data source (undici pool)', () => {
  it('forwards the query, the caller token, the correlation id, the Idempotency-Key and a traceparent, and returns the answer', async () => {
    let seen: { headers: IncomingHttpHeaders; body: unknown } | undefined;
    const url = await subgraph((headers, body, answer) => {
      seen = { headers, body: JSON.parse(body) };
      answer(200, JSON.stringify({ data: { products: { edges: [] } } }));
    });
    const response = await call(source(url), {
      identity: { memberId: 'm1', scopes: [], token: 'the-token' },
      correlationId: 'corr-1',
      idempotencyKey: 'intent-1',
    });
    expect(response).toEqual({ data: { products: { edges: [] } } });
    expect(seen?.body).toEqual({ query: '{ products { edges { cursor } } }', variables: { first: 2 } });
    expect(seen?.headers.authorization).toBe('Bearer the-token');
    expect(seen?.headers['gaji-correlation-id']).toBe('corr-1');
    expect(seen?.headers['idempotency-key']).toBe('intent-1');
    expect(seen?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
  });

  it('a subgraph that does not answer within the deadline is reported unreachable, by name', async () => {
    const url = await subgraph(() => undefined);
    const started = performance.now();
    const failure = await call(source(url, 300)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SubgraphUnreachable);
    expect((failure as Error).message).toMatch(/^subgraph product unreachable/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('a subgraph that is not listening is reported unreachable', async () => {
    const url = await subgraph(() => undefined);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    await expect(call(source(url))).rejects.toBeInstanceOf(SubgraphUnreachable);
  });

  it('a 401 without coded errors is a failure of the gateway’s call, its raw answer kept out of any GraphQL error', async () => {
    const url = await subgraph((_headers, _body, answer) =>
      answer(401, JSON.stringify({ errors: [{ message: 'Invalid access token.' }] })),
    );
    const failure = await call(source(url)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SubgraphStatusFailure);
    expect(failure).toMatchObject({
      subgraph: 'product',
      status: 401,
      body: { errors: [{ message: 'Invalid access token.' }] },
    });
    expect(failure).not.toHaveProperty('extensions');
  });

  describe('a keep-alive connection closed before any byte of the answer', () => {
    /**
     * A subgraph that answers the first request on each connection (keeping it alive) and closes
     * the connection when a second one arrives down it, as a server closing its idle connections
     * does just as the gateway reuses one. Counts the requests it read.
     */
    async function closingOnReuse(): Promise<{ url: string; received: () => number }> {
      const seenOn = new WeakMap<object, number>();
      let received = 0;
      const server = createServer((req, res) => {
        received += 1;
        const count = (seenOn.get(req.socket) ?? 0) + 1;
        seenOn.set(req.socket, count);
        req.resume();
        req.on('end', () => {
          if (count > 1) req.socket.destroy();
          else res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"ok":true}}');
        });
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      return { url, received: () => received };
    }

    const send = (dataSource: ForwardingDataSource, query: string, context: object = {}) =>
      dataSource.process({ request: { query }, context } as never);
    /** The first answer, then a moment for the pool to take its connection back as idle. */
    const warm = async (dataSource: ForwardingDataSource) => {
      await send(dataSource, '{ ok }');
      await new Promise((resolve) => setTimeout(resolve, 50));
    };

    it('a query is sent again on a new connection and answered, and the resend counted', async () => {
      const { url, received } = await closingOnReuse();
      const metrics = new GatewayMetrics();
      const product = new ForwardingDataSource('product', url, 2_000, metrics);
      sources.push(product);
      await warm(product);
      await expect(send(product, '{ ok }')).resolves.toEqual({ data: { ok: true } });
      expect(received()).toBe(3);
      expect(await metrics.registry.getSingleMetricAsString('gaji_subgraph_resends_total')).toContain(
        'gaji_subgraph_resends_total{subgraph="product",service="gateway"} 1',
      );
    });

    it('a mutation the subgraph deduplicates by Idempotency-Key (buy) is sent again with its key', async () => {
      const { url, received } = await closingOnReuse();
      const purchase = new ForwardingDataSource('purchase', url, 2_000);
      sources.push(purchase);
      await warm(purchase);
      const buy = 'mutation ($id: ID!) { buy(productId: $id) { id } }';
      await expect(send(purchase, buy, { idempotencyKey: 'intent-1' })).resolves.toEqual({
        data: { ok: true },
      });
      expect(received()).toBe(3);
    });

    it('any other mutation, or a buy without a key, is not sent twice: unreachable', async () => {
      for (const [name, query, context] of [
        ['product', 'mutation { registerProduct(input: {}) { id } }', { idempotencyKey: 'k' }],
        ['purchase', 'mutation { buy(productId: "p") { id } }', {}],
      ] as const) {
        const { url, received } = await closingOnReuse();
        const dataSource = new ForwardingDataSource(name, url, 2_000);
        sources.push(dataSource);
        await warm(dataSource);
        await expect(send(dataSource, query, context)).rejects.toBeInstanceOf(SubgraphUnreachable);
        expect(received()).toBe(2);
      }
    });
  });

  it('an answer cut off after it began is reported unreachable, and not sent again even for a query', async () => {
    let received = 0;
    const server = createServer((req, res) => {
      received += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        res.write('{"data":');
        setTimeout(() => req.socket.destroy(), 20);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    await expect(call(source(url))).rejects.toBeInstanceOf(SubgraphUnreachable);
    expect(received).toBe(1);
  });

  it('a call that waits for a connection longer than the queue allows is refused unsent (SubgraphBusy), and the pool goes on', async () => {
    const held: (() => void)[] = [];
    let received = 0;
    const url = await subgraph((_headers, _body, answer) => {
      received++;
      held.push(() => answer(200, JSON.stringify({ data: { products: { edges: [] } } })));
    });
    // A queue limit the 128 calls' own connection set-up cannot reach on a loaded machine (at 100 ms
    // some of them were refused while 128 connections opened at once), then one more call that must wait.
    const dataSource = new ForwardingDataSource('purchase', url, 5_000, undefined, 1_000);
    sources.push(dataSource);
    // Every one of the pool's 128 connections busy, then one more call that must wait.
    const running = Array.from({ length: 128 }, () => call(dataSource));
    await expect.poll(() => received, { timeout: 5_000 }).toBe(128);
    const waiting = call(dataSource).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    held.splice(0).forEach((release) => release());
    await Promise.all(running);

    const refused = await waiting;
    expect(refused).toBeInstanceOf(SubgraphBusy);
    expect((refused as Error).message).toMatch(/waited \d+ ms for a connection/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toBe(128); // never sent
    const next = call(dataSource);
    await expect.poll(() => held.length).toBe(1); // a fresh call is sent at once
    held.pop()!();
    await expect(next).resolves.toEqual({ data: { products: { edges: [] } } });
  });

  it('replayable: queries; mutations only where every field is deduplicated by the key carried', () => {
    expect(replayable('product', '{ products { edges { cursor } } }', undefined)).toBe(true);
    expect(replayable('purchase', 'mutation { buy(productId: "p") { id } }', 'k')).toBe(true);
    expect(replayable('purchase', 'mutation { cancelPurchase(id: "p") { id } }', 'k')).toBe(true);
    expect(replayable('purchase', 'mutation { buy(productId: "p") { id } }', undefined)).toBe(false);
    expect(replayable('purchase', 'mutation { buy(productId: "p") { id } other { id } }', 'k')).toBe(false);
    expect(replayable('product', 'mutation { buy(productId: "p") { id } }', 'k')).toBe(false);
    expect(replayable('member', 'mutation { signUp { id } }', 'k')).toBe(false);
    expect(replayable('product', 'not graphql', undefined)).toBe(false);
  });
});
