import type { GraphQLFormattedError } from 'graphql';
import { RETRY_AFTER_SECONDS } from '@gaji/platform/graphql';

/** A queue that was full a moment ago drains within a second; purchase's SERVICE_BUSY says the same. */
const BUSY_RETRY_AFTER_SECONDS = 1;

type Formatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** A subgraph that is down or too slow, raised by the data source that called it. */
export class SubgraphUnreachable extends Error {
  override name = 'SubgraphUnreachable';
  constructor(
    readonly subgraph: string,
    reason: string,
  ) {
    super(`subgraph ${subgraph} unreachable: ${reason}`);
  }
}

/**
 * A call that waited too long for a connection to its subgraph and was never sent: nothing was
 * done there, so the client may retry at once — even a buy (SERVICE_BUSY, as the subgraph's own
 * load shedding answers), unlike SUBGRAPH_UNAVAILABLE, whose call may have been received.
 */
export class SubgraphBusy extends SubgraphUnreachable {
  override name = 'SubgraphBusy';
}

/** The SubgraphUnreachable behind an error, however deep Apollo wrapped it (`originalError`, `cause`). */
export function unreachableSubgraphOf(error: unknown): SubgraphUnreachable | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; depth++) {
    if (current instanceof SubgraphUnreachable) return current;
    const { originalError, cause } = current as Error & { originalError?: unknown };
    current = originalError ?? cause;
  }
  return undefined;
}

/**
 * A subgraph that is down or too slow is not a bug of ours: the client is told which part is
 * unavailable (SUBGRAPH_UNAVAILABLE, with the subgraph's name) and that retrying makes sense,
 * while the rest of the answer, from the subgraphs that are up, is kept.
 */
export function subgraphUnavailable(next: Formatter, options: { nameService: boolean }): Formatter {
  return (formatted, error) => {
    const unreachable = unreachableSubgraphOf(error);
    if (unreachable instanceof SubgraphBusy) {
      return {
        message: 'Too many requests right now; nothing was done. Please try again shortly.',
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: 'SERVICE_BUSY', retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
      };
    }
    if (unreachable) {
      // In production the name of an internal service is nobody's business but ours (it is logged).
      const serviceName = options.nameService ? unreachable.subgraph : undefined;
      return {
        message: `${serviceName ? `The ${serviceName} service` : 'A part of Gaji Market'} is unavailable right now; please retry shortly.`,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          code: 'SUBGRAPH_UNAVAILABLE',
          retryAfterSeconds: RETRY_AFTER_SECONDS,
          ...(serviceName ? { serviceName } : {}),
        },
      };
    }
    const answer = next(formatted, error);
    if (options.nameService || !answer.extensions || !('serviceName' in answer.extensions)) return answer;
    // The gateway marks errors passed on from a subgraph with its name; not for clients in production.
    const { serviceName: _internal, ...extensions } = answer.extensions;
    return { ...answer, extensions };
  };
}
