import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { readRefusal } from '@gaji/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withinBodyLimit } from '../src/http/body-limit.js';
import { jsonErrorHandler } from '../src/http/json-errors.js';
import { createLogger } from '../src/logging/logger.js';

const LIMIT = 1024;

/** A raw request on a kept-alive connection, read until the server closes it or 2 s pass. */
function sendRaw(
  port: number,
  head: string,
  body: Buffer,
): Promise<{ answer: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(Buffer.concat([Buffer.from(head), body])));
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closedByServer: false });
    }, 2_000);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ answer, closedByServer: true });
    });
  });
}

/** Compressed bodies at an Express route reading JSON within a limit, as the gateway's /graphql does. */
describe('withinBodyLimit with a compressed body', () => {
  let port: number;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const app = express();
    app.post('/graphql', withinBodyLimit(LIMIT, express.json({ limit: LIMIT })), (_req, res) => {
      res.json({ ok: true });
    });
    app.use(jsonErrorHandler(createLogger('test', 'silent')));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(async () => {
    await close?.();
  });

  const head = (encoding: string, length: number, connection = 'keep-alive') =>
    `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: ${connection}\r\nContent-Type: application/json\r\nContent-Encoding: ${encoding}\r\nContent-Length: ${length}\r\n\r\n`;

  it('one whose bytes are within the limit but inflate past it is 413 with its connection closed, as every 413 is', async () => {
    // A few hundred bytes of gzip that inflate to 256 KB: the connection was kept alive after the 413.
    const bomb = gzipSync(Buffer.from(`{"a":"${'a'.repeat(256 * 1024)}"}`), { level: 9 });
    expect(bomb.length).toBeLessThan(LIMIT);
    const { answer, closedByServer } = await sendRaw(port, head('gzip', bomb.length), bomb);
    expect(readRefusal(answer)).toMatchObject({ status: 413, headers: { connection: 'close' } });
    expect(closedByServer).toBe(true);
  });

  it('one in an encoding it cannot read is 415 saying the encoding, not the content type, is the problem', async () => {
    const twice = gzipSync(gzipSync(Buffer.from('{}')));
    const { answer } = await sendRaw(port, head('gzip, gzip', twice.length, 'close'), twice);
    expect(readRefusal(answer)).toMatchObject({
      status: 415,
      error: { message: 'This content encoding is not supported.', extensions: { code: 'BAD_REQUEST' } },
    });
  });
});
