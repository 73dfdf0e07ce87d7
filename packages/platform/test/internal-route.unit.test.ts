import { createServer, request } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { readAnswer, trickleBody } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceAuthenticationFailed } from '../src/auth/service-identity.js';
import { internalRouter } from '../src/http/internal-route.js';

/**
 * Bodies an internal route cannot read are refused by the router itself, in the internal
 * contracts' `{ code, message }` with the status the code has there, before the service token is
 * looked at, whatever routes and error handler the service mounts behind it.
 */
describe('internalRouter: bodies it cannot read', () => {
  let base: string;
  let close: () => Promise<void>;
  let reached = 0;

  beforeAll(async () => {
    const app = express();
    const router = internalRouter(async (token) => {
      if (token !== 'trusted') throw new ServiceAuthenticationFailed('not trusted');
      return 'purchase';
    }, '1kb');
    router.all('/things', (_req, res) => {
      reached++;
      res.json({ ok: true });
    });
    // What a service's own last handler would do with anything left: a 500.
    router.use(
      (_error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(500).json({ code: 'INTERNAL_SERVER_ERROR', message: 'reached the service' });
      },
    );
    app.use('/internal', router);
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal/things`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close?.();
  });

  const send = async (
    method: string,
    body: string | Uint8Array<ArrayBuffer>,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(base, {
      method,
      headers: { 'content-type': 'application/json', authorization: 'Bearer trusted', ...headers },
      body,
    });
    return { status: response.status, body: await response.json() };
  };

  it('malformed JSON is 400 BAD_USER_INPUT, on a POST and on a GET that carries a body', async () => {
    for (const method of ['POST', 'GET']) {
      // fetch refuses a GET with a body; node:http does not, nor do clients in the wild.
      const answer = method === 'GET' ? await rawGet('{"purchaseId":') : await send(method, '{"purchaseId":');
      expect.soft(answer, method).toEqual({
        status: 400,
        body: { code: 'BAD_USER_INPUT', field: '', message: 'The request body is not valid JSON.' },
      });
    }
  });

  it('a body whose bytes are not UTF-8 is 400 BAD_USER_INPUT, never read with U+FFFD in their place', async () => {
    const body = new Uint8Array([...Buffer.from('{"purchaseId":"a'), 0xff, ...Buffer.from('"}')]);
    expect(await send('POST', body)).toEqual({
      status: 400,
      body: { code: 'BAD_USER_INPUT', field: '', message: 'The request body is not valid UTF-8.' },
    });
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE', async () => {
    expect(await send('POST', JSON.stringify({ padding: 'x'.repeat(2_000) }))).toEqual({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is larger than 1kb.', limit: '1kb' },
    });
  });

  it('a charset other than UTF-8, one body-parser knows or not, is 415 UNSUPPORTED_CHARSET', async () => {
    for (const charset of ['latin1', 'utf-foo', 'utf-16']) {
      expect
        .soft(await send('POST', '{}', { 'content-type': `application/json; charset=${charset}` }), charset)
        .toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_CHARSET' } });
    }
  });

  it('a body declared over the limit is 413 PAYLOAD_TOO_LARGE at once, the connection closed, without waiting for a body that may never come', async () => {
    const { port, pathname } = new URL(base);
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write(
          `POST ${pathname} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\nAuthorization: Bearer trusted\r\n\r\n{}`,
        ),
      );
      // This server has no request timeout: only a refusal ends the wait.
      const giveUp = setTimeout(() => socket.destroy(), 2_000);
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearTimeout(giveUp);
        resolve(text);
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\nConnection: close\r\n/i);
    expect(answer).toContain('"code":"PAYLOAD_TOO_LARGE"');
  });

  it('a chunked body trickled past the limit is 413 PAYLOAD_TOO_LARGE as soon as it crosses, the connection closed, not when the body ends', async () => {
    const { port, pathname } = new URL(base);
    // 256 bytes every 20 ms, never ending: over 1kb with the fifth chunk, about 100 ms in.
    const trickled = await trickleBody(
      base,
      `POST ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer trusted\r\n\r\n`,
      { bytes: 256, everyMs: 20, giveUpMs: 3_000 },
    );
    const answer = readAnswer(trickled.answer);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is larger than 1kb.',
      limit: '1kb',
    });
    // Answered once the limit was crossed (a few chunks of slack for timers), and the server hung up.
    expect(trickled.sentAtAnswer).toBeGreaterThan(1024);
    expect(trickled.sentAtAnswer).toBeLessThanOrEqual(1024 + 8 * 256);
    expect(trickled.closedByServer).toBe(true);
    expect(trickled.closedMs).toBeLessThan(1_500);
  });

  it('a gzip body sent slowly that inflates past the limit is 413 PAYLOAD_TOO_LARGE once it does, the connection closed, not when its last byte comes', async () => {
    const { port, pathname } = new URL(base);
    // 1 MB of whitespace, some 1 KB of gzip, 64 bytes every 20 ms: past 1kb inflated within the
    // first chunks. It was answered once the whole body had come.
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, ' '), { level: 9 });
    const trickled = await trickleBody(
      base,
      `POST ${pathname} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\nAuthorization: Bearer trusted\r\n\r\n`,
      { bytes: 64, everyMs: 20, giveUpMs: 5_000, body: bomb },
    );
    const answer = readAnswer(trickled.answer);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: '1kb' });
    expect(bomb.length).toBeGreaterThan(16 * 64);
    expect(trickled.sentAtAnswer).toBeLessThanOrEqual(8 * 64);
    expect(trickled.closedByServer).toBe(true);
  });

  it('a chunked body within the limit, sent in pieces, is read whole', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        base,
        { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer trusted' } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('{"padding":"');
      const piece = () => req.write('x'.repeat(200));
      for (let n = 1; n <= 4; n++) setTimeout(piece, n * 20);
      setTimeout(() => req.end('"}'), 120);
    });
    expect(answer).toEqual({ status: 200, body: JSON.stringify({ ok: true }) });
  });

  it('a content encoding it cannot read is 415 UNSUPPORTED_CHARSET; gzip is read', async () => {
    expect(await send('POST', '{}', { 'content-encoding': 'x-unknown' })).toMatchObject({
      status: 415,
      body: { code: 'UNSUPPORTED_CHARSET' },
    });
    const before = reached;
    expect(await send('POST', new Uint8Array(gzipSync('{"a":1}')), { 'content-encoding': 'gzip' })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(reached).toBe(before + 1);
  });

  it('a readable body still needs a trusted token', async () => {
    expect(await send('POST', '{}', { authorization: 'Bearer someone' })).toMatchObject({
      status: 401,
      body: { code: 'SERVICE_UNAUTHENTICATED' },
    });
  });

  it('reads the service token whatever the case of the Bearer scheme', async () => {
    expect(await send('POST', '{}', { authorization: 'bearer trusted' })).toEqual({
      status: 200,
      body: { ok: true },
    });
  });

  async function rawGet(body: string): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const call = request(
        base,
        {
          method: 'GET',
          headers: {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            authorization: 'Bearer trusted',
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
        },
      );
      call.on('error', reject);
      call.end(body);
    });
  }
});
