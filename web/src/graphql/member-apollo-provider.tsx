import { ApolloProvider } from '@apollo/client';
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useSession, useSessionStore } from '../session/session-context';
import { createApolloClient } from './create-apollo-client';
import { LiveSocketProvider } from './live-socket-context';
import { websocketUrl } from './live-socket';

/**
 * A fresh Apollo Client (cache and live socket) for each member who signs in, and for signed-out
 * visitors: nothing cached for one member is ever shown to the next.
 */
export function MemberApolloProvider({ children }: { children: ReactNode }) {
  const sessions = useSessionStore();
  const memberId = useSession()?.member.id ?? null;
  const bundle = useMemo(
    () => createApolloClient(sessions, websocketUrl(window.location)),
    [sessions, memberId],
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
