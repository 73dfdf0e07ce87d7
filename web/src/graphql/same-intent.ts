import { errorCode, graphQLErrorsOf } from './graphql-errors';

/**
 * Whether a failed mutation leaves its outcome unknown: no answer at all (the connection dropped),
 * or one that does not say what happened (the gateway lost the subgraph mid-request, a store was
 * away). The server may have acted: only the same intent, under the same Idempotency-Key, may be
 * sent again.
 */
export function outcomeUnknown(error: unknown): boolean {
  const first = graphQLErrorsOf(error)[0];
  if (!first) return true;
  const code = errorCode(first);
  return code === 'SUBGRAPH_UNAVAILABLE' || code === 'SERVICE_UNAVAILABLE';
}

/** Pauses before re-sending an intent whose outcome is unknown (then the member decides). */
const RETRY_DELAYS_MS = [500, 1_500];

/**
 * Sends one intent (the caller keeps its Idempotency-Key the same on every call), again after a
 * pause while its outcome is unknown; any answer that says what happened, even an error, ends it.
 */
export async function sendUntilAnswered<T>(send: () => Promise<T>): Promise<T> {
  for (const delay of RETRY_DELAYS_MS) {
    try {
      return await send();
    } catch (error) {
      if (!outcomeUnknown(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  return send();
}
