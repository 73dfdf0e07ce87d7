import type { ApolloServerPlugin } from '@apollo/server';
import { takeRefreshTokens } from './refresh-tokens-in-result.js';
import {
  SESSION_HEADER,
  sessionCookie,
  wantsCookieSession,
  type SessionCookieOptions,
} from './session-cookie.js';

/**
 * For a browser that asked for a cookie session (`X-Gaji-Session: cookie`), moves the refresh token
 * of every AuthPayload in the answer (signUp, logIn, refreshToken — however selected: aliased,
 * twice, inside fragments at any depth) into the HttpOnly session cookie and blanks it in the body,
 * so page scripts never hold it. The token is found by walking the executed result along the
 * operation's typed selections (refresh-tokens-in-result.ts), not by matching the shapes a client
 * is expected to send: an earlier walk that looked for one unaliased field within eight fragment
 * levels let `refreshToken r2: refreshToken` and nine levels of `... on AuthPayload` through. The
 * member subgraph never sees the browser's HTTP response, so this happens here. Other clients
 * (apps, tests) keep receiving the token in the body.
 */
export function sessionCookiePlugin(options: SessionCookieOptions): ApolloServerPlugin {
  return {
    async requestDidStart({ request }) {
      if (!wantsCookieSession(request.http?.headers.get(SESSION_HEADER))) return;
      return {
        async willSendResponse({ response, operation, document, schema }) {
          if (response.body.kind !== 'single' || !operation || !document) return;
          const data = response.body.singleResult.data;
          if (!data) return;
          // One cookie holds one session: with several in an answer (two logIns), the last taken;
          // every one is blanked all the same.
          for (const { token, expiresAt } of takeRefreshTokens(schema, document, operation, data))
            response.http.headers.set(
              'set-cookie',
              sessionCookie(token, expiresAt === undefined ? undefined : new Date(expiresAt), options),
            );
        },
      };
    },
  };
}
