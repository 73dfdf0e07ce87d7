import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * Automatic persisted queries are off (`persistedQueries: false` on every Apollo Server of ours):
 * nothing of ours sends them — the web client posts its documents whole, and the gateway's
 * response cache keys on the document's text — and with them on, anyone could park documents in
 * each server's memory. Apollo then answers a request that carries `extensions.persistedQuery`
 * with PERSISTED_QUERY_NOT_SUPPORTED, but as HTTP 200; this makes it the 400 of a request we do
 * not serve. (Apollo Client's persisted-query link reads the code from a 400's body as well, and
 * falls back to sending the whole document.)
 */
export function persistedQueriesRefusedPlugin<C extends BaseContext>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const errors = response.body.singleResult.errors;
          if (errors?.some((error) => error.extensions?.code === 'PERSISTED_QUERY_NOT_SUPPORTED'))
            response.http.status = 400;
        },
      };
    },
  };
}
