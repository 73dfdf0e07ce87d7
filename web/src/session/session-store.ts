import { isSession, type Session } from './session';

const STORAGE_KEY = 'gaji.session';
/** Refresh this long before the access token expires, so no call goes out with a dying token. */
const REFRESH_MARGIN_MS = 30_000;

type Listener = (session: Session | null) => void;
export type RefreshSession = (refreshToken: string) => Promise<Session>;

/**
 * The one place that holds the tokens: in memory, mirrored to sessionStorage so a reload keeps the
 * member signed in (and closing the tab ends it). Refreshing is single-flight: refresh tokens are
 * single use, so two concurrent refreshes would end the session.
 */
export class SessionStore {
  private session: Session | null;
  private refreshing: Promise<Session | null> | undefined;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: Storage,
    private readonly refreshSession: RefreshSession,
  ) {
    this.session = readStored(storage);
  }

  current(): Session | null {
    return this.session;
  }

  set(session: Session | null): void {
    this.session = session;
    if (session) this.storage.setItem(STORAGE_KEY, JSON.stringify(session));
    else this.storage.removeItem(STORAGE_KEY);
    for (const listener of this.listeners) listener(session);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The access token to send now: refreshed first when it expires within the margin. */
  async accessToken(): Promise<string | undefined> {
    const session = this.session;
    if (!session) return undefined;
    if (Date.parse(session.accessTokenExpiresAt) - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
    return (await this.refresh())?.accessToken;
  }

  /** Trades the refresh token for a new pair; a refused refresh signs the member out. */
  refresh(): Promise<Session | null> {
    const session = this.session;
    if (!session) return Promise.resolve(null);
    this.refreshing ??= this.refreshSession(session.refreshToken)
      .then((fresh) => {
        // Signed out (or in as someone else) meanwhile: that wins.
        if (this.session?.refreshToken === session.refreshToken) this.set(fresh);
        return this.session;
      })
      .catch(() => {
        if (this.session?.refreshToken === session.refreshToken) this.set(null);
        return null;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }
}

function readStored(storage: Storage): Session | null {
  try {
    const stored: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null');
    return isSession(stored) ? stored : null;
  } catch {
    return null;
  }
}
