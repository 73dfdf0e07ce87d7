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
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import type { GraphQLFormattedError } from 'graphql';
import { COOKIE_SESSION_HEADERS } from '../session/cookie-session-api';
import type { SessionStore } from '../session/session-store';
import { liveLink } from './live-link';
import { LiveSocket } from './live-socket';

export const GRAPHQL_PATH = '/graphql';

/**
 * One Apollo Client per sign-in (a new one on sign-in and sign-out, so no cached data
 * crosses sessions). Queries and mutations go over HTTP with the access token, refreshed shortly
 * before it expires; a call refused because the token no longer holds is retried once after a
 * refresh (which ends the session, and says so, if the refresh cookie is refused too). Every call
 * asks for a cookie session (`X-Gaji-Session: cookie`): sign-up and log-in then leave the refresh
 * token in an HttpOnly cookie instead of the answer. Subscriptions go over graphql-ws.
 */
export function createApolloClient(
  sessions: SessionStore,
  websocketUrl: string,
): { client: ApolloClient<object>; live: LiveSocket; dispose(): void } {
  const live = new LiveSocket(websocketUrl, () => sessions.accessToken());

  const withToken = setContext(async (_, { headers }: { headers?: Record<string, string> }) => {
    const token = await sessions.accessToken();
    return {
      headers: {
        ...headers,
        ...COOKIE_SESSION_HEADERS,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    };
  });

  const refreshWhenRefused = onError(({ graphQLErrors, networkError, operation, forward }) => {
    const body = (networkError as { result?: { errors?: GraphQLFormattedError[] } } | null)?.result;
    const errors = [...(graphQLErrors ?? []), ...(body?.errors ?? [])];
    const unauthenticated = errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
    if (!unauthenticated || !sessions.current() || operation.getContext().retriedAfterRefresh)
      return undefined;
    operation.setContext({ retriedAfterRefresh: true });
    return new Observable<FetchResult>((observer) => {
      let inner: { unsubscribe(): void } | undefined;
      sessions.refresh().then(
        (session) => {
          if (!session) return observer.error(new Error('The session has ended.'));
          inner = forward(operation).subscribe(observer);
        },
        (error: unknown) => observer.error(error),
      );
      return () => inner?.unsubscribe();
    });
  });

  const http = ApolloLink.from([refreshWhenRefused, withToken, new HttpLink({ uri: GRAPHQL_PATH })]);
  const link = split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    liveLink(live),
    http,
  );

  const client = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { products: relayStylePagination(['filter', 'first']) } },
        // My Page's lists: one list per field, whatever `first` it was asked with; "더 보기" appends
        // the page after a cursor, a reload (no `after`) replaces the list with what it answered.
        MyPage: {
          keyFields: ['memberId'],
          fields: {
            productsConnection: relayStylePagination(),
            purchasesConnection: relayStylePagination(),
            salesConnection: relayStylePagination(),
          },
        },
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
