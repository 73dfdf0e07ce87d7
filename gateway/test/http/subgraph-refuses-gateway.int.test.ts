import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoneGateway, type StandInFronted } from '../support/lone-gateway.js';

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
  let lone: StandInFronted;
  let token: string;
  beforeAll(async () => {
    lone = await LoneGateway.inFrontOfStandIn('refused_call', ['PRODUCT_URL', 'MEMBER_URL']);
    token = await lone.memberToken();
  });
  afterAll(async () => {
    await lone?.stop();
  });

  it.each(UNCODED_REFUSALS)(
    'a member’s query answered %s is INTERNAL_SERVER_ERROR, with nothing of the subgraph’s answer',
    async (_case, answer) => {
      lone.standIn.next = answer;
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
      lone.standIn.next = answer;
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
