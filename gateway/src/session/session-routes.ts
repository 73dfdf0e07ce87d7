import { HeaderMap, type ApolloServer } from '@apollo/server';
import express, { type Express, type Request, type Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
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
 * The operation a session route runs, by its path under SESSION_PATH: a request refused before it
 * runs (the address budget) is counted in the request metric under the name its run would have.
 */
export function sessionOperationOf(path: string): string | undefined {
  return path === '/refresh' ? 'RefreshSession' : path === '/log-out' ? 'LogOut' : undefined;
}

/**
 * The browser's two session calls, which read the HttpOnly cookie no script can:
 * - `POST /auth/refresh` trades it (through the member's `refreshToken` mutation, run by this
 *   gateway like any operation) for a new access token, and rotates the cookie. It answers the
 *   mutation's GraphQL result: 200 with `data.refreshToken`, or 401 UNAUTHENTICATED (cookie
 *   cleared) when the session is over.
 * - `POST /auth/log-out` ends the session on the member side and clears the cookie (204).
 * When the member could not be made to answer (away, too slow, its store down), both answer 503
 * SUBGRAPH_UNAVAILABLE (or the failure's own status and code) with Retry-After and keep the cookie,
 * so the call can be sent again; a bug is a 500 INTERNAL_SERVER_ERROR, the cookie kept too.
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
    if (result.data) {
      copySetCookie(result.headers, res);
      res.json({ data: result.data, ...(result.errors ? { errors: result.errors } : {}) });
    } else if (endsTheSession(result)) {
      res.setHeader('set-cookie', clearedSessionCookie(options));
      res.status(401).json({ data: null, errors: result.errors });
    } else answerUnavailable(res, result, 'refresh');
  });

  router.post('/log-out', async (req, res) => {
    const refreshToken = refreshTokenFrom(req.headers.cookie);
    const result = refreshToken ? await run(req, LOG_OUT, { refreshToken }) : undefined;
    // The session lives on at the member unless it was ended or was none: clearing the cookie then
    // would leave it open with no way for this browser to end it. Kept, and the browser keeps its
    // log-out pending and resends it.
    if (result && result.data?.logOut !== true && !endsTheSession(result))
      return answerUnavailable(res, result, 'log-out');
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

type SessionResult = Awaited<ReturnType<ReturnType<typeof runWith>>>;

/**
 * The member refused the token (expired, reused, revoked, or not a token at all): the session is
 * over, a refresh answers 401 and a log-out has nothing left to end.
 */
function endsTheSession(result: SessionResult): boolean {
  const code = result.errors?.[0]?.extensions?.code;
  return code === 'UNAUTHENTICATED' || code === 'BAD_USER_INPUT';
}

/**
 * A session mutation that failed for a while — the member away or too slow (SUBGRAPH_UNAVAILABLE),
 * its store down (SERVICE_UNAVAILABLE), a rate limit — is answered as the gateway reported it: its
 * status (503 unless it says otherwise), its errors, and `Retry-After`, the same for both routes.
 * Such a failure says when to retry (`retryAfterSeconds`). Any other is a bug, ours or the
 * member's, which no retry mends: thrown, for the app's error handler to log and answer 500
 * INTERNAL_SERVER_ERROR without its details (jsonErrorHandler), never named an outage.
 */
function answerUnavailable(res: Response, result: SessionResult, route: string): void {
  const retryAfterSeconds = result.errors?.[0]?.extensions?.retryAfterSeconds;
  if (typeof retryAfterSeconds !== 'number') {
    const codes = result.errors?.map((error) => error.extensions?.code).join(', ') || 'no error';
    throw new Error(`session ${route} failed unexpectedly (HTTP ${result.status}; ${codes})`);
  }
  res.setHeader('retry-after', result.headers.get('retry-after') ?? String(retryAfterSeconds));
  res.status(result.status >= 400 ? result.status : 503).json({ data: null, errors: result.errors });
}

function copySetCookie(from: HeaderMap, to: Response): void {
  const cookie = from.get('set-cookie');
  if (cookie) to.setHeader('set-cookie', cookie);
}

const errorBody = (message: string, code: string, extra: Record<string, unknown> = {}) => ({
  errors: [{ message, extensions: { code, ...extra } }],
});
