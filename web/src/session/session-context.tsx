import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Session, SessionState } from './session';
import type { SessionStore } from './session-store';

const SessionContext = createContext<SessionStore | null>(null);

export function SessionProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}

export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore outside <SessionProvider>');
  return store;
}

/** Signed in (with the session) or out (and whether the server ended it); re-renders on change. */
export function useSessionState(): SessionState {
  const store = useSessionStore();
  return useSyncExternalStore(
    (onChange) => store.subscribe(onChange),
    () => store.snapshot(),
  );
}

/** The signed-in member's session, or null. */
export function useSession(): Session | null {
  const state = useSessionState();
  return state.status === 'signed-in' ? state.session : null;
}
