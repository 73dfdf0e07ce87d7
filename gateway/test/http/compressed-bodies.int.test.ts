import { randomBytes } from 'node:crypto';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { readRefusal, trickleBody } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoneGateway } from '../support/lone-gateway.js';

/** The gateway's body limit (MAX_BODY_BYTES), inflated or not. */
const LIMIT = 1024 * 1024;

/** 32 MB of JSON whitespace: a body of some 32 KB compressed (a thousand to one). */
const INFLATED = Buffer.alloc(32 * 1024 * 1024, ' ');
const BOMBS = {
  gzip: gzipSync(INFLATED, { level: 9 }),
  deflate: deflateSync(INFLATED, { level: 9 }),
  // Brotli's fastest setting and a small window: any better, and the 32 MB fit in a few dozen bytes.
  br: brotliCompressSync(INFLATED, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_LGWIN]: 16 },
  }),
};

const head = (url: string, encoding: string) =>
  `POST /graphql HTTP/1.1\r\nHost: ${new URL(url).host}\r\nContent-Type: application/json\r\nContent-Encoding: ${encoding}\r\nTransfer-Encoding: chunked\r\n\r\n`;

/**
 * A compressed request body is bounded by what it inflates to, as the client sends it: refused the
 * moment either its bytes or its inflated bytes pass the limit, never waited for to its end.
 */
describe('compressed request bodies at the gateway (real gateway over loopback)', () => {
  let lone: LoneGateway;
  beforeAll(async () => {
    lone = await LoneGateway.start('compressed_bodies', {});
  });
  afterAll(async () => {
    await lone?.stop();
  });

  it.each(Object.keys(BOMBS) as (keyof typeof BOMBS)[])(
    'a %s bomb sent slowly in chunks is refused 413 once it inflates past the limit, long before its last byte, and its connection closed',
    async (encoding) => {
      const bomb = BOMBS[encoding];
      expect(bomb.length).toBeGreaterThan(16 * 1024);
      // 1 KB every 20 ms: the whole bomb would take well over half a second; the limit is passed
      // after about 1 KB of it (a 1 MB inflated).
      const trickled = await trickleBody(lone.url, head(lone.url, encoding), {
        bytes: 1024,
        everyMs: 20,
        giveUpMs: 10_000,
        body: bomb,
      });
      expect(readRefusal(trickled.answer)).toMatchObject({
        status: 413,
        headers: { connection: 'close' },
        error: { extensions: { code: 'BAD_REQUEST' } },
      });
      expect(trickled.sentAtAnswer).toBeGreaterThan(0);
      expect(trickled.sentAtAnswer).toBeLessThanOrEqual(8 * 1024);
      expect(trickled.closedByServer).toBe(true);
    },
  );

  it('a gzip body whose compressed bytes alone pass the limit is refused 413 at that byte, and its connection closed', async () => {
    // Random bytes do not compress: 2 MB of them are some 2 MB of gzip.
    const body = gzipSync(randomBytes(2 * LIMIT));
    const trickled = await trickleBody(lone.url, head(lone.url, 'gzip'), {
      bytes: 65_536,
      everyMs: 20,
      giveUpMs: 10_000,
      body,
    });
    expect(readRefusal(trickled.answer)).toMatchObject({ status: 413, headers: { connection: 'close' } });
    expect(trickled.sentAtAnswer).toBeGreaterThan(LIMIT);
    expect(trickled.sentAtAnswer).toBeLessThanOrEqual(LIMIT + 8 * 65_536);
    expect(trickled.closedByServer).toBe(true);
  });

  it('a gzip body within the limit inflated is read and answered as any other', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify({ query: '{ __typename }' })));
    const response = await fetch(lone.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  });
});
