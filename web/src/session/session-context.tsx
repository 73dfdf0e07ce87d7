import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { Session } from './session';
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

/** The signed-in member's session, or null; re-renders on sign-in, refresh and sign-out. */
export function useSession(): Session | null {
  const store = useSessionStore();
  return useSyncExternalStore(
    (onChange) => store.subscribe(onChange),
    () => store.current(),
  );
}
