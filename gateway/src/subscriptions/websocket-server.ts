import type { Server } from 'node:http';
import {
  assertOperationAllowed,
  bearerToken,
  type AuthRequirements,
  type Identity,
  type TokenVerifier,
} from '@gaji/platform/auth';
import { type Logger } from '@gaji/platform/logging';
import { GraphQLError, Kind, parse, specifiedRules, validate, type DocumentNode } from 'graphql';
import { MAX_TOKENS, type OperationLimits } from '../limits/operation-limits.js';
import { checkOperationLimits } from '../limits/operation-limits-plugin.js';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { LiveSubscriptions } from './live-subscriptions.js';
import type { SubscriptionPlanner } from './subscription-planner.js';

type ConnectionExtra = {
  identity?: Identity;
  expiryTimer?: NodeJS.Timeout;
};

/**
 * graphql-ws on the gateway's own port and path (ws://host:4000/graphql). The access token comes
 * in `connection_init` (`{ authorization: "Bearer …" }`) and is checked with the same verifier and
 * the same @authenticated/@requiresScopes rules as HTTP. A socket without a token is anonymous: it
 * may subscribe to public fields only (productStatusChanged); a private one is refused with
 * UNAUTHENTICATED and the socket stays open. A token that does not verify is never downgraded to
 * anonymous: the connection is refused (close 4403). The socket is closed when the token expires,
 * so the client reconnects with a fresh one (and its last cursor).
 */
export function startWebSocketServer(options: {
  server: Server;
  planner: SubscriptionPlanner;
  live: LiveSubscriptions;
  verifyToken: TokenVerifier;
  requirements: AuthRequirements;
  limits: OperationLimits;
  logger: Logger;
}): { close(): Promise<void> } {
  const { planner, live, verifyToken, requirements, limits, logger } = options;
  const wss = new WebSocketServer({ server: options.server, path: '/graphql' });
  const server = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const raw = params.authorization ?? params.Authorization;
        if (raw === undefined || raw === null) return true; // anonymous: public fields only
        const token = typeof raw === 'string' ? bearerToken(raw) : undefined;
        if (!token) return false;
        try {
          const identity = await verifyToken(token);
          ctx.extra.identity = identity;
          if (identity.expiresAt) {
            const socket = (ctx.extra as unknown as { socket: { close(code: number, reason: string): void } })
              .socket;
            ctx.extra.expiryTimer = setTimeout(
              () => socket.close(4401, 'Token expired'),
              Math.max(0, identity.expiresAt.getTime() - Date.now()),
            );
            ctx.extra.expiryTimer.unref();
          }
          return true;
        } catch {
          return false;
        }
      },
      onDisconnect: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      onClose: (ctx) => clearTimeout(ctx.extra.expiryTimer),
      onSubscribe: (ctx, _id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: MAX_TOKENS });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Syntax error')];
        }
        const errors = validate(planner.schema, document, specifiedRules);
        if (errors.length > 0) return errors;
        const operation = document.definitions.find(
          (definition) => definition.kind === Kind.OPERATION_DEFINITION,
        );
        if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'subscription') {
          return [
            new GraphQLError('Only subscriptions go over WebSocket; send queries and mutations over HTTP.', {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        }
        const overLimits = checkOperationLimits(
          planner.schema,
          document,
          operation,
          payload.variables ?? {},
          limits,
        );
        if (overLimits.length > 0) return overLimits;
        try {
          assertOperationAllowed(planner.schema, document, requirements, ctx.extra.identity);
        } catch (error) {
          return [error as GraphQLError];
        }
        return {
          schema: planner.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: { identity: ctx.extra.identity },
        };
      },
      subscribe: (args) => live.subscribe(args),
      onError: (_ctx, _id, _payload, errors) => {
        logger.debug({ errors: errors.map((error) => error.message) }, 'subscription refused');
      },
    },
    wss,
  );
  return {
    close: async () => {
      await server.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
