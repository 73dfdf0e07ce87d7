import { LogOutNotDone, type RefreshOutcome, type SessionApi } from './cookie-session-api';
import { PendingLogOut } from './pending-log-out';
import { RefreshTurns } from './refresh-turns';
import { fields, isSession, type Session, type SessionState } from './session';
import { SIGNED_IN_MARK, newSignIn, readMark, writeMark } from './signed-in-mark';

/** Refresh this long before the access token expires, so no call goes out with a dying token. */
const REFRESH_MARGIN_MS = 30_000;
const REFRESH_LOCK = 'gaji-session-refresh';
/** A start-up refresh that found no answer is asked again after this, doubling up to the longest. */
const FIRST_RESTORE_RETRY_MS = 1_000;
const LONGEST_RESTORE_RETRY_MS = 60_000;
/** Without Web Locks, how long a tab following another's log-in waits for its session to be handed over. */
const HANDOVER_TIMEOUT_MS = 2_000;

type Listener = (state: SessionState) => void;
/** The part of the Web Locks API used here; absent in old browsers and on plain-http hosts. */
export type Locks = { request<T>(name: string, callback: () => Promise<T>): Promise<T> };
/** Where, without Web Locks, a log-in hands its session to the browser's other tabs (in memory, same origin). */
export type SessionChannel = Pick<BroadcastChannel, 'postMessage' | 'addEventListener'>;
type HandedOver = { signIn: string; session: Session };

/**
 * The one place that knows whether the member is signed in. The access token lives in memory
 * only; on start-up (a reload, a new tab) `restore()` trades the refresh cookie for a fresh one.
 * Refreshes are single-flight within the tab and serialized across tabs with a Web Lock: refresh
 * tokens are single use, and two tabs presenting the same one would end the session. Without Web
 * Locks, tabs following another tab's log-in take its session over a channel (`takeHandover`),
 * and the tabs on one sign-in take turns with its cookie over that channel (`RefreshTurns`).
 */
export class SessionStore {
  private state: SessionState = { status: 'signed-out', ended: false };
  private refreshing: Promise<RefreshOutcome['kind'] | 'superseded'> | undefined;
  /** Bumped on every sign-in and sign-out, so a refresh that started before one does not undo it. */
  private generation = 0;
  /** The sign-in (as named in the mark) whose cookie this tab's session comes from. */
  private signIn: string | undefined;
  /** This tab holds the lock for a sign-in: a refresh would wait for it for ever (Web Locks do not nest). */
  private signingIn = false;
  /** Taking another tab's new sign-in: until then the token in memory is the old one's, and not sent. */
  private following: Promise<void> | undefined;
  /** Without Web Locks: the last session another tab's log-in handed over, and a follow waiting for one. */
  private handedOver: HandedOver | undefined;
  private awaitingHandover: { signIn: string; take: (session: Session | undefined) => void } | undefined;
  private readonly listeners = new Set<Listener>();
  /** Without Web Locks: the tabs on one sign-in take turns with its refresh cookie over the channel. */
  private readonly turns: RefreshTurns | undefined;
  /** A log-out the gateway has not confirmed, kept and sent again until it is. */
  readonly pendingLogOut: PendingLogOut;

  constructor(
    private readonly api: SessionApi,
    private readonly marks: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
    private readonly locks: Locks | undefined,
    private readonly channel?: SessionChannel,
  ) {
    if (!locks && channel) this.turns = new RefreshTurns(channel, () => api.refresh());
    this.pendingLogOut = new PendingLogOut(marks, () => this.sendPendingLogOut({ onlyWhenDue: true }));
  }

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

  /**
   * Sign-up or log-in: `work` asks the gateway, which sets the cookie. It runs under the lock the
   * refreshes take, so another tab's refresh sent with the old cookie cannot be answered after it
   * and set the old session's rotated cookie over the new one.
   */
  signInWith(work: () => Promise<Session | null>): Promise<Session | null> {
    return this.exclusively(async () => {
      this.signingIn = true;
      try {
        const session = await work();
        if (session) this.signedIn(session);
        return session;
      } finally {
        this.signingIn = false;
      }
    });
  }

  /** The gateway has set the cookie of a new sign-in. */
  signedIn(session: Session): void {
    this.generation++;
    this.signIn = newSignIn();
    this.pendingLogOut.forget(); // the new sign-in's cookie replaced the one it was to end
    this.mark('signed-in');
    this.setState({ status: 'signed-in', session, signIn: this.signIn });
    if (!this.locks) this.channel?.postMessage({ signIn: this.signIn, session } satisfies HandedOver);
  }

  /** Start-up: a fresh access token from the refresh cookie, if this browser may have one. */
  async restore(): Promise<void> {
    void this.sendPendingLogOut(); // not waited for: the page need not wait on a gateway still away
    const mark = readMark(this.marks.getItem(SIGNED_IN_MARK));
    if (mark?.state !== 'signed-in') return;
    this.signIn = mark.signIn;
    if ((await this.settleRefresh()) === 'unavailable')
      this.restoreLater(this.generation, FIRST_RESTORE_RETRY_MS);
  }

  /**
   * The start-up refresh found no answer (offline, a gateway restarting, a timeout under load): the
   * page shows the member signed out meanwhile, but the cookie may well hold, and "no answer" is not
   * "signed out". Asked again, with a back-off doubling from 1 s up to a minute, until it answers
   * either way — unless the tab signs in or out, or another tab's sign-in or log-out is heard,
   * meanwhile (`generation`), or the mark no longer says a cookie may exist.
   */
  private restoreLater(generation: number, delayMs: number): void {
    setTimeout(() => {
      if (generation !== this.generation || this.state.status === 'signed-in') return;
      if (readMark(this.marks.getItem(SIGNED_IN_MARK))?.state !== 'signed-in') return;
      void this.settleRefresh().then((outcome) => {
        if (outcome === 'unavailable')
          this.restoreLater(generation, Math.min(delayMs * 2, LONGEST_RESTORE_RETRY_MS));
      });
    }, delayMs);
  }

  /** The access token to send now: refreshed first when it expires within the margin. */
  async accessToken(): Promise<string | undefined> {
    // Not once: a follow can be superseded by a later sign-in heard before its refresh returned,
    // and settle while the state is still the old session's; the later follow is then under way.
    while (this.following) {
      if (this.signingIn) return undefined; // a log-in needs no token, and would wait on its own lock
      await this.following;
    }
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
    if (this.signingIn) return Promise.resolve('unavailable'); // a log-in's call needs no fresh token
    const generation = this.generation;
    const signIn = this.signIn ?? '';
    this.refreshing ??= this.exclusively(() => (this.turns ? this.turns.take(signIn) : this.api.refresh()))
      .catch((): RefreshOutcome => ({ kind: 'unavailable' }))
      .then((outcome) => {
        if (generation !== this.generation) return 'superseded' as const; // signed in or out meanwhile: that wins
        if (outcome.kind === 'refreshed') {
          this.setState({ status: 'signed-in', session: outcome.session, signIn: this.signIn ?? '' });
        } else if (outcome.kind === 'refused') {
          this.end(outcome.accountClosed);
        }
        return outcome.kind;
      })
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * Ends the session on the server (the cookie is cleared) and here, in every tab on this sign-in.
   * If another tab has signed in meanwhile, the cookie is that sign-in's: only this tab signs out.
   */
  async logOut(): Promise<void> {
    const signIn = this.signIn;
    this.generation++;
    if (!this.signedInElsewhere(signIn)) this.mark('signed-out');
    this.setState({ status: 'signed-out', ended: false });
    await this.giveBackCookie(signIn);
  }

  /**
   * The gateway keeps refusing the session that the refresh cookie keeps renewing (TokenRenewals):
   * its word is taken. The session ends as when the cookie is refused, and the server is asked to
   * forget the cookie, which nothing here would present again — unless it is another sign-in's.
   */
  async endRefused(): Promise<void> {
    if (!this.current()) return;
    const signIn = this.signIn;
    this.end();
    await this.giveBackCookie(signIn);
  }

  /**
   * Under the lock sign-ins take, and checked there: a log-out sent after another tab's log-in
   * would carry the new cookie and end the new session.
   */
  private giveBackCookie(signIn: string | undefined): Promise<void> {
    return this.exclusively(async () => {
      if (this.signedInElsewhere(signIn)) return;
      await this.sendLogOut();
    }).catch(() => undefined);
  }

  /**
   * Sends a log-out not yet confirmed: at start-up, when the browser is back online, and by the
   * record's own timer (`onlyWhenDue`: not while another tab's attempt is in flight or waiting for
   * its Retry-After). Not once someone has signed in since: the cookie is then theirs.
   */
  async sendPendingLogOut({ onlyWhenDue = false } = {}): Promise<void> {
    if (this.pendingLogOut.retryAt() === undefined) return;
    await this.exclusively(async () => {
      if (this.pendingLogOut.retryAt() === undefined) return; // another tab sent it meanwhile
      if (onlyWhenDue && !this.pendingLogOut.isDue()) return this.pendingLogOut.schedule();
      if (readMark(this.marks.getItem(SIGNED_IN_MARK))?.state === 'signed-in')
        return this.pendingLogOut.forget();
      await this.sendLogOut();
    }).catch(() => undefined);
  }

  /**
   * On record before it is sent, not after a failure: a page closed or reloaded before the answer
   * came leaves it to the next start, as one that found no connection does. Not done (no answer,
   * or the gateway could not end the session), it is sent again after a while.
   */
  private async sendLogOut(): Promise<void> {
    this.pendingLogOut.claim();
    try {
      await this.api.logOut();
    } catch (error) {
      this.pendingLogOut.failed(error instanceof LogOutNotDone ? error.retryAfterSeconds : undefined);
      return;
    }
    this.pendingLogOut.forget();
  }

  /** The mark names a sign-in other than `signIn`: the cookie is no longer the one this tab had. */
  private signedInElsewhere(signIn: string | undefined): boolean {
    try {
      const now = readMark(this.marks.getItem(SIGNED_IN_MARK));
      return now?.state === 'signed-in' && now.signIn !== (signIn ?? '');
    } catch {
      return false;
    }
  }

  /** The "please log in again" notice has been seen. */
  acknowledgeEnded(): void {
    if (this.state.status === 'signed-out' && this.state.ended)
      this.setState({ status: 'signed-out', ended: false });
  }

  /** Follows sign-in and sign-out in the browser's other tabs (the mark is in localStorage). */
  followOtherTabs(target: Pick<Window, 'addEventListener'>): void {
    this.pendingLogOut.follow(target);
    if (!this.locks)
      this.channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
        this.turns?.hear(event.data);
        // Ignored unless whole (an older build's, mid-deploy): taken, a malformed one would fail
        // the follow and every call waiting on it; ignored, the tab falls back as when none comes.
        const { signIn, session } = fields(event.data);
        if (typeof signIn !== 'string' || !isSession(session)) return;
        this.handedOver = { signIn, session };
        if (this.awaitingHandover?.signIn === signIn) this.awaitingHandover.take(session);
      });
    target.addEventListener('storage', (event) => {
      if (event.key !== SIGNED_IN_MARK) return;
      const mark = readMark(event.newValue);
      if (mark?.state === 'signed-in') return this.followSignIn(mark.signIn);
      if (mark?.state === 'ended' && mark.signIn !== this.signIn) return this.keepMark(); // a sign-in this tab has left
      if (this.state.status === 'signed-in') {
        this.generation++;
        this.setState(
          mark?.state === 'ended'
            ? { status: 'signed-out', ended: true, ...(mark.accountClosed && { accountClosed: true }) }
            : { status: 'signed-out', ended: false },
        );
      }
    });
  }

  /**
   * Another tab signed in: the cookie is now that sign-in's. A refresh this tab sent with the old
   * cookie no longer speaks for it (refused, it would end a session that is not this one's), so it
   * is superseded; once it has settled, the tab takes the new sign-in's session from the cookie.
   * A signed-in tab's token is the old sign-in's — perhaps another member's — and is not sent
   * again meanwhile: the calls wait for the new one (`accessToken`). If the cookie cannot be asked,
   * the tab signs out quietly rather than go on as the old session; the mark, the new one's, stays.
   */
  private followSignIn(signIn: string): void {
    if (signIn === this.signIn && this.state.status === 'signed-in') return;
    this.signIn = signIn;
    const generation = ++this.generation;
    if (!this.locks) return this.takeHandover(signIn, generation);
    const settled = this.refreshing ?? Promise.resolve();
    if (this.state.status === 'signed-out') {
      void settled.then(() => this.restore());
      return;
    }
    const following = settled
      .then(() => this.settleRefresh())
      .then((outcome) => {
        if (generation === this.generation && outcome === 'unavailable') {
          this.generation++;
          this.setState({ status: 'signed-out', ended: false });
        }
      })
      .finally(() => {
        if (this.following === following) this.following = undefined;
      });
    this.following = following;
  }

  /**
   * Without Web Locks the browser's tabs cannot take turns with the cookie, and two of them
   * following one log-in would present its new refresh token together: the member service takes
   * that for a stolen token and revokes the session, ending the log-in they follow. So they never
   * present it: the tab that logged in hands its session over (`signedIn`). Until it arrives the
   * calls wait; if it does not (no channel, that tab gone), the old session is dropped quietly and
   * a reload restores the new one.
   */
  private takeHandover(signIn: string, generation: number): void {
    this.awaitingHandover?.take(undefined);
    const handedOver = new Promise<Session | undefined>((resolve) => {
      if (!this.channel) return resolve(undefined);
      const timer = setTimeout(() => take(undefined), HANDOVER_TIMEOUT_MS);
      const take = (session: Session | undefined) => {
        clearTimeout(timer);
        if (this.awaitingHandover === awaiting) this.awaitingHandover = undefined;
        resolve(session);
      };
      const awaiting = { signIn, take };
      this.awaitingHandover = awaiting;
      if (this.handedOver?.signIn === signIn) take(this.handedOver.session);
    });
    const following = handedOver
      .then((session) => {
        if (generation !== this.generation) return; // signed in or out meanwhile: that wins
        if (session) this.setState({ status: 'signed-in', session: refreshSooner(session), signIn });
        else if (this.state.status === 'signed-in') {
          this.generation++;
          this.setState({ status: 'signed-out', ended: false });
        }
      })
      .finally(() => {
        if (this.following === following) this.following = undefined;
      });
    this.following = following;
  }

  /**
   * A late tab, its view of the mark stale, ended a sign-in this tab has left over the newer one:
   * written back, so that a reload or a new tab still restores this tab's session.
   */
  private keepMark(): void {
    if (this.state.status === 'signed-in' && this.signIn !== undefined) this.mark('signed-in');
  }

  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    return this.locks ? this.locks.request(REFRESH_LOCK, work) : work();
  }

  /**
   * The server ended the session without the member asking: here and in every tab on the same
   * sign-in, say so — that the account is closed when the member has withdrawn. The mark is left
   * alone if another tab has signed in since.
   */
  private end(accountClosed?: true): void {
    this.generation++;
    this.mark('ended', accountClosed);
    this.setState({ status: 'signed-out', ended: true, ...(accountClosed && { accountClosed }) });
  }

  private mark(state: 'signed-in' | 'signed-out' | 'ended', accountClosed?: true): void {
    const signIn = this.signIn ?? '';
    try {
      if (state === 'signed-in') {
        this.marks.setItem(SIGNED_IN_MARK, writeMark({ state, signIn }));
      } else if (state === 'ended') {
        const now = readMark(this.marks.getItem(SIGNED_IN_MARK));
        if (now?.state === 'signed-in' && now.signIn === signIn)
          this.marks.setItem(SIGNED_IN_MARK, writeMark({ state, signIn, accountClosed }));
      } else {
        this.marks.removeItem(SIGNED_IN_MARK);
      }
    } catch {
      // no storage (private mode): this tab still works; others will not follow
    }
  }

  private setState(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener(state);
  }
}

/**
 * The tabs that took one log-in's session hold one token, which would expire in all of them at
 * once; without a lock their refreshes would then meet. Each renews at a time of its own instead,
 * somewhere in the last third of the token's life.
 */
function refreshSooner(session: Session): Session {
  const expiresAt = Date.parse(session.accessTokenExpiresAt);
  const sooner = (Math.random() * (expiresAt - Date.now())) / 3;
  return { ...session, accessTokenExpiresAt: new Date(expiresAt - Math.max(0, sooner)).toISOString() };
}
