import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoneGateway } from '../support/lone-gateway.js';

/** The gateway's body limit (MAX_BODY_BYTES). */
const LIMIT = 1024 * 1024;

/** A body nesting arrays deeper than MAX_JSON_DEPTH (64). */
const deepVariables = `{"deep":${'['.repeat(100)}${']'.repeat(100)}}`;

type Sent = { status: number; code: unknown };

/**
 * Every request sent to /graphql is in the request metric under the code its client reads, also
 * when it is refused before Apollo runs it — by our own middleware (body limit, encoding, depth,
 * variable count, JSON, method) or by Apollo before its request plugins (CSRF, a batch) — with the
 * operation name known at that point: a GET's in its URL, a parsed body's, else anonymous.
 */
describe('requests refused before Apollo runs them are counted (real gateway)', () => {
  let lone: LoneGateway;
  beforeAll(async () => {
    lone = await LoneGateway.inFrontOfStandIn('door_refusals_metrics', ['PRODUCT_URL']);
  });
  afterAll(async () => {
    await lone?.stop();
  });

  const post = async (
    body: string | Uint8Array<ArrayBuffer>,
    headers: Record<string, string> = {},
  ): Promise<Sent> => {
    const response = await fetch(lone.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: response.status, code: await codeOf(response) };
  };

  /** Sends, checks the answer, and returns how much the count of (operation, code) grew. */
  const countedBy = async (operation: string, expected: Sent, send: () => Promise<Sent>) => {
    const before = await lone.counted(operation, String(expected.code));
    expect(await send()).toEqual(expected);
    return (await lone.counted(operation, String(expected.code))) - before;
  };

  it('a body declared over the limit: 413, counted once under its code as anonymous', async () => {
    const grew = await countedBy('anonymous', { status: 413, code: 'BAD_REQUEST' }, () =>
      post(new Uint8Array(LIMIT + 1).fill(0x20)),
    );
    expect(grew).toBe(1);
  });

  it('a gzip body inflating past the limit: 413, counted once as anonymous', async () => {
    const grew = await countedBy('anonymous', { status: 413, code: 'BAD_REQUEST' }, () =>
      post(new Uint8Array(gzipSync(Buffer.alloc(LIMIT * 2, 0x20))), { 'content-encoding': 'gzip' }),
    );
    expect(grew).toBe(1);
  });

  it('an unsupported content encoding: 415, counted once as anonymous', async () => {
    const grew = await countedBy('anonymous', { status: 415, code: 'BAD_REQUEST' }, () =>
      post('{}', { 'content-encoding': 'compress' }),
    );
    expect(grew).toBe(1);
  });

  it('malformed JSON: 400, counted once as anonymous', async () => {
    const grew = await countedBy('anonymous', { status: 400, code: 'BAD_REQUEST' }, () => post('{"query": '));
    expect(grew).toBe(1);
  });

  it('a body nested too deep: 400 JSON_TOO_DEEP, counted once as anonymous (refused before it is parsed)', async () => {
    const grew = await countedBy('anonymous', { status: 400, code: 'JSON_TOO_DEEP' }, () =>
      post(`{"operationName":"Deep","query":"query Deep { __typename }","variables":${deepVariables}}`),
    );
    expect(grew).toBe(1);
  });

  it('a GET nested too deep: 400 JSON_TOO_DEEP, counted once under the name in its URL', async () => {
    const search = new URLSearchParams({
      query: 'query DeepGet { __typename }',
      operationName: 'DeepGet',
      variables: deepVariables,
    });
    const grew = await countedBy('DeepGet', { status: 400, code: 'JSON_TOO_DEEP' }, async () => {
      const response = await fetch(`${lone.url}?${search}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      return { status: response.status, code: await codeOf(response) };
    });
    expect(grew).toBe(1);
  });

  it('too many variables: 400 TOO_MANY_VARIABLES, counted once under the name in its parsed body', async () => {
    const variables = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, i]));
    const grew = await countedBy('ManyVariables', { status: 400, code: 'TOO_MANY_VARIABLES' }, () =>
      post(
        JSON.stringify({
          operationName: 'ManyVariables',
          query: 'query ManyVariables { __typename }',
          variables,
        }),
      ),
    );
    expect(grew).toBe(1);
  });

  it('malformed JSON sent slowly is timed from its last byte, as Apollo times a request: not the client upload', async () => {
    const before = await lone.countedWithin('anonymous', 'BAD_REQUEST', 0.5);
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(encoder.encode('{"query": '));
        await new Promise((resolve) => setTimeout(resolve, 1500));
        controller.enqueue(encoder.encode('oops'));
        controller.close();
      },
    });
    const response = await fetch(lone.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(400);
    expect((await lone.countedWithin('anonymous', 'BAD_REQUEST', 0.5)) - before).toBe(1);
  });

  it('a batch: 400 BAD_REQUEST, counted once as anonymous', async () => {
    const grew = await countedBy('anonymous', { status: 400, code: 'BAD_REQUEST' }, () =>
      post(JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }])),
    );
    expect(grew).toBe(1);
  });

  it('a POST in a content type the CSRF check refuses: 400 BAD_REQUEST, counted once as anonymous', async () => {
    const grew = await countedBy('anonymous', { status: 400, code: 'BAD_REQUEST' }, () =>
      post('{"query":"{ __typename }"}', { 'content-type': 'text/plain' }),
    );
    expect(grew).toBe(1);
  });

  it('a method /graphql does not serve: 405, counted once as anonymous', async () => {
    const grew = await countedBy('anonymous', { status: 405, code: 'BAD_REQUEST' }, async () => {
      const response = await fetch(lone.url, { method: 'PUT', body: '{}' });
      return { status: response.status, code: await codeOf(response) };
    });
    expect(grew).toBe(1);
  });

  it('a mutation sent by GET: 405, counted once under the name in its URL', async () => {
    const search = new URLSearchParams({
      query: 'mutation GetMutation { __typename }',
      operationName: 'GetMutation',
    });
    const grew = await countedBy('GetMutation', { status: 405, code: 'BAD_REQUEST' }, async () => {
      const response = await fetch(`${lone.url}?${search}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      return { status: response.status, code: await codeOf(response) };
    });
    expect(grew).toBe(1);
  });

  it('a query answered normally is counted once, not again at the door', async () => {
    const search = new URLSearchParams({ query: 'query Typename { __typename }', operationName: 'Typename' });
    const before = await lone.counted('Typename', 'ok');
    const response = await fetch(`${lone.url}?${search}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect((await lone.counted('Typename', 'ok')) - before).toBe(1);
  });
});

async function codeOf(response: Response): Promise<unknown> {
  const body = (await response.json()) as { errors?: { extensions?: { code?: unknown } }[] };
  return body.errors?.[0]?.extensions?.code;
}
