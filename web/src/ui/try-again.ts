import type { TFunction } from 'i18next';
import { errorCode, graphQLErrorsOf } from '../graphql/graphql-errors';

/**
 * A refusal that says to come back later: too many requests of this visitor (RATE_LIMITED), or
 * the service too busy or briefly away (SERVICE_BUSY, SERVICE_UNAVAILABLE, SUBGRAPH_UNAVAILABLE,
 * or any error carrying `retryAfterSeconds`) — and, when the server said, after how many seconds.
 */
export interface TryAgain {
  reason: 'too-many' | 'busy';
  seconds?: number;
}

const BUSY = new Set(['SERVICE_BUSY', 'SERVICE_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE']);

export function tryAgainOf(error: unknown): TryAgain | undefined {
  for (const typed of graphQLErrorsOf(error)) {
    const code = errorCode(typed) ?? '';
    const raw = typed.extensions?.retryAfterSeconds;
    const seconds = typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? Math.ceil(raw) : undefined;
    const reason = code === 'RATE_LIMITED' ? 'too-many' : BUSY.has(code) || seconds ? 'busy' : undefined;
    if (reason) return seconds === undefined ? { reason } : { reason, seconds };
  }
  return undefined;
}

/**
 * "요청이 너무 많아요. 약 1시간 후에 다시 시도해 주세요." — in the language of `t`. `over`: the wait has
 * passed (a countdown beside the button ended), so the message says the member may try again now.
 */
export function tryAgainMessage(wait: TryAgain, t: TFunction, { over = false } = {}): string {
  if (over) return t(wait.reason === 'too-many' ? 'state.tooManyOver' : 'state.busyOver');
  if (wait.seconds === undefined)
    return t(wait.reason === 'too-many' ? 'state.tooManySoon' : 'state.busySoon');
  return t(wait.reason === 'too-many' ? 'state.tooMany' : 'state.busy', { seconds: wait.seconds });
}

/** What to say about an error that says when to try again; undefined for any other error. */
export function tryAgainMessageOf(error: unknown, t: TFunction): string | undefined {
  const wait = tryAgainOf(error);
  return wait && tryAgainMessage(wait, t);
}
