import type { RefreshOutcome, SessionApi } from './cookie-session-api';
import type { Session, SessionState } from './session';

/** Refresh this long before the access token expires, so no call goes out with a dying token. */
const REFRESH_MARGIN_MS = 30_000;
/**
 * A non-secret mark, shared by the tabs of this browser, that a session cookie may exist: the page
 * cannot see the HttpOnly cookie itself, and a visitor who never signed in should not cost a
 * refresh call on every page load. Its removal in one tab (a log-out) signs the others out; set to
 * ENDED_MARK (the server ended the session), the others sign out and say so too. Without that, of
 * two tabs revoked together only the one whose refresh ran first told the member: the other heard
 * of the removal before its own refresh was refused, and was signed out without a word.
 */
const SIGNED_IN_MARK = 'gaji.signedIn';
const SIGNED_IN = '1';
const ENDED_MARK = 'ended';
const REFRESH_LOCK = 'gaji-session-refresh';

type Listener = (state: SessionState) => void;
/** The part of the Web Locks API used here; absent in old browsers and on plain-http hosts. */
export type Locks = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };

/**
 * The one place that knows whether the member is signed in. The access token lives in memory
 * only; on start-up (a reload, a new tab) `restore()` trades the refresh cookie for a fresh one.
 * Refreshes are single-flight within the tab and serialized across tabs with a Web Lock: refresh
 * tokens are single use, and two tabs presenting the same one would end the session.
 */
export class SessionStore {
  private state: SessionState = { status: 'signed-out', ended: false };
  private refreshing: Promise<RefreshOutcome['kind'] | 'superseded'> | undefined;
  /** Bumped on every sign-in and sign-out, so a refresh that started before one does not undo it. */
  private generation = 0;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly api: SessionApi,
    private readonly marks: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly locks: Locks | undefined,
  ) {}

  snapshot(): SessionState {
    return this.state;
  }

  current(): Session | null {
    return this.state.status === 'signed-in' ? this.state.session : null;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After sign-up or log-in (the gateway has set the cookie). */
  signedIn(session: Session): void {
    this.generation++;
    this.mark('signed-in');
    this.setState({ status: 'signed-in', session });
  }

  /** Start-up: a fresh access token from the refresh cookie, if this browser may have one. */
  async restore(): Promise<void> {
    if (this.marks.getItem(SIGNED_IN_MARK) !== SIGNED_IN) return;
    await this.refresh();
  }

  /** The access token to send now: refreshed first when it expires within the margin. */
  async accessToken(): Promise<string | undefined> {
    const session = this.current();
    if (!session) return undefined;
    if (Date.parse(session.accessTokenExpiresAt) - Date.now() > REFRESH_MARGIN_MS) return session.accessToken;
    return (await this.refresh())?.accessToken ?? undefined;
  }

  /** A new access token from the refresh cookie (which rotates); a refusal ends the session. */
  async refresh(): Promise<Session | null> {
    await this.settleRefresh();
    return this.current();
  }

  /**
   * The gateway no longer accepts this access token (its live socket closed 4401 or 4403). The
   * refresh cookie decides, as for a refused HTTP call: `ended` — refused, the session is over and
   * the page says so; `renewed` — only the access token was refused (expired, or a clock behind
   * the gateway's) and a new one is in hand; `unknown` — no answer, or signed in or out meanwhile.
   */
  async confirm(): Promise<'ended' | 'renewed' | 'unknown'> {
    if (!this.current()) return 'unknown'; // nothing to confirm: a visitor is never told to log in again
    const outcome = await this.settleRefresh();
    return outcome === 'refused' ? 'ended' : outcome === 'refreshed' ? 'renewed' : 'unknown';
  }

  private settleRefresh(): Promise<RefreshOutcome['kind'] | 'superseded'> {
    const generation = this.generation;
    this.refreshing ??= this.exclusively(() => this.api.refresh())
      .catch((): RefreshOutcome => ({ kind: 'unavailable' }))
      .then((outcome) => {
        if (generation !== this.generation) return 'superseded' as const; // signed in or out meanwhile: that wins
        if (outcome.kind === 'refreshed') {
          this.setState({ status: 'signed-in', session: outcome.session });
        } else if (outcome.kind === 'refused') {
          this.end();
        }
        return outcome.kind;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /** Ends the session on the server (the cookie is cleared) and here, in every tab. */
  async logOut(): Promise<void> {
    this.generation++;
    this.mark('signed-out');
    this.setState({ status: 'signed-out', ended: false });
    await this.api.logOut().catch(() => undefined);
  }

  /**
   * The gateway keeps refusing the session that the refresh cookie keeps renewing (TokenRenewals):
   * its word is taken. The session ends as when the cookie is refused, and the server is asked to
   * forget the cookie, which nothing here would present again.
   */
  async endRefused(): Promise<void> {
    if (!this.current()) return;
    this.end();
    await this.api.logOut().catch(() => undefined);
  }

  /** The "please log in again" notice has been seen. */
  acknowledgeEnded(): void {
    if (this.state.status === 'signed-out' && this.state.ended)
      this.setState({ status: 'signed-out', ended: false });
  }

  /** Follows sign-in and sign-out in the browser's other tabs (the mark is in localStorage). */
  followOtherTabs(target: Pick<Window, 'addEventListener'>): void {
    target.addEventListener('storage', (event) => {
      if (event.key !== SIGNED_IN_MARK) return;
      if (event.newValue === SIGNED_IN && this.state.status === 'signed-out') void this.restore();
      if (event.newValue !== SIGNED_IN && this.state.status === 'signed-in') {
        this.generation++;
        this.setState({ status: 'signed-out', ended: event.newValue === ENDED_MARK });
      }
    });
  }

  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    return this.locks ? this.locks.request(REFRESH_LOCK, work) : work();
  }

  /** The server ended the session without the member asking: here and in every tab, say so. */
  private end(): void {
    this.generation++;
    this.mark('ended');
    this.setState({ status: 'signed-out', ended: true });
  }

  private mark(state: 'signed-in' | 'signed-out' | 'ended'): void {
    try {
      if (state === 'signed-in') this.marks.setItem(SIGNED_IN_MARK, SIGNED_IN);
      else if (state === 'ended') this.marks.setItem(SIGNED_IN_MARK, ENDED_MARK);
      else this.marks.removeItem(SIGNED_IN_MARK);
    } catch {
      // no storage (private mode): this tab still works; others will not follow
    }
  }

  private setState(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}
