import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoneGateway } from '../support/lone-gateway.js';

/** What the server standing in a subgraph's place answers next: a status, a content type, a body. */
let next: { status: number; contentType?: string; body: string };

/** Answers every request with `next`, reading its body first as a proxy would. */
async function standIn(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(next.status, next.contentType ? { 'content-type': next.contentType } : {});
      res.end(next.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
}

const OURS = {
  message: 'Something went wrong on our side; please try again.',
  extensions: { code: 'INTERNAL_SERVER_ERROR' },
};

/** 401/403 answers that do not say, in a coded GraphQL error, what the subgraph refused. */
const UNCODED_REFUSALS = [
  ['401 in plain text (a proxy’s)', { status: 401, contentType: 'text/plain', body: 'Unauthorized' }],
  ['403 with an HTML page', { status: 403, contentType: 'text/html', body: '<h1>403 Forbidden</h1>' }],
  [
    '401 with a proxy’s own JSON',
    { status: 401, contentType: 'application/json', body: '{"message":"Jwt is missing"}' },
  ],
  [
    '403 with GraphQL errors that carry no code',
    {
      status: 403,
      contentType: 'application/json',
      body: JSON.stringify({ errors: [{ message: 'RBAC: access denied', extensions: { rule: 'x' } }] }),
    },
  ],
] as const;

/**
 * A subgraph — or the proxy in front of it — refusing the gateway's call with 401 or 403 and no
 * coded error. The gateway verified the member already, so this is the gateway's own call refused
 * (a service identity or a proxy's policy misconfigured): a fault of ours, not the member's, and
 * nothing of that answer (its status, its body) is the client's to read.
 */
describe('a subgraph refusing the gateway’s call with 401/403 and no coded error (real gateway over loopback)', () => {
  let lone: LoneGateway;
  let product: Awaited<ReturnType<typeof standIn>>;
  let member: Awaited<ReturnType<typeof standIn>>;
  let token: string;
  beforeAll(async () => {
    product = await standIn();
    member = await standIn();
    lone = await LoneGateway.start('refused_call', { PRODUCT_URL: product.url, MEMBER_URL: member.url });
    token = await lone.issuer.sign('7d0c3f0e-5a7e-4c59-9a4b-2f1e6f0b9a11');
  });
  afterAll(async () => {
    await lone?.stop();
    for (const stand of [product, member])
      if (stand) await new Promise((resolve) => stand.server.close(resolve));
  });

  it.each(UNCODED_REFUSALS)(
    'a member’s query answered %s is INTERNAL_SERVER_ERROR, with nothing of the subgraph’s answer',
    async (_case, answer) => {
      next = answer;
      const response = await fetch(lone.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: '{ products(first: 1) { edges { cursor } } }' }),
      });
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ data: null, errors: [OURS] });
      expect(text).not.toContain('response');
      expect(text).not.toContain(answer.body);
    },
  );

  it.each(UNCODED_REFUSALS)(
    'a session refresh whose member answers %s is 500 INTERNAL_SERVER_ERROR: the cookie kept, not a session ended',
    async (_case, answer) => {
      next = answer;
      const response = await fetch(new URL('/auth/refresh', lone.url), {
        method: 'POST',
        headers: { 'x-gaji-session': 'cookie', cookie: 'gaji_refresh=some-refresh-token' },
      });
      expect(response.status).toBe(500);
      expect(response.headers.get('set-cookie')).toBeNull();
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ errors: [OURS] });
      expect(text).not.toContain('response');
    },
  );
});
