import { parse, serialize } from 'cookie';

/**
 * The browser's refresh token lives in this cookie, never in JavaScript: HttpOnly (a script cannot
 * read it), SameSite=Strict (another site cannot make the browser send it), scoped to the session
 * routes (it is not sent with every API call or page load) and Secure outside development.
 */
export const SESSION_COOKIE = 'gaji_refresh';
export const SESSION_PATH = '/auth';

/**
 * A browser asks for cookie sessions with this header (`X-Gaji-Session: cookie`). A cross-site
 * form or image cannot send a custom header, and a cross-origin fetch that tries needs a CORS
 * preflight the gateway never grants: the header is the session routes' CSRF check, on top of
 * SameSite=Strict.
 */
export const SESSION_HEADER = 'x-gaji-session';
export const wantsCookieSession = (header: string | string[] | undefined) => header === 'cookie';

export interface SessionCookieOptions {
  secure: boolean;
  /**
   * How long member's refresh tokens live (`REFRESH_TOKEN_TTL_DAYS`, the same value member runs
   * with): the cookie's lifetime when the answer does not say when its token expires (an operation
   * that did not select `refreshTokenExpiresAt`). Without it the cookie would die with the browser.
   */
  refreshTokenTtlMs: number;
}

export function sessionCookie(
  refreshToken: string,
  expiresAt: Date | undefined,
  { secure, refreshTokenTtlMs }: SessionCookieOptions,
): string {
  const lifetimeMs = expiresAt ? expiresAt.getTime() - Date.now() : refreshTokenTtlMs;
  return serialize(SESSION_COOKIE, refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: SESSION_PATH,
    maxAge: Math.max(0, Math.floor(lifetimeMs / 1000)),
  });
}

export const clearedSessionCookie = ({ secure }: SessionCookieOptions) =>
  serialize(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: SESSION_PATH,
    expires: new Date(0),
  });

export function refreshTokenFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const token = parse(cookieHeader)[SESSION_COOKIE];
  return token ? token : undefined;
}
