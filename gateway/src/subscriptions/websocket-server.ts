import {
  bearerToken,
  InvalidToken,
  KeysUnavailable,
  type AuthRequirements,
  type Identity,
  type RevocationList,
  type TokenVerifier,
} from '@gaji/platform/auth';
import { GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { formatForClient, type ClientErrorFormatter } from '../http/client-errors.js';
import type { OperationLimits } from '../limits/operation-limits.js';
import { RateLimited } from '../rate-limits/rate-limited.error.js';
import { ClientSockets, type ClientSocket, type LiveLimit, type LiveLimits } from './client-sockets.js';
import { refuseDeepMessages } from './deep-message-refusal.js';
import { sweepKeepAlive } from './keep-alive-sweep.js';
import type { Lagging, LiveSubscriptions } from './live-subscriptions.js';
import { releaseMemoryAfterExodus } from './memory-after-exodus.js';
import { clientGone, closeIfTooFarBehind, tooManyWaiting } from './slow-clients.js';
import { admitSubscription, type AdmittedContext, type SubscribePayload } from './subscription-admission.js';
import { SOCKET_CLOSE, type SocketClose } from './socket-close.js';
import { SubscriptionDocuments } from './subscription-documents.js';
import type { SubscriptionPlanner } from './subscription-planner.js';
import { acceptUpgrades, type UpgradeOptions } from './websocket-upgrade.js';

// No `request`: graphql-ws would keep the upgrade's IncomingMessage (headers and all) for the
// socket's whole life, and nothing after the upgrade reads it.
type ConnectionExtra = {
  socket: WebSocket;
  client?: ClientSocket;
  expiryTimer?: NodeJS.Timeout;
};

export interface WebSocketOptions extends UpgradeOptions, LiveLimits {
  planner: SubscriptionPlanner;
  live: LiveSubscriptions;
  verifyToken: TokenVerifier;
  revocations: RevocationList;
  requirements: AuthRequirements;
  limits: OperationLimits;
  /** Bytes of frames held for a client that does not read them, before its socket is closed (4413). */
  maxQueuedBytesPerSocket: number;
  /** The largest message accepted, as for HTTP bodies. */
  maxPayloadBytes: number;
  /** How HTTP answers errors (client-errors.ts): every error a socket sends passes it too. */
  formatError: ClientErrorFormatter;
  /**
   * Every socket is pinged this often, and one that has not answered the previous ping is ended
   * (keep-alive-sweep.ts).
   */
  keepAliveMs: number;
}

/**
 * graphql-ws on the gateway's own port and path (ws://host:4000/graphql), behind the upgrade's
 * refusals (websocket-upgrade.ts). The access token comes in `connection_init` and is checked
 * with the same verifier and revocation list as HTTP; a token that does not verify is never
 * downgraded to anonymous (close 4403), one that has merely expired is told so (4401), one that
 * cannot be judged while member's keys cannot be loaded is told to come back (4503), while a
 * socket without one is anonymous and may follow public fields only (productStatusChanged; a
 * private one is refused with UNAUTHENTICATED). An open socket is closed when its token expires
 * (4401) or is revoked (4403). Every close the gateway sends is in socket-close.ts. Each
 * subscription is admitted on its own (subscription-admission.ts): a bad one fails alone. A
 * message nesting JSON deeper than an HTTP body may is refused before graphql-ws reads it (4400,
 * deep-message-refusal.ts).
 */
export function startWebSocketServer(options: WebSocketOptions): {
  /** Open graphql-ws connections (gaji_websocket_connections). */
  connections(): number;
  /** Sockets counted against their address's caps: as many as are open, once they close. */
  counted(): number;
  close(): Promise<void>;
} {
  const { live, verifyToken, requirements, limits, rateLimits, formatError, logger } = options;
  const documents = new SubscriptionDocuments(options.planner.schema);
  const sockets = new ClientSockets({
    maxConnectionsPerAddress: options.maxConnectionsPerAddress,
    maxSubscriptionsPerAddress: options.maxSubscriptionsPerAddress,
    maxLiveCostPerSocket: options.maxLiveCostPerSocket,
    maxLiveCostPerAddress: options.maxLiveCostPerAddress,
  });
  const stopClosingRevoked = options.revocations.onRevoked((revocation) => sockets.closeRevoked(revocation));
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayloadBytes });
  const stopReleasingMemory = releaseMemoryAfterExodus(() => wss.clients.size);
  const upgrades = acceptUpgrades(options, sockets, wss);
  const refused = refusing(options.refused);
  const stopSweeping = sweepKeepAlive(wss, options.keepAliveMs);

  const server = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const raw = params.authorization ?? params.Authorization;
        const client = upgrades.clientOf(ctx.extra.socket);
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
          // Member's keys unavailable is no verdict on the token: the client backs off and comes back.
          if (error instanceof KeysUnavailable)
            return refused(ctx.extra.socket, SOCKET_CLOSE.keysUnavailable);
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
        const args = admitted as ExecutionArgs;
        const { cost } = args.contextValue as AdmittedContext;
        const overLimit = sockets.subscribe(client, id, cost);
        if (overLimit) {
          rateLimits.refused(overLimit);
          return [liveLimitReached(overLimit, cost, options)];
        }
        // The socket's replay slots go with the subscription: a resume from a cursor takes one.
        const lagging: Lagging['lagging'] = (framesWaiting) => {
          const tooMany = tooManyWaiting(framesWaiting, cost, options.maxLiveCostPerSocket);
          if (closeIfTooFarBehind(ctx.extra.socket, options.maxQueuedBytesPerSocket, tooMany))
            rateLimits.refused('queued bytes per socket');
        };
        return {
          ...args,
          contextValue: {
            ...(args.contextValue as object),
            replays: client.replays,
            lagging,
          },
        };
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
          // Over its socket's or the gateway's replays (replay-slots.ts): counted with the caps.
          const limit = replayLimitOf(error);
          if (limit) rateLimits.refused(limit);
          else logger.warn({ err: error }, 'subscription failed to start');
          return {
            errors: [
              error instanceof GraphQLError
                ? error
                : new GraphQLError('This subscription could not be started.'),
            ],
          } satisfies ExecutionResult;
        }
      },
      // graphql-ws would send errors as they are (and call toJSON on each, which a failed fetch of
      // a query plan lacks, ending the subscription): they are formatted as Apollo formats HTTP's.
      // A client that has left too much unread is closed before this frame queues behind it; the
      // frame is then not sent (graphql-ws sends nothing on a socket no longer open).
      onNext: (ctx, _id, _payload, _args, result) => {
        if (closeIfTooFarBehind(ctx.extra.socket, options.maxQueuedBytesPerSocket))
          rateLimits.refused('queued bytes per socket');
        return result.errors ? { ...result, errors: formatForClient(formatError, result.errors) } : undefined;
      },
      onError: (ctx, _id, _payload, errors) => {
        // A frame that could not be written to a client gone (`write ECANCELED`): its doing, logged
        // as a client's mistakes are, and not passed to formatError, which logs the unexpected.
        if (clientGone(ctx.extra.socket, errors)) {
          logger.debug({ errors: errors.map((error) => error.message) }, 'live frame for a client gone');
          return [new GraphQLError('The connection closed.', { extensions: { code: 'CLIENT_GONE' } })];
        }
        logger.debug({ errors: errors.map((error) => error.message) }, 'subscription refused');
        return formatForClient(formatError, errors);
      },
    },
    wss,
    // No keep-alive of graphql-ws's (an interval per socket, and a timeout per ping): the sweep's.
    0,
  );
  // After useServer's own 'connection' listener, which has given each socket its message listener.
  wss.on('connection', refuseDeepMessages);
  return {
    connections: () => wss.clients.size,
    counted: () => sockets.size,
    close: async () => {
      stopClosingRevoked();
      stopSweeping();
      stopReleasingMemory();
      upgrades.stop();
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
 * WebSocket ignores a second close). Counted (`count`) under the code HTTP answers the same token
 * with: UNAUTHENTICATED, or SERVICE_UNAVAILABLE while member's keys cannot be loaded.
 */
function refusing(count: ((code: string) => void) | undefined) {
  return (socket: WebSocket, { code, reason }: SocketClose): false => {
    socket.close(code, reason);
    count?.(code === SOCKET_CLOSE.keysUnavailable.code ? 'SERVICE_UNAVAILABLE' : 'UNAUTHENTICATED');
    return false;
  };
}

function replayLimitOf(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  if (error.extensions.code === 'RATE_LIMITED') return 'replays per socket';
  if (error.extensions.code === 'SERVICE_BUSY') return 'replays per gateway';
  return undefined;
}

const unauthenticated = () => new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });

/**
 * A live cap is freed the moment one of the address's (or socket's) subscriptions completes, so no
 * `retryAfterSeconds`: waiting frees nothing, completing a subscription does.
 */
function liveLimitReached(limit: LiveLimit, cost: number, limits: LiveLimits): GraphQLError {
  const message =
    limit === 'subscriptions per address'
      ? `This address already has ${limits.maxSubscriptionsPerAddress} live subscriptions open; complete one before starting another.`
      : `This subscription costs ${cost} units, more than is left of the ${
          limit === 'live cost per socket'
            ? `${limits.maxLiveCostPerSocket} its socket`
            : `${limits.maxLiveCostPerAddress} this address`
        } may hold open at once; complete a subscription or ask for less.`;
  return new GraphQLError(message, { extensions: { code: 'RATE_LIMITED', limit } });
}

const rateLimited = (limited: RateLimited) =>
  new GraphQLError(`Too many requests; try again in ${limited.retryAfterSeconds} s.`, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds: limited.retryAfterSeconds },
  });
