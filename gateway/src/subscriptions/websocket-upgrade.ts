import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  forgetUpgraded,
  hostRefusalOf,
  refusalCodeOf,
  refuseOnSocket as refuseRawly,
} from '@gaji/platform/http';
import { type Logger } from '@gaji/platform/logging';
import type { WebSocket, WebSocketServer } from 'ws';
import type { ClientAddressOf } from '../rate-limits/client-address.js';
import { RateLimited, rateLimitedBody } from '../rate-limits/rate-limited.error.js';
import type { RateLimits } from '../rate-limits/rate-limits.js';
import type { ClientSocket, ClientSockets } from './client-sockets.js';

export interface UpgradeOptions {
  server: Server;
  rateLimits: RateLimits;
  addressOf: ClientAddressOf;
  /** Origins a browser page may connect from; undefined: any (development). */
  allowedOrigins?: readonly string[];
  logger: Logger;
  /** Told the code of each upgrade refused (no HTTP handler sees it to count it). */
  refused?: (code: string) => void;
}

const UPGRADE_NOT_HTTP_1_1 = {
  errors: [
    {
      message: 'A WebSocket upgrade must be an HTTP/1.1 request.',
      extensions: { code: 'BAD_REQUEST' },
    },
  ],
};

/**
 * Takes the upgrades to ws://host:4000/graphql, each counted against its address's caps. One is
 * refused before any WebSocket exists when it has no Host or more than one (400 BAD_REQUEST, the
 * answer to any such request), is not HTTP/1.1 (400), its path is not /graphql (404), its Origin is not
 * allowed (403) or its address is over its connection cap or budget (429, RATE_LIMITED with
 * Retry-After): an HTTP answer in GraphQL's error shape, like every other refusal of ours. So is a
 * malformed handshake: a method other than GET (405, before its address is counted), and what ws
 * finds wrong (no or a bad Sec-WebSocket-Key, version, protocol or extensions header: 400, with
 * ws's own message, which names only the header) — ws would answer both in plain text.
 */
export function acceptUpgrades(
  options: UpgradeOptions,
  sockets: ClientSockets,
  wss: WebSocketServer,
): { clientOf(ws: WebSocket): ClientSocket | undefined; stop(): void } {
  const { rateLimits, logger } = options;
  const clients = new WeakMap<WebSocket, ClientSocket>();
  const refuseOnSocket = countedRefusal(options.refused);
  // With a listener, ws hands us each handshake it refuses instead of answering it in plain text.
  wss.on('wsClientError', (error: Error, socket: Duplex) =>
    refuseMalformedHandshake(refuseOnSocket, socket, error.message),
  );
  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Refused first, as createHttpServer refuses any other request whose Host is missing or
    // repeated (protocol-refusals.ts): ws would switch either to a WebSocket.
    const hostRefusal = hostRefusalOf(request);
    if (hostRefusal) return refuseOnSocket(socket, 400, { body: hostRefusal });
    // RFC 6455 §4.1: the opening handshake is an HTTP/1.1 request. ws checks no version, and
    // switched an HTTP/1.0 or `HTTP/2.0` request line to a WebSocket.
    if (request.httpVersion !== '1.1') return refuseOnSocket(socket, 400, { body: UPGRADE_NOT_HTTP_1_1 });
    if (new URL(request.url ?? '/', 'http://gateway').pathname !== '/graphql')
      return refuseOnSocket(socket, 404);
    if (request.method !== 'GET') return refuseOnSocket(socket, 405, { headers: { Allow: 'GET' } });
    if (!originAllowed(request, options.allowedOrigins)) return refuseOnSocket(socket, 403);
    const address = options.addressOf(request);
    try {
      await rateLimits.admitAddress(address);
    } catch (error) {
      if (error instanceof RateLimited) return refuseRateLimited(refuseOnSocket, socket, error);
      throw error;
    }
    // Gone while its address was admitted: its 'close' has fired already, so a slot taken now
    // would never be given back (and ws destroys such a socket without calling us back).
    if (!socket.writable || socket.destroyed) return void socket.destroy();
    const client = sockets.open(address);
    if (!client) {
      rateLimits.refused('connections per address');
      return refuseRateLimited(refuseOnSocket, socket, new RateLimited('connections per address', 60));
    }
    // Released when the connection ends, whether or not the handshake completed.
    socket.once('close', () => sockets.closed(client));
    wss.handleUpgrade(request, socket, head, (ws) => {
      client.close = (code, reason) => ws.close(code, reason);
      clients.set(ws, client);
      wss.emit('connection', ws);
    });
  };
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node takes its own 'error' listener off a socket it hands to 'upgrade', and ws adds one only
    // in handleUpgrade: until then a client's reset (during the address check, or as we refuse it)
    // would be an uncaught error that ends the gateway.
    socket.on('error', () => socket.destroy());
    // No keep-alive connection from here on: a graceful close does not wait for it.
    forgetUpgraded(options.server, request.socket);
    void upgrade(request, socket, head).catch((error: unknown) => {
      logger.error({ err: error }, 'WebSocket upgrade failed');
      refuseOnSocket(socket, 500);
    });
  };
  options.server.on('upgrade', onUpgrade);
  return {
    clientOf: (ws) => clients.get(ws),
    stop: () => options.server.off('upgrade', onUpgrade),
  };
}

type Refuse = typeof refuseRawly;

/** refuseOnSocket, telling `refused` the code the answer carries. */
function countedRefusal(refused: ((code: string) => void) | undefined): Refuse {
  return (socket, status, options = {}) => {
    refuseRawly(socket, status, options);
    const code = (options.body?.errors[0] as { extensions?: { code?: unknown } } | undefined)?.extensions
      ?.code;
    refused?.(typeof code === 'string' ? code : refusalCodeOf(status));
  };
}

/** ws's message names the header at fault ("Missing or invalid Sec-WebSocket-Key header"), nothing of ours. */
function refuseMalformedHandshake(refuseOnSocket: Refuse, socket: Duplex, reason: string): void {
  refuseOnSocket(socket, 400, {
    body: {
      errors: [
        { message: `The WebSocket handshake is malformed: ${reason}.`, extensions: { code: 'BAD_REQUEST' } },
      ],
    },
    // What a client must send, as ws would have said (RFC 6455 §4.4).
    headers: /Sec-WebSocket-Version/i.test(reason) ? { 'Sec-WebSocket-Version': '13, 8' } : {},
  });
}

function refuseRateLimited(refuseOnSocket: Refuse, socket: Duplex, limited: RateLimited): void {
  refuseOnSocket(socket, 429, {
    body: rateLimitedBody(limited),
    headers: { 'Retry-After': String(limited.retryAfterSeconds) },
  });
}

/**
 * Browsers always send Origin; a page elsewhere must not ride a visitor's session over a socket.
 * Allowed: no Origin (not a browser), the gateway's own origin, or one listed.
 */
function originAllowed(request: IncomingMessage, allowed: readonly string[] | undefined): boolean {
  const origin = request.headers.origin;
  if (allowed === undefined || origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
