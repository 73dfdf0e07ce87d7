import {
  ApolloClient,
  ApolloLink,
  HttpLink,
  InMemoryCache,
  Observable,
  split,
  type FetchResult,
} from '@apollo/client';
import { setContext } from '@apollo/client/link/context';
import { onError } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import type { GraphQLFormattedError } from 'graphql';
import type { SessionStore } from '../session/session-store';
import { LiveSocket } from './live-socket';

export const GRAPHQL_PATH = '/graphql';

/**
 * One Apollo Client per signed-in member (a new one on sign-in and sign-out, so no cached data
 * crosses sessions). Queries and mutations go over HTTP with the access token, refreshed shortly
 * before it expires; a call refused because the token expired is retried once after a refresh.
 * Subscriptions go over graphql-ws.
 */
export function createApolloClient(
  sessions: SessionStore,
  websocketUrl: string,
): { client: ApolloClient<object>; live: LiveSocket; dispose(): void } {
  const live = new LiveSocket(websocketUrl, () => sessions.accessToken());

  const withToken = setContext(async (_, { headers }: { headers?: Record<string, string> }) => {
    const token = await sessions.accessToken();
    return { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });

  const refreshWhenExpired = onError(({ graphQLErrors, networkError, operation, forward }) => {
    const body = (networkError as { result?: { errors?: GraphQLFormattedError[] } } | null)?.result;
    const errors = [...(graphQLErrors ?? []), ...(body?.errors ?? [])];
    const unauthenticated = errors.find((e) => e.extensions?.code === 'UNAUTHENTICATED');
    if (!unauthenticated || !sessions.current()) return undefined;
    if (unauthenticated.extensions?.reason !== 'expired' || operation.getContext().retriedAfterRefresh) {
      if (unauthenticated.extensions?.reason === 'invalid') sessions.set(null);
      return undefined;
    }
    operation.setContext({ retriedAfterRefresh: true });
    return new Observable<FetchResult>((observer) => {
      let inner: { unsubscribe(): void } | undefined;
      sessions.refresh().then(
        (session) => {
          if (!session) return observer.error(new Error('Your session has ended; please log in again.'));
          inner = forward(operation).subscribe(observer);
        },
        (error: unknown) => observer.error(error),
      );
      return () => inner?.unsubscribe();
    });
  });

  const http = ApolloLink.from([refreshWhenExpired, withToken, new HttpLink({ uri: GRAPHQL_PATH })]);
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    new GraphQLWsLink(live.client),
    http,
  );

  const client = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { products: relayStylePagination(['filter', 'first']) } },
        MyPage: { keyFields: ['memberId'] },
      },
    }),
  });
  return {
    client,
    live,
    dispose: () => {
      live.dispose();
      client.stop();
    },
  };
}
