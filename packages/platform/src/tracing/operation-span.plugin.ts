import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace } from '@opentelemetry/api';

/**
 * Names the request's server span after the GraphQL operation (`gateway mutation Buy`) once
 * Apollo has resolved it, and records the error code of a failed one.
 */
export function operationSpanPlugin<C extends BaseContext>(service: string): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const span = trace.getActiveSpan();
      if (!span) return {};
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          span.updateName(`${service} ${operation.operation} ${operationName ?? 'anonymous'}`);
          span.setAttribute('graphql.operation.type', operation.operation);
          if (operationName) span.setAttribute('graphql.operation.name', operationName);
        },
        async willSendResponse({ errors }) {
          const code = errors?.[0]?.extensions?.code;
          if (typeof code === 'string') span.setAttribute('graphql.error.code', code);
        },
      };
    },
  };
}
