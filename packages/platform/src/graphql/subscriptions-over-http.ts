import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * A subscription is served over WebSocket (graphql-ws) by the gateway, on the same `/graphql`
 * path; over HTTP neither the gateway (Apollo's gateway executes no subscription) nor a subgraph
 * (whose Subscription fields exist for composition) can answer one. Refused once Apollo knows the
 * operation and before anything executes, as the client's mistake: a 400 that says where to go,
 * not the 500 and error log of a failed execution.
 */
export function subscriptionsOverHttpPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === 'subscription') throw subscriptionOverHttp();
        },
      };
    },
  };
}

export function subscriptionOverHttp(): GraphQLError {
  return new GraphQLError(
    'Subscriptions are not served over HTTP: open a graphql-ws WebSocket to the gateway at /graphql.',
    { extensions: { code: 'SUBSCRIPTION_OVER_HTTP', http: { status: 400 } } },
  );
}
