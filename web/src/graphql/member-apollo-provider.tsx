import { ApolloProvider } from '@apollo/client';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useSessionState, useSessionStore } from '../session/session-context';
import { createApolloClient } from './create-apollo-client';
import { LiveSocketProvider } from './live-socket-context';
import { websocketUrl } from './live-socket';

/**
 * A fresh Apollo Client (cache and live socket) for each sign-in, here or in another tab, and for
 * signed-out visitors: nothing cached for one member is ever shown to the next, and no socket
 * opened with an old session's token stays open after another sign-in (a refresh keeps them).
 */
export function MemberApolloProvider({ children }: { children: ReactNode }) {
  const sessions = useSessionStore();
  const state = useSessionState();
  const signIn = state.status === 'signed-in' ? state.signIn : null;
  const bundle = useMemo(
    () => createApolloClient(sessions, websocketUrl(window.location)),
    [sessions, signIn],
  );
  const current = useRef(bundle);
  current.current = bundle;
  // Dispose a client once another has replaced it (not on StrictMode's rehearsal unmount).
  useEffect(
    () => () => {
      setTimeout(() => {
        if (current.current !== bundle) bundle.dispose();
      });
    },
    [bundle],
  );
  return (
    <ApolloProvider client={bundle.client}>
      <LiveSocketProvider socket={bundle.live}>{children}</LiveSocketProvider>
    </ApolloProvider>
  );
}
