import { createErrorFormatter } from '@gaji/platform/graphql';
import type { Logger } from '@gaji/platform/logging';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { subgraphUnavailable } from './subgraph-unavailable.js';

/** Apollo's `formatError` signature: the error as formatted so far, and the error itself. */
export type ClientErrorFormatter = (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError;

/**
 * How every error reaches a client of the gateway, over HTTP (Apollo's `formatError`) and over
 * graphql-ws (`formatForClient`) alike: one function, so a socket never tells what HTTP hides.
 * In production no internal service is named, and no error suggests a name ("Did you mean …?"
 * maps the schema for whoever probes it): graphql-ws documents are validated outside Apollo, whose
 * hideSchemaDetailsFromClientErrors strips the same text from HTTP's validation errors.
 */
export function clientErrorFormatter(logger: Logger, production: boolean): ClientErrorFormatter {
  const format = subgraphUnavailable(createErrorFormatter(logger, false), { nameService: !production });
  if (!production) return format;
  return (formatted, error) => {
    const answer = format(formatted, error);
    return { ...answer, message: withoutSuggestions(answer.message) };
  };
}

/** Apollo's own pattern (ApolloServerPluginDisableSuggestions), for errors it never validated. */
const withoutSuggestions = (message: string) => message.replace(/ ?Did you mean(.+?)\?$/, '');

/**
 * Errors of a graphql-ws frame, formatted as Apollo formats an HTTP answer's: anything thrown that
 * is not a GraphQLError (a failed fetch of a query plan) becomes one, coded INTERNAL_SERVER_ERROR
 * unless it says otherwise, then passes `format`. The cursor of a live frame is the gateway's own
 * and is kept, so a client can resume from the frame that failed.
 */
export function formatForClient(
  format: ClientErrorFormatter,
  errors: readonly unknown[],
): GraphQLFormattedError[] {
  return errors.map((error) => {
    const graphqlError =
      error instanceof GraphQLError
        ? error
        : new GraphQLError(error instanceof Error ? error.message : 'Unexpected error', {
            originalError: error instanceof Error ? error : undefined,
          });
    const formatted = graphqlError.toJSON();
    const code = graphqlError.extensions.code ?? 'INTERNAL_SERVER_ERROR';
    const answer = format({ ...formatted, extensions: { ...formatted.extensions, code } }, error);
    const { cursor } = graphqlError.extensions;
    return cursor === undefined ? answer : { ...answer, extensions: { ...answer.extensions, cursor } };
  });
}
