import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';

type Formatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

// Raised by ForwardingDataSource (SubgraphUnreachable) when a subgraph is down or too slow; the
// gateway passes it on as the error's message.
const UNREACHABLE = /subgraph (\w+) unreachable/;

/**
 * A subgraph that is down or too slow is not a bug of ours: the client is told which part is
 * unavailable (SUBGRAPH_UNAVAILABLE, with the subgraph's name) and that retrying makes sense,
 * while the rest of the answer, from the subgraphs that are up, is kept.
 */
export function subgraphUnavailable(next: Formatter, options: { nameService: boolean }): Formatter {
  return (formatted, error) => {
    const original = unwrapResolverError(error) as Error | undefined;
    const match = UNREACHABLE.exec(original?.message ?? formatted.message);
    // In production the name of an internal service is nobody's business but ours (it is logged).
    const serviceName = options.nameService ? match?.[1] : undefined;
    if (match) {
      return {
        message: `${typeof serviceName === 'string' ? `The ${serviceName} service` : 'A part of Gaji Market'} is unavailable right now; please retry shortly.`,
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: {
          code: 'SUBGRAPH_UNAVAILABLE',
          ...(typeof serviceName === 'string' ? { serviceName } : {}),
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
