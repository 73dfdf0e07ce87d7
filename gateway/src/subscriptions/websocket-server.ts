import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  bearerToken,
  InvalidToken,
  type AuthRequirements,
  type Identity,
  type RevocationList,
  type TokenVerifier,
} from '@gaji/platform/auth';
import { forgetUpgraded } from '@gaji/platform/http';
import { type Logger } from '@gaji/platform/logging';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { OperationLimits } from '../limits/operation-limits.js';
import type { ClientAddressOf } from '../rate-limits/client-address.js';
import { RateLimited } from '../rate-limits/rate-limited.error.js';
import type { RateLimits } from '../rate-limits/rate-limits.js';
import { ClientSockets, type ClientSocket } from './client-sockets.js';
import type { LiveSubscriptions } from './live-subscriptions.js';
import { releaseMemoryAfterExodus } from './memory-after-exodus.js';
import { admitSubscription, type SubscribePayload } from './subscription-admission.js';
import { SOCKET_CLOSE, type SocketClose } from './socket-close.js';
import { SubscriptionDocuments } from './subscription-documents.js';
import type { SubscriptionPlanner } from './subscription-planner.js';

// No `request`: graphql-ws would keep the upgrade's IncomingMessage (headers and all) for the
// socket's whole life, and nothing after the upgrade reads it.
type ConnectionExtra = {
  socket: WebSocket;
  client?: ClientSocket;
  expiryTimer?: NodeJS.Timeout;
};

export interface WebSocketOptions {
  server: Server;
  planner: SubscriptionPlanner;
  live: LiveSubscriptions;
  verifyToken: TokenVerifier;
  revocations: RevocationList;
  requirements: AuthRequirements;
  limits: OperationLimits;
  rateLimits: RateLimits;
  addressOf: ClientAddressOf;
  /** Origins a browser page may connect from; undefined: any (development). */
  allowedOrigins?: readonly string[];
  maxConnectionsPerAddress: number;
  maxSubscriptionsPerAddress: number;
  /** The largest message accepted, as for HTTP bodies. */
  maxPayloadBytes: number;
  logger: Logger;
}

/**
 * graphql-ws on the gateway's own port and path (ws://host:4000/graphql). An upgrade is refused
 * before any WebSocket exists when its Origin is not allowed (403) or its address is over its
 * connection cap or budget (429). The access token comes in `connection_init` and is checked
 * with the same verifier and revocation list as HTTP; a token that does not verify is never
 * downgraded to anonymous (close 4403), and one that has merely expired is told so (4401), while a
 * socket without one is anonymous and may follow public fields only (productStatusChanged; a
 * private one is refused with UNAUTHENTICATED). An open socket is closed when its token expires
 * (4401) or is revoked (4403). Every close the gateway sends is in socket-close.ts. Each
 * subscription is admitted on its own (subscription-admission.ts): a bad one fails alone.
 */
export function startWebSocketServer(options: WebSocketOptions): {
  /** Open graphql-ws connections (gaji_websocket_connections). */
  connections(): number;
  /** Sockets counted against their address's caps: as many as are open, once they close. */
  counted(): number;
  close(): Promise<void>;
} {
  const { live, verifyToken, requirements, limits, rateLimits, logger } = options;
  const documents = new SubscriptionDocuments(options.planner.schema);
  const sockets = new ClientSockets({
    maxConnectionsPerAddress: options.maxConnectionsPerAddress,
    maxSubscriptionsPerAddress: options.maxSubscriptionsPerAddress,
  });
  const stopClosingRevoked = options.revocations.onRevoked((revocation) => sockets.closeRevoked(revocation));
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const stopReleasingMemory = releaseMemoryAfterExodus(() => wss.clients.size);
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // No keep-alive connection from here on: a graceful close does not wait for it.
    forgetUpgraded(options.server, request.socket);
    void upgrade(request, socket, head).catch((error: unknown) => {
      logger.error({ err: error }, 'WebSocket upgrade failed');
      refuse(socket, 500, 'Internal Server Error');
    });
  };
  const upgrade = async (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://gateway').pathname !== '/graphql')
      return refuse(socket, 404, 'Not Found');
    if (!originAllowed(request, options.allowedOrigins)) return refuse(socket, 403, 'Forbidden');
    const address = options.addressOf(request);
    try {
      await rateLimits.admitAddress(address);
    } catch (error) {
      if (error instanceof RateLimited)
        return refuse(socket, 429, 'Too Many Requests', error.retryAfterSeconds);
      throw error;
    }
    const client = sockets.open(address);
    if (!client) {
      rateLimits.refused('connections per address');
      return refuse(socket, 429, 'Too Many Requests', 60);
    }
    // Released when the connection ends, whether or not the handshake completed.
    socket.once('close', () => sockets.closed(client));
    wss.handleUpgrade(request, socket, head, (ws) => {
      client.close = (code, reason) => ws.close(code, reason);
      clients.set(ws, client);
      wss.emit('connection', ws);
    });
  };
  const clients = new WeakMap<WebSocket, ClientSocket>();
  options.server.on('upgrade', onUpgrade);

  const server = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const raw = params.authorization ?? params.Authorization;
        const client = clients.get(ctx.extra.socket);
        if (!client) return false;
        ctx.extra.client = client;
        if (raw === undefined || raw === null) return true; // anonymous: public fields only
        const token = typeof raw === 'string' ? bearerToken(raw) : undefined;
        if (!token) return refused(ctx.extra.socket, SOCKET_CLOSE.tokenRefused);
        let identity: Identity;
        try {
          identity = await verifyToken(token);
        } catch (error) {
          // Expired is the one refusal a client mends by itself: a fresh token from its refresh
          // cookie. Told 4403, it would have to ask the cookie whether the session had ended.
          const expired = error instanceof InvalidToken && error.reason === 'expired';
          return refused(ctx.extra.socket, expired ? SOCKET_CLOSE.tokenExpired : SOCKET_CLOSE.tokenRefused);
        }
        client.identity = identity;
        if (identity.expiresAt) {
          const { code, reason } = SOCKET_CLOSE.tokenExpired;
          ctx.extra.expiryTimer = setTimeout(
            () => ctx.extra.socket.close(code, reason),
            Math.max(0, identity.expiresAt.getTime() - Date.now()),
          );
          ctx.extra.expiryTimer.unref();
        }
        return true;
      },
      onDisconnect: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      onClose: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      onSubscribe: async (ctx, id, payload: SubscribePayload) => {
        const client = ctx.extra.client;
        if (!client) return [unauthenticated()];
        try {
          await rateLimits.admitAddress(client.address);
          if (client.identity) await rateLimits.admitMember(client.identity.memberId);
        } catch (error) {
          if (error instanceof RateLimited) return [rateLimited(error)];
          // Thrown from here, graphql-ws would close the whole socket (4500): fail this one only.
          logger.error({ err: error }, 'rate limits unavailable');
          return [
            new GraphQLError('Please try again shortly.', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
          ];
        }
        const admitted = admitSubscription(documents, payload, {
          identity: client.identity,
          requirements,
          limits,
        });
        if (Array.isArray(admitted)) return admitted as GraphQLError[];
        if (!sockets.subscribe(client, id)) {
          rateLimits.refused('subscriptions per address');
          return [rateLimited(new RateLimited('subscriptions per address', 60))];
        }
        return admitted as ExecutionArgs;
      },
      onComplete: (ctx, id) => {
        if (ctx.extra.client) sockets.completed(ctx.extra.client, id);
      },
      // Admission has checked everything; should the live stream still fail to start, that one
      // subscription gets an error and the socket stays up.
      subscribe: (args) => {
        try {
          return live.subscribe(args);
        } catch (error) {
          logger.warn({ err: error }, 'subscription failed to start');
          return {
            errors: [
              error instanceof GraphQLError
                ? error
                : new GraphQLError('This subscription could not be started.'),
            ],
          } satisfies ExecutionResult;
        }
      },
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug({ errors: errors.map((error) => error.message) }, 'subscription refused');
      },
    },
    wss,
  );
  return {
    connections: () => wss.clients.size,
    counted: () => sockets.size,
    close: async () => {
      stopClosingRevoked();
      stopReleasingMemory();
      options.server.off('upgrade', onUpgrade);
      const { code, reason } = SOCKET_CLOSE.serviceRestart;
      for (const socket of wss.clients) socket.close(code, reason);
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * Closes a socket whose `connection_init` is refused, with the close that says why, and answers
 * false so graphql-ws never acknowledges it (its own 4403 that follows is a no-op: a closing
 * WebSocket ignores a second close).
 */
function refused(socket: WebSocket, { code, reason }: SocketClose): false {
  socket.close(code, reason);
  return false;
}

const unauthenticated = () => new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });

const rateLimited = (limited: RateLimited) =>
  new GraphQLError(`Too many requests; try again in ${limited.retryAfterSeconds} s.`, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds: limited.retryAfterSeconds },
  });

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

function refuse(socket: Duplex, status: number, reason: string, retryAfterSeconds?: number): void {
  const retryAfter = retryAfterSeconds === undefined ? '' : `Retry-After: ${retryAfterSeconds}\r\n`;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\n${retryAfter}Content-Length: 0\r\n\r\n`);
}
