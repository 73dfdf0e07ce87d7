import type { Session } from './session';

/** The header by which the browser asks the gateway for a cookie session (and its CSRF check). */
export const COOKIE_SESSION_HEADERS = { 'x-gaji-session': 'cookie' } as const;

export type RefreshOutcome =
  | { kind: 'refreshed'; session: Session }
  /**
   * The gateway said the session is over (401): expired, revoked, or never was. `accountClosed`:
   * because its member has withdrawn (`reason: 'withdrawn'`) — logging in again cannot help.
   */
  | { kind: 'refused'; accountClosed?: true }
  /** No answer, or the member service is away: the session may well be fine; try later. */
  | { kind: 'unavailable' };

export interface SessionApi {
  refresh(): Promise<RefreshOutcome>;
  /**
   * Rejects unless the gateway ended the session (no answer, or any non-2xx such as a 503); with a
   * `LogOutNotDone` when the gateway answered, carrying its Retry-After.
   */
  logOut(): Promise<void>;
}

/** The gateway answered a log-out without ending the session; `retryAfterSeconds`: when to ask again, if it said. */
export class LogOutNotDone extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`log-out not done: HTTP ${status}`);
  }
}

/** A Retry-After header in seconds: a number of seconds, or an HTTP date; undefined when absent or neither. */
export function retryAfterSecondsOf(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

interface RefreshAnswer {
  data?: { refreshToken?: Session | null } | null;
  errors?: { extensions?: { reason?: unknown } }[];
}

/** A start-up waits for the refresh: never longer than this, whatever the network does. */
const TIMEOUT_MS = 8_000;

/** The gateway's session routes: the HttpOnly refresh cookie goes along by itself (same origin). */
export function cookieSessionApi(): SessionApi {
  const post = (path: string) =>
    fetch(path, {
      method: 'POST',
      headers: COOKIE_SESSION_HEADERS,
      credentials: 'same-origin',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  return {
    async refresh() {
      let response: Response;
      try {
        response = await post('/auth/refresh');
      } catch {
        return { kind: 'unavailable' };
      }
      const body = (await response.json().catch(() => ({}))) as RefreshAnswer;
      if (response.status === 401)
        return body.errors?.[0]?.extensions?.reason === 'withdrawn'
          ? { kind: 'refused', accountClosed: true }
          : { kind: 'refused' };
      const fresh = body.data?.refreshToken;
      if (!response.ok || !fresh) return { kind: 'unavailable' };
      return {
        kind: 'refreshed',
        session: {
          accessToken: fresh.accessToken,
          accessTokenExpiresAt: fresh.accessTokenExpiresAt,
          member: { id: fresh.member.id, nickname: fresh.member.nickname },
        },
      };
    },
    async logOut() {
      const response = await post('/auth/log-out');
      // A 503 (the member service away) means the session was not ended and the cookie is kept:
      // not done, so the store keeps the log-out pending and sends it again.
      if (!response.ok)
        throw new LogOutNotDone(response.status, retryAfterSecondsOf(response.headers.get('retry-after')));
    },
  };
}
