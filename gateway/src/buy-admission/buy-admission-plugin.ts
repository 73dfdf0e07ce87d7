import type { ApolloServerPlugin } from '@apollo/server';
import type { Admission, Leave } from '@gaji/platform/admission';
import { GraphQLError, GraphQLString, getVariableValues, valueFromAST, type FieldNode } from 'graphql';
import { BUSY_RETRY_AFTER_SECONDS } from '../http/subgraph-unavailable.js';
import { rootFields } from '../limits/root-fields.js';
import type { GatewayContext } from '../rate-limits/rate-limits-plugin.js';

/** Idempotency-Keys of buys this gateway sent on, remembered so that their retries pass. */
const REMEMBERED_KEYS = 10_000;

/**
 * The buy admission at the gateway (docs/decisions/0013): purchase's rule (the platform's
 * Admission, learned from the buys' latency as the gateway sees it) applied before the buy is
 * planned or sent. A refusal made by purchase cost a whole gateway request, a subgraph call and
 * purchase's own GraphQL execution — at 4× overload more CPU than the buys it made room for;
 * here it costs the parse (cached per document) and this check.
 *
 * A buy whose Idempotency-Key (header or argument) this gateway already sent on is never refused
 * here: it may be the retry of a buy already decided, which purchase answers with its outcome
 * (and refuses, if still undecided, by its own admission). A first attempt under a key cannot
 * have been decided, so refusing it is safe; purchase's admission stays behind this one for
 * buys sent by other replicas.
 */
export function buyAdmissionPlugin(admission: Admission): ApolloServerPlugin<GatewayContext> {
  const sentKeys = new Set<string>();
  const remember = (key: string) => {
    sentKeys.add(key);
    if (sentKeys.size > REMEMBERED_KEYS) sentKeys.delete(sentKeys.values().next().value!);
  };
  return {
    async requestDidStart() {
      let leave: Leave | null = null;
      let answered = false;
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (operation?.operation !== 'mutation') return;
          const buy = rootFields(document, operation).find((field) => field.name.value === 'buy');
          if (!buy) return;
          const key =
            request.http?.headers.get('idempotency-key') ??
            keyArgument(
              buy,
              () =>
                getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {})
                  .coerced ?? {},
            );
          if (key && sentKeys.has(key)) return;
          const place = await admission.enter();
          if (!place) throw serviceBusy();
          // Another plugin may have refused the request while this one waited: the place goes back.
          if (answered) return place();
          leave = place;
          if (key) remember(key);
        },
        async willSendResponse() {
          answered = true;
          leave?.();
        },
      };
    },
  };
}

function keyArgument(field: FieldNode, variables: () => Record<string, unknown>): string | undefined {
  const value = field.arguments?.find((argument) => argument.name.value === 'idempotencyKey')?.value;
  const raw = value ? valueFromAST(value, GraphQLString, variables()) : undefined;
  return typeof raw === 'string' ? raw : undefined;
}

/** As purchase's own refusal reads: nothing was done, try again shortly (HTTP 200, as that one). */
function serviceBusy(): GraphQLError {
  return new GraphQLError('Too many buys right now; nothing was done. Please try again shortly.', {
    extensions: {
      code: 'SERVICE_BUSY',
      retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
      http: { status: 200 },
    },
  });
}
