import 'pretendard/dist/web/variable/pretendardvariable-dynamic-subset.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { MemberApolloProvider } from './graphql/member-apollo-provider';
import { startI18n } from './i18n/i18n';
import { preloadPage } from './routing/pages';
import { routeOf } from './routing/routes';
import { cookieSessionApi } from './session/cookie-session-api';
import { SessionProvider } from './session/session-context';
import { SessionStore, type Locks } from './session/session-store';

const locks = (navigator as Navigator & { locks?: Locks }).locks;
// Without Web Locks (plain http away from localhost) a log-in hands its session to the other tabs here.
const channel =
  !locks && typeof BroadcastChannel === 'function' ? new BroadcastChannel('gaji-session') : undefined;
const sessions = new SessionStore(cookieSessionApi(), localStorageOrMemory(), locks, channel);
sessions.followOtherTabs(window);
window.addEventListener('online', () => void sessions.sendPendingLogOut());

// The page's chunk, the words and the session (a reload or a new tab trades the refresh cookie
// for an access token) all load at once; the app renders when they are in.
preloadPage(routeOf(window.location.pathname));
await Promise.all([startI18n(), sessions.restore()]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider store={sessions}>
      <MemberApolloProvider>
        <App />
      </MemberApolloProvider>
    </SessionProvider>
  </StrictMode>,
);

/** localStorage, or (where the browser forbids it) a map that lasts as long as the page. */
function localStorageOrMemory(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    return window.localStorage;
  } catch {
    const items = new Map<string, string>();
    return {
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, value),
      removeItem: (key) => void items.delete(key),
    };
  }
}
