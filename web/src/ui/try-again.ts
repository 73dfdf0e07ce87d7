import type { TFunction } from 'i18next';
import { errorCode, graphQLErrorsOf } from '../graphql/graphql-errors';

/**
 * A refusal that says to come back later: too many requests of this visitor (RATE_LIMITED), the
 * service shedding load (SERVICE_BUSY, or any other error carrying `retryAfterSeconds`), or a part
 * of it briefly out of order (SERVICE_UNAVAILABLE — a store or the signing keys out of reach, an
 * outage, not load —, SUBGRAPH_UNAVAILABLE) — and, when the server said, after how many seconds.
 */
export interface TryAgain {
  reason: 'too-many' | 'busy' | 'unavailable';
  seconds?: number;
}

const UNAVAILABLE = new Set(['SERVICE_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE']);

const MESSAGES = {
  'too-many': { wait: 'state.tooMany', soon: 'state.tooManySoon', over: 'state.tooManyOver' },
  busy: { wait: 'state.busy', soon: 'state.busySoon', over: 'state.busyOver' },
  unavailable: { wait: 'state.unavailable', soon: 'state.unavailableSoon', over: 'state.unavailableOver' },
} as const;

export function tryAgainOf(error: unknown): TryAgain | undefined {
  for (const typed of graphQLErrorsOf(error)) {
    const code = errorCode(typed) ?? '';
    const raw = typed.extensions?.retryAfterSeconds;
    const seconds = typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? Math.ceil(raw) : undefined;
    const reason =
      code === 'RATE_LIMITED'
        ? 'too-many'
        : UNAVAILABLE.has(code)
          ? 'unavailable'
          : code === 'SERVICE_BUSY' || seconds
            ? 'busy'
            : undefined;
    if (reason) return seconds === undefined ? { reason } : { reason, seconds };
  }
  return undefined;
}

/**
 * "요청이 너무 많아요. 약 1시간 후에 다시 시도해 주세요." — in the language of `t`. `over`: the wait has
 * passed (a countdown beside the button ended), so the message says the member may try again now.
 */
export function tryAgainMessage(wait: TryAgain, t: TFunction, { over = false } = {}): string {
  const messages = MESSAGES[wait.reason];
  if (over) return t(messages.over);
  if (wait.seconds === undefined) return t(messages.soon);
  return t(messages.wait, { seconds: wait.seconds });
}

/** What to say about an error that says when to try again; undefined for any other error. */
export function tryAgainMessageOf(error: unknown, t: TFunction): string | undefined {
  const wait = tryAgainOf(error);
  return wait && tryAgainMessage(wait, t);
}
