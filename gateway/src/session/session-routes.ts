import { HeaderMap, type ApolloServer } from '@apollo/server';
import express, { type Express, type Request, type Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { RETRY_AFTER_SECONDS } from '@gaji/platform/graphql';
import type { ClientAddressOf } from '../rate-limits/client-address.js';
import type { GatewayContext } from '../rate-limits/rate-limits-plugin.js';
import {
  SESSION_HEADER,
  SESSION_PATH,
  clearedSessionCookie,
  refreshTokenFrom,
  wantsCookieSession,
  type SessionCookieOptions,
} from './session-cookie.js';

const REFRESH_SESSION = `mutation RefreshSession($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    accessToken
    accessTokenExpiresAt
    refreshToken
    refreshTokenExpiresAt
    member { id nickname }
  }
}`;
const LOG_OUT = `mutation LogOut($refreshToken: String!) { logOut(refreshToken: $refreshToken) }`;

/**
 * The browser's two session calls, which read the HttpOnly cookie no script can:
 * - `POST /auth/refresh` trades it (through the member's `refreshToken` mutation, run by this
 *   gateway like any operation) for a new access token, and rotates the cookie. It answers the
 *   mutation's GraphQL result: 200 with `data.refreshToken`, 401 UNAUTHENTICATED (cookie cleared)
 *   when the session is over, or the failure's status (e.g. 503) with the cookie kept.
 * - `POST /auth/log-out` ends the session on the member side and clears the cookie (204), or, when
 *   the member could not be made to end it (away, too slow, failing), answers 503
 *   SUBGRAPH_UNAVAILABLE with Retry-After and keeps the cookie, so the log-out can be sent again.
 * Both require `X-Gaji-Session: cookie` (the CSRF check) and are never cached.
 */
export function mountSessionRoutes(
  app: Express,
  apollo: ApolloServer<GatewayContext>,
  options: SessionCookieOptions,
  addressOf: ClientAddressOf,
): void {
  const run = runWith(apollo, addressOf);
  const router = express.Router();
  router.use((req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    if (req.method === 'POST' && wantsCookieSession(req.headers[SESSION_HEADER])) return next();
    const forbidden = req.method === 'POST'; // a cross-site form's POST, which cannot send the header
    // A 405 names what the address serves, as every 405 of ours (code BAD_REQUEST, as Apollo's own).
    if (!forbidden) res.setHeader('allow', 'POST');
    res
      .status(forbidden ? 403 : 405)
      .json(
        errorBody(`POST with the header ${SESSION_HEADER}: cookie.`, forbidden ? 'FORBIDDEN' : 'BAD_REQUEST'),
      );
  });

  router.post('/refresh', async (req, res) => {
    const refreshToken = refreshTokenFrom(req.headers.cookie);
    if (!refreshToken) {
      res.status(401).json(errorBody('Please log in again.', 'UNAUTHENTICATED', { reason: 'no-session' }));
      return;
    }
    const result = await run(req, REFRESH_SESSION, { refreshToken });
    const status = refreshStatus(result);
    if (status === 200) copySetCookie(result.headers, res);
    if (status === 401) res.setHeader('set-cookie', clearedSessionCookie(options));
    res
      .status(status)
      .json({ data: result.data ?? null, ...(result.errors ? { errors: result.errors } : {}) });
  });

  router.post('/log-out', async (req, res) => {
    const refreshToken = refreshTokenFrom(req.headers.cookie);
    const result = refreshToken ? await run(req, LOG_OUT, { refreshToken }) : undefined;
    const status = result ? logOutStatus(result) : 204;
    if (result && status !== 204) {
      // The session lives on at the member: clearing the cookie would leave it open with no way
      // for this browser to end it. Kept, and the browser keeps its log-out pending and resends it.
      res.setHeader('retry-after', result.headers.get('retry-after') ?? String(RETRY_AFTER_SECONDS));
      res.status(status).json({ errors: unavailableErrors(result.errors) });
      return;
    }
    res.setHeader('set-cookie', clearedSessionCookie(options));
    res.status(204).end();
  });

  app.use(SESSION_PATH, router);
}

/** Runs a session mutation through the gateway, counted against the caller's address like any. */
const runWith = (apollo: ApolloServer<GatewayContext>, addressOf: ClientAddressOf) =>
  async function run(req: Request, query: string, variables: Record<string, unknown>) {
    const response = await apollo.executeOperation(
      {
        query,
        variables,
        // Through the session cookie plugin, like a browser's own signUp or logIn.
        http: { method: 'POST', headers: new HeaderMap([[SESSION_HEADER, 'cookie']]), search: '', body: {} },
      },
      {
        contextValue: {
          clientAddress: addressOf(req),
          correlationId:
            typeof req.headers['gaji-correlation-id'] === 'string'
              ? req.headers['gaji-correlation-id']
              : undefined,
        },
      },
    );
    const single =
      response.body.kind === 'single' ? response.body.singleResult : { data: undefined, errors: [] };
    return {
      data: single.data ?? undefined,
      errors: single.errors as GraphQLFormattedError[] | undefined,
      headers: response.http.headers,
      status: response.http.status ?? 200,
    };
  };

/**
 * 401 only when the member refused the token (expired, reused, revoked, or not a token at all):
 * then the session is over. A member service that is away is not the browser's fault: 503, and
 * the cookie stays for the next try.
 */
function refreshStatus(result: Awaited<ReturnType<ReturnType<typeof runWith>>>): number {
  if (result.data) return 200;
  const code = result.errors?.[0]?.extensions?.code;
  if (code === 'UNAUTHENTICATED' || code === 'BAD_USER_INPUT') return 401;
  return result.status >= 400 ? result.status : 503;
}

/**
 * 204 when the member ended the session, or refused the token as no session (expired, revoked,
 * not a token): there is nothing left to end. Anything else (member away, too slow, failing, a
 * limit) did not end it: the failure's status, 503 unless it says otherwise.
 */
function logOutStatus(result: Awaited<ReturnType<ReturnType<typeof runWith>>>): number {
  if (result.data?.logOut === true) return 204;
  const code = result.errors?.[0]?.extensions?.code;
  if (code === 'UNAUTHENTICATED' || code === 'BAD_USER_INPUT') return 204;
  return result.status >= 400 ? result.status : 503;
}

/** The failure as the gateway reported it when it carries a retry hint, else a plain SUBGRAPH_UNAVAILABLE. */
function unavailableErrors(
  errors: readonly GraphQLFormattedError[] | undefined,
): readonly GraphQLFormattedError[] {
  if (errors?.[0]?.extensions?.retryAfterSeconds !== undefined) return errors;
  return errorBody('Logging out is unavailable right now; please retry shortly.', 'SUBGRAPH_UNAVAILABLE', {
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  }).errors;
}

function copySetCookie(from: HeaderMap, to: Response): void {
  const cookie = from.get('set-cookie');
  if (cookie) to.setHeader('set-cookie', cookie);
}

const errorBody = (message: string, code: string, extra: Record<string, unknown> = {}) => ({
  errors: [{ message, extensions: { code, ...extra } }],
});
