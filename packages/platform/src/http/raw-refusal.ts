import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { refusalOf } from './json-errors.js';

/**
 * Refuses a request that no HTTP handler will answer — one Node's parser or timers gave up on, a
 * WebSocket upgrade — by writing the answer straight onto its socket, in GraphQL's error shape like
 * every other refusal of ours (refusalOf(status), or `body` where the error carries data a client
 * needs, such as RATE_LIMITED's retryAfterSeconds), and closes the connection.
 */
export function refuseOnSocket(
  socket: Duplex,
  status: number,
  options: { body?: { errors: unknown[] }; headers?: Record<string, string> } = {},
): void {
  const body = JSON.stringify(options.body ?? refusalOf(status));
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  // Destroyed once written: a client that never closes its side must not keep the socket.
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}
