import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { refusalOf } from './json-errors.js';

/**
 * Refuses a request that no HTTP handler will answer — one Node's parser or timers gave up on, a
 * WebSocket upgrade — by writing the answer straight onto its socket, in GraphQL's error shape like
 * every other refusal of ours (refusalOf(status), or `body` where the error carries data a client
 * needs, such as RATE_LIMITED's retryAfterSeconds), and closes the connection.
 */
const refusedSockets = new WeakSet<Duplex>();

/**
 * True once `socket` was refused by refuseOnSocket: a handler still holding a request of it (Node's
 * 408 for a body too slow, while body-parser waits) answers nobody, and is not counted again.
 */
export const refusedOnSocket = (socket: Duplex | null | undefined): boolean =>
  socket ? refusedSockets.has(socket) : false;

export function refuseOnSocket(
  socket: Duplex,
  status: number,
  options: { body?: { errors: unknown[] }; headers?: Record<string, string> } = {},
): void {
  refusedSockets.add(socket);
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
