import { ApolloError, ApolloLink, Observable, type FetchResult } from '@apollo/client';
import { GraphQLError, print } from 'graphql';
import type { LiveSocket } from './live-socket';

/**
 * Apollo's link for subscriptions over our LiveSocket (what GraphQLWsLink does, without loading
 * graphql-ws up front). A socket that closes ends the subscription with an Error (never a bare
 * CloseEvent, which nothing would catch); refused operations become GraphQL errors.
 */
export function liveLink(live: LiveSocket): ApolloLink {
  return new ApolloLink(
    (operation) =>
      new Observable<FetchResult>((observer) =>
        live.subscribe(
          {
            query: print(operation.query),
            variables: operation.variables,
            operationName: operation.operationName,
          },
          {
            next: (value) => observer.next(value as FetchResult),
            complete: () => observer.complete(),
            error: (error) => observer.error(liveError(error)),
          },
        ),
      ),
  );
}

/** The socket closed with `code` (a CloseEvent from graphql-ws, made an Error). */
export class LiveConnectionClosed extends Error {
  constructor(readonly code: number) {
    super(`The live connection closed (${code}).`);
  }
}

/**
 * 1012 Service Restart: the gateway is stopping (a deploy, a scale-in). Not a failure: reconnect
 * at once — another replica answers — and re-subscribe with the last cursor to get what was missed.
 */
export const SERVICE_RESTART = 1012;

/**
 * 4401: the access token has expired — on an open socket, or already at `connection_init` (the
 * gateway's clock may run ahead of this browser's, so a token that looks fresh here can be
 * refused). Mended by a new access token from the refresh cookie.
 */
export const TOKEN_EXPIRED = 4401;

/**
 * 4403: the gateway will not take this session any more — revoked (a withdrawal, a log-out
 * elsewhere, a refresh token presented twice) or a token that does not verify.
 */
export const SESSION_REFUSED = 4403;

export const isServiceRestart = (error: unknown): boolean =>
  error instanceof LiveConnectionClosed && error.code === SERVICE_RESTART;

/**
 * What a subscriber does when its subscription ends with `error`: `resume-at-once` after a
 * restart; `renew-token` when the token expired — a new one from the refresh cookie, then
 * reconnect; `confirm-session` when the gateway refused the session — no reconnecting against its
 * word, the refresh cookie decides first; `back-off` for everything else: network loss (1006), a
 * refused operation.
 */
export type AfterLiveError = 'resume-at-once' | 'renew-token' | 'confirm-session' | 'back-off';

export function afterLiveError(error: unknown): AfterLiveError {
  if (!(error instanceof LiveConnectionClosed)) return 'back-off';
  if (error.code === SERVICE_RESTART) return 'resume-at-once';
  if (error.code === TOKEN_EXPIRED) return 'renew-token';
  if (error.code === SESSION_REFUSED) return 'confirm-session';
  return 'back-off';
}

export function liveError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (typeof error === 'object' && error !== null && 'code' in error)
    return new LiveConnectionClosed(Number((error as { code: unknown }).code));
  const errors = (Array.isArray(error) ? error : [error]) as {
    message?: string;
    extensions?: Record<string, unknown>;
  }[];
  return new ApolloError({
    graphQLErrors: errors.map((e) => new GraphQLError(e.message ?? String(e), { extensions: e.extensions })),
  });
}
