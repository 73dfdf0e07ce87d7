import type { IncomingMessage, RequestListener, Server, ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { refusalCodeOf, SERVED_METHODS } from './json-errors.js';
import { refuseOnSocket } from './raw-refusal.js';

/**
 * Two requests Node answers by itself, outside every handler of ours and outside GraphQL's error
 * shape, taken over here for every server of ours (createHttpServer):
 *
 * - `CONNECT` (a proxy tunnel): with no `connect` listener Node closes the connection without a
 *   byte. We serve no tunnel: 405 naming the methods we serve, like any method served nowhere.
 * - a request without `Host` (RFC 9112 §3.2 requires one): Node's `requireHostHeader` answers an
 *   HTTP/1.1 one `400 Bad Request` with an empty body. The same 400, now BAD_REQUEST in our shape,
 *   for any version but HTTP/1.0 (Node served an `HTTP/2.0` request line without Host), and for
 *   a request with two (which Node served).
 */
export const withoutNodesOwnRefusals: Pick<ServerOptions, 'requireHostHeader'> = { requireHostHeader: false };

/**
 * What is wrong with a request's `Host`, as the body of its 400, or undefined when nothing is.
 * - More than one (RFC 9112 §3.2: a server MUST answer 400), of any version: Node keeps the first
 *   in `req.headers` and drops the rest, while a proxy or cache in front may read another, so the
 *   two would route or key the same request apart (request smuggling, cache-key confusion). Only
 *   `req.rawHeaders` still holds them all.
 * - None: RFC 9112 §3.2 requires one of HTTP/1.1, and only HTTP/1.0 predates it, so any other
 *   version Node's parser lets through (an `HTTP/2.0` request line, sent on a plain connection in
 *   HTTP/1.1's syntax) needs one too.
 */
export function hostRefusalOf(req: IncomingMessage): RefusalBody | undefined {
  if (hostFieldsIn(req.rawHeaders) > 1) return TWO_HOSTS;
  const http10 = req.httpVersionMajor === 1 && req.httpVersionMinor === 0;
  return !http10 && !req.headers.host ? MISSING_HOST : undefined;
}

/** `rawHeaders` is [name, value, name, value, …], names as the client spelled them. */
function hostFieldsIn(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') count++;
  return count;
}

/** `handler`, after refusing a request whose `Host` is missing or repeated, in GraphQL's error shape. */
export function requiringHost(
  handler: RequestListener,
  refused: (code: string) => void = () => undefined,
): RequestListener {
  return (req, res) => {
    const refusal = hostRefusalOf(req);
    if (refusal) {
      refused(refusal.errors[0]!.extensions.code);
      const body = JSON.stringify(refusal);
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

type RefusalBody = { errors: { message: string; extensions: { code: string } }[] };

/**
 * The refusals of a request whose `Host` is missing or repeated: answered by `requiringHost` here,
 * and by the gateway to such a WebSocket upgrade (Node hands an upgrade to its 'upgrade'
 * listeners, not to a request handler), so that both read the same.
 */
const MISSING_HOST: RefusalBody = {
  errors: [
    {
      message: 'The request has no Host header, which HTTP/1.1 requires.',
      extensions: { code: 'BAD_REQUEST' },
    },
  ],
};
const TWO_HOSTS: RefusalBody = {
  errors: [
    {
      message: 'The request has more than one Host header; send exactly one.',
      extensions: { code: 'BAD_REQUEST' },
    },
  ],
};

/** Answers `CONNECT` with a 405 in GraphQL's error shape (refusalOf(405)) and closes, where Node closes silently. */
export function refusingConnect(server: Server, refused: (code: string) => void = () => undefined): void {
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    // A client that resets at once must not raise an unhandled 'error' on a socket nobody else holds.
    socket.on('error', () => undefined);
    refuseOnSocket(socket, 405, { headers: { Allow: SERVED_METHODS.join(', ') } });
    refused(refusalCodeOf(405));
  });
}
