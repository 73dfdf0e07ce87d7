import type { IncomingMessage, RequestListener, Server, ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { SERVED_METHODS } from './json-errors.js';
import { refuseOnSocket } from './raw-refusal.js';

/**
 * Two requests Node answers by itself, outside every handler of ours and outside GraphQL's error
 * shape, taken over here for every server of ours (createHttpServer):
 *
 * - `CONNECT` (a proxy tunnel): with no `connect` listener Node closes the connection without a
 *   byte. We serve no tunnel: 405 naming the methods we serve, like any method served nowhere.
 * - a request without `Host` (RFC 9112 §3.2 requires one): Node's `requireHostHeader` answers an
 *   HTTP/1.1 one `400 Bad Request` with an empty body. The same 400, now BAD_REQUEST in our shape,
 *   for any version but HTTP/1.0 (Node served an `HTTP/2.0` request line without Host).
 */
export const withoutNodesOwnRefusals: Pick<ServerOptions, 'requireHostHeader'> = { requireHostHeader: false };

/**
 * A request without `Host`: RFC 9112 §3.2 requires one of HTTP/1.1, and only HTTP/1.0 predates
 * it, so any other version Node's parser lets through (an `HTTP/2.0` request line, sent on a plain
 * connection in HTTP/1.1's syntax) needs one too.
 */
export function lacksRequiredHost(req: IncomingMessage): boolean {
  const http10 = req.httpVersionMajor === 1 && req.httpVersionMinor === 0;
  return !http10 && !req.headers.host;
}

/** `handler`, after refusing a request without `Host` as Node would an HTTP/1.1 one, but in GraphQL's error shape. */
export function requiringHost(handler: RequestListener): RequestListener {
  return (req, res) => {
    if (lacksRequiredHost(req)) {
      const body = JSON.stringify(MISSING_HOST);
      res.writeHead(400, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        connection: 'close',
      });
      res.end(body);
      return;
    }
    handler(req, res);
  };
}

/**
 * The refusal of a request without `Host`: answered by `requiringHost` here, and by the gateway to
 * a WebSocket upgrade without one (Node hands an upgrade to its 'upgrade' listeners, not to a
 * request handler), so that both read the same.
 */
export const MISSING_HOST = {
  errors: [
    {
      message: 'The request has no Host header, which HTTP/1.1 requires.',
      extensions: { code: 'BAD_REQUEST' },
    },
  ],
};

/** Answers `CONNECT` with a 405 in GraphQL's error shape (refusalOf(405)) and closes, where Node closes silently. */
export function refusingConnect(server: Server): void {
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    // A client that resets at once must not raise an unhandled 'error' on a socket nobody else holds.
    socket.on('error', () => undefined);
    refuseOnSocket(socket, 405, { headers: { Allow: SERVED_METHODS.join(', ') } });
  });
}
