import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '@gaji/platform/graphql';
import { getVariableValues, GraphQLString, valueFromAST, type FieldNode } from 'graphql';
import { rootFields } from '../limits/root-fields.js';
import { RateLimited, rateLimitedError } from './rate-limited.error.js';
import type { RateLimits } from './rate-limits.js';

/** The gateway's request context: the platform's, plus where the request came from. */
export interface GatewayContext extends RequestContext {
  clientAddress: string;
}

/**
 * Applies the per-address sign-up limit to each `signUp`, and the log-in back-off to each `logIn` — counted per root field, so aliasing many
 * log-ins into one document buys nothing. A log-in that answered with a session is reported back
 * as a success. Runs once the operation is parsed and validated, before any subgraph is called.
 */
export function rateLimitsPlugin(limits: RateLimits): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const logIns: { responseKey: string; email: string }[] = [];
      return {
        async didResolveOperation({ document, operation, request, contextValue, schema }) {
          if (!operation) return;
          const address = contextValue.clientAddress;
          // Variables as execution will see them, defaults filled in (none if they would not coerce:
          // then the operation fails before any log-in runs).
          const coercedVariables = () =>
            getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}).coerced ??
            {};
          try {
            if (operation.operation !== 'mutation') return;
            for (const field of rootFields(document, operation)) {
              if (field.name.value === 'signUp') await limits.admitSignUp(address);
              if (field.name.value === 'logIn') {
                const email = stringArgument(field, 'email', coercedVariables());
                await limits.beginLogIn(email, address);
                logIns.push({ responseKey: field.alias?.value ?? field.name.value, email });
              }
            }
          } catch (error) {
            throw error instanceof RateLimited ? rateLimitedError(error) : error;
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (logIns.length === 0 || response.body.kind !== 'single') return;
          const data = response.body.singleResult.data;
          for (const { responseKey, email } of logIns)
            if (data?.[responseKey]) await limits.logInSucceeded(email, contextValue.clientAddress);
        },
      };
    },
  };
}

/**
 * The string an argument will have when the field runs, coerced as execution coerces it: a literal,
 * a variable sent, or the operation's default for a variable not sent. Reading the sent variables
 * alone let a default name the victim while the guesses counted against an empty key.
 */
function stringArgument(field: FieldNode, name: string, variables: Record<string, unknown>): string {
  const value = field.arguments?.find((argument) => argument.name.value === name)?.value;
  const raw = value ? valueFromAST(value, GraphQLString, variables) : undefined;
  return typeof raw === 'string' ? raw : '';
}
