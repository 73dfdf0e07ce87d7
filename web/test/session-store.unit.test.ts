import { describe, expect, it, vi } from 'vitest';
import {
  cookieSessionApi,
  LogOutNotDone,
  retryAfterSecondsOf,
  type RefreshOutcome,
  type SessionApi,
} from '../src/session/cookie-session-api';
import type { Session } from '../src/session/session';
import { SessionStore, type Locks } from '../src/session/session-store';

class MemoryStorage implements Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

const session = (n: number, expiresInMs: number, member = { id: 'm1', nickname: 'Kim' }): Session => ({
  accessToken: `access-${n}`,
  accessTokenExpiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  member,
});

/** The gateway's /auth routes, scripted: each refresh answers the next outcome. */
class ScriptedApi implements SessionApi {
  refreshes = 0;
  loggedOut = 0;
  constructor(private readonly outcomes: RefreshOutcome[]) {}
  async refresh(): Promise<RefreshOutcome> {
    this.refreshes++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return this.outcomes.shift() ?? { kind: 'refused' };
  }
  async logOut(): Promise<void> {
    this.loggedOut++;
  }
}

/** One lock shared by two "tabs": a queue, like navigator.locks for one name. */
class SharedLock implements Locks {
  private tail: Promise<unknown> = Promise.resolve();
  running = 0;
  maxRunning = 0;
  request<T>(_name: string, callback: () => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      this.running++;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      try {
        return await callback();
      } finally {
        this.running--;
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/**
 * The member service behind one browser's refresh cookie: a refresh token works once, and one
 * presented twice revokes its whole session (reuse detection). The cookie is read when a request
 * leaves and set when its answer arrives, as a browser does.
 */
class CookieServer {
  cookie = '';
  refreshes = 0;
  readonly revoked = new Set<string>();
  private readonly used = new Set<string>();
  private issued = 0;

  /** `latency`: how long a refresh is in flight, between the cookie leaving and the new one set. */
  constructor(private readonly latency = 5) {}

  logIn(member = { id: 'm1', nickname: 'Kim' }): Session {
    const family = `family-${++this.issued}`;
    this.cookie = `${family}/0`;
    return session(this.issued, 600_000, member);
  }

  readonly api: SessionApi = {
    refresh: async () => {
      this.refreshes++;
      const presented = this.cookie;
      await new Promise((resolve) => setTimeout(resolve, this.latency));
      const family = presented.split('/')[0]!;
      if (this.used.has(presented)) this.revoked.add(family);
      if (this.revoked.has(family)) return { kind: 'refused' };
      this.used.add(presented);
      this.cookie = `${family}/${++this.issued}`;
      return { kind: 'refreshed', session: session(this.issued, 600_000) };
    },
    logOut: async () => {},
  };
}

type Channel = Pick<BroadcastChannel, 'postMessage' | 'addEventListener'>;

/**
 * The localStorage of one browser: a tab's write is heard by every other tab (a `storage` event).
 * Its tabs share a Web Lock, as on https and localhost, unless made without (plain http, old
 * Safari); `channel: true` gives each a BroadcastChannel to the others.
 */
class Browser {
  readonly items = new Map<string, string>();
  private readonly listeners: [SessionStore, (event: StorageEvent) => void][] = [];
  private readonly channels = new Map<object, (event: MessageEvent) => void>();

  private readonly locks: Locks | undefined;
  private readonly channel: boolean;

  constructor({ locks = true, channel = false } = {}) {
    this.locks = locks ? new SharedLock() : undefined;
    this.channel = channel;
  }

  tab(api: SessionApi): SessionStore {
    const storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> = {
      getItem: (key) => this.items.get(key) ?? null,
      setItem: (key, value) => {
        this.items.set(key, value);
        this.tell(store, key, value);
      },
      removeItem: (key) => {
        this.items.delete(key);
        this.tell(store, key, null);
      },
    };
    const channel: Channel = {
      postMessage: (data: unknown) => {
        for (const [other, listener] of this.channels)
          if (other !== channel) setTimeout(() => listener({ data } as MessageEvent));
      },
      addEventListener: (_type: string, listener: (event: MessageEvent) => void) =>
        void this.channels.set(channel, listener),
    } as Channel;
    const store: SessionStore = new SessionStore(
      api,
      storage,
      this.locks,
      this.channel ? channel : undefined,
    );
    store.followOtherTabs({
      addEventListener: (_type: string, listener: (event: StorageEvent) => void) =>
        void this.listeners.push([store, listener]),
    } as Pick<Window, 'addEventListener'>);
    return store;
  }

  /** A write by a tab not modelled here. */
  hear(key: string, newValue: string): void {
    this.items.set(key, newValue);
    this.tell(undefined, key, newValue);
  }

  /** A message on the tabs' channel from a tab not modelled here (perhaps an older build's). */
  broadcast(data: unknown): void {
    for (const listener of this.channels.values()) setTimeout(() => listener({ data } as MessageEvent));
  }

  private tell(writer: SessionStore | undefined, key: string, newValue: string | null): void {
    for (const [tab, listener] of this.listeners)
      if (tab !== writer) listener({ key, newValue } as StorageEvent);
  }
}

describe('the session store of the web client', () => {
  it('hands out the access token as is while it is far from expiry', async () => {
    const api = new ScriptedApi([]);
    const store = new SessionStore(api, new MemoryStorage(), undefined);
    store.signedIn(session(1, 600_000));
    expect(await store.accessToken()).toBe('access-1');
    expect(api.refreshes).toBe(0);
  });

  it('refreshes shortly before expiry, once for concurrent callers, and keeps the fresh token in memory only', async () => {
    const storage = new MemoryStorage();
    const api = new ScriptedApi([{ kind: 'refreshed', session: session(2, 600_000) }]);
    const store = new SessionStore(api, storage, undefined);
    store.signedIn(session(1, 5_000));
    expect(await Promise.all([store.accessToken(), store.accessToken(), store.accessToken()])).toEqual([
      'access-2',
      'access-2',
      'access-2',
    ]);
    expect(api.refreshes).toBe(1);
    expect([...storage.items.values()].join()).not.toContain('access');
  });

  it('restores the session on start-up (a reload, a new tab) when this browser signed in before', async () => {
    const storage = new MemoryStorage();
    new SessionStore(new ScriptedApi([]), storage, undefined).signedIn(session(1, 600_000));
    const reloaded = new SessionStore(
      new ScriptedApi([{ kind: 'refreshed', session: session(2, 600_000) }]),
      storage,
      undefined,
    );
    expect(reloaded.current()).toBeNull();
    await reloaded.restore();
    expect(reloaded.current()?.accessToken).toBe('access-2');
  });

  it('a start-up refresh that finds no answer (offline, a gateway restarting) is asked again with a back-off until it answers, and the member is signed in without a reload', async () => {
    vi.useFakeTimers();
    try {
      const storage = new MemoryStorage();
      new SessionStore(new ScriptedApi([]), storage, undefined).signedIn(session(1, 600_000));
      const api = new ScriptedApi([
        { kind: 'unavailable' },
        { kind: 'unavailable' },
        { kind: 'unavailable' },
        { kind: 'refreshed', session: session(2, 600_000) },
      ]);
      const reloaded = new SessionStore(api, storage, undefined);
      const restored = reloaded.restore();
      await vi.advanceTimersByTimeAsync(10);
      await restored; // the page renders now, signed out, rather than wait on the gateway
      expect(reloaded.current()).toBeNull();
      expect(api.refreshes).toBe(1);
      await vi.advanceTimersByTimeAsync(1_010); // 1 s, then 2 s, then 4 s
      expect(api.refreshes).toBe(2);
      await vi.advanceTimersByTimeAsync(2_010);
      expect(api.refreshes).toBe(3);
      expect(reloaded.current()).toBeNull();
      await vi.advanceTimersByTimeAsync(4_010);
      expect(api.refreshes).toBe(4);
      expect(reloaded.current()?.accessToken).toBe('access-2');
      await vi.advanceTimersByTimeAsync(600_000);
      expect(api.refreshes).toBe(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops asking again at start-up once the member logs in, or another tab logs out', async () => {
    vi.useFakeTimers();
    try {
      const storage = new MemoryStorage();
      new SessionStore(new ScriptedApi([]), storage, undefined).signedIn(session(1, 600_000));
      const api = new ScriptedApi([{ kind: 'unavailable' }, { kind: 'unavailable' }]);
      const reloaded = new SessionStore(api, storage, undefined);
      const restored = reloaded.restore();
      await vi.advanceTimersByTimeAsync(10);
      await restored;
      await reloaded.signInWith(async () => session(3, 600_000));
      await vi.advanceTimersByTimeAsync(600_000);
      expect(api.refreshes).toBe(1);
      expect(reloaded.current()?.accessToken).toBe('access-3');

      const other = new Browser();
      const tab = other.tab(new ScriptedApi([]));
      tab.signedIn(session(4, 600_000));
      const offline = new ScriptedApi([{ kind: 'unavailable' }, { kind: 'unavailable' }]);
      const opened = other.tab(offline);
      const restoring = opened.restore();
      await vi.advanceTimersByTimeAsync(10);
      await restoring;
      await tab.logOut();
      await vi.advanceTimersByTimeAsync(600_000);
      expect(offline.refreshes).toBe(1);
      expect(opened.current()).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('asks nothing on start-up when this browser never signed in', async () => {
    const api = new ScriptedApi([]);
    await new SessionStore(api, new MemoryStorage(), undefined).restore();
    expect(api.refreshes).toBe(0);
  });

  it('says the session ended when the refresh cookie is refused, and forgets that it was signed in', async () => {
    const storage = new MemoryStorage();
    const store = new SessionStore(new ScriptedApi([{ kind: 'refused' }]), storage, undefined);
    store.signedIn(session(1, 1_000));
    expect(await store.accessToken()).toBeUndefined();
    expect(store.snapshot()).toEqual({ status: 'signed-out', ended: true });
    const reloaded = new ScriptedApi([]);
    await new SessionStore(reloaded, storage, undefined).restore();
    expect(reloaded.refreshes).toBe(0);
    store.acknowledgeEnded();
    expect(store.snapshot()).toEqual({ status: 'signed-out', ended: false });
  });

  it('says the account is closed, in this tab and the others on its sign-in, when the refresh is refused because the member withdrew', async () => {
    // Withdrawn from another device: "log in again" would only meet INVALID_CREDENTIALS.
    vi.stubGlobal('fetch', async () =>
      Response.json(
        {
          data: null,
          errors: [
            {
              message: 'Your session has ended.',
              extensions: { code: 'UNAUTHENTICATED', reason: 'withdrawn' },
            },
          ],
        },
        { status: 401 },
      ),
    );
    try {
      await expect(cookieSessionApi().refresh()).resolves.toEqual({ kind: 'refused', accountClosed: true });
    } finally {
      vi.unstubAllGlobals();
    }
    const storage = new MemoryStorage();
    const events = new EventTarget();
    const lock = new SharedLock();
    const store = new SessionStore(
      new ScriptedApi([{ kind: 'refused', accountClosed: true }]),
      storage,
      lock,
    );
    const other = new SessionStore(
      new ScriptedApi([{ kind: 'refreshed', session: session(2, 600_000) }]),
      storage,
      lock,
    );
    other.followOtherTabs(events as unknown as Window);
    store.signedIn(session(1, 1_000));
    const mark = storage.getItem('gaji.signedIn');
    events.dispatchEvent(Object.assign(new Event('storage'), { key: 'gaji.signedIn', newValue: mark }));
    await vi.waitFor(() => expect(other.snapshot().status).toBe('signed-in'));
    expect(await store.accessToken()).toBeUndefined();
    expect(store.snapshot()).toEqual({ status: 'signed-out', ended: true, accountClosed: true });
    events.dispatchEvent(
      Object.assign(new Event('storage'), {
        key: 'gaji.signedIn',
        newValue: storage.getItem('gaji.signedIn'),
      }),
    );
    expect(other.snapshot()).toEqual({ status: 'signed-out', ended: true, accountClosed: true });
  });

  it('stays signed in when the gateway cannot be reached (an outage is not the end of a session)', async () => {
    const store = new SessionStore(
      new ScriptedApi([{ kind: 'unavailable' }]),
      new MemoryStorage(),
      undefined,
    );
    store.signedIn(session(1, 1_000));
    await store.refresh();
    expect(store.current()?.accessToken).toBe('access-1');
  });

  it('two tabs refreshing at once take turns under the shared lock, so a single-use refresh token is never presented twice', async () => {
    const storage = new MemoryStorage();
    const lock = new SharedLock();
    const api = new ScriptedApi([
      { kind: 'refreshed', session: session(2, 600_000) },
      { kind: 'refreshed', session: session(3, 600_000) },
    ]);
    const tabs = [new SessionStore(api, storage, lock), new SessionStore(api, storage, lock)];
    for (const tab of tabs) tab.signedIn(session(1, 1_000));
    await Promise.all(tabs.map((tab) => tab.refresh()));
    expect(api.refreshes).toBe(2);
    expect(lock.maxRunning).toBe(1);
  });

  it('a log-out that finds no connection is kept and sent at the next chance (back online, or the next start-up), once', async () => {
    const storage = new MemoryStorage();
    const api = new ScriptedApi([]);
    let reachable = false;
    api.logOut = async () => {
      if (!reachable) throw new TypeError('Failed to fetch');
      api.loggedOut++;
    };
    const store = new SessionStore(api, storage, undefined);
    store.signedIn(session(1, 600_000));
    await store.logOut();
    expect(store.current()).toBeNull();
    expect(storage.items.get('gaji.logOutPending')).toBeDefined();
    await store.sendPendingLogOut(); // still away: kept
    expect(storage.items.get('gaji.logOutPending')).toBeDefined();

    reachable = true;
    const reloaded = new SessionStore(api, storage, undefined);
    await reloaded.restore();
    await vi.waitFor(() => expect(api.loggedOut).toBe(1));
    expect(storage.items.has('gaji.logOutPending')).toBe(false);
    await store.sendPendingLogOut(); // the other tab's "online" comes after: nothing left to send
    expect(api.loggedOut).toBe(1);
  });

  it('a log-out the gateway answers 503 (the member service away, the session not ended) is kept and sent again, then forgotten once answered 204', async () => {
    // The api took any answer as done: the pending log-out was forgotten and the session lived on.
    const answers = [503, 204];
    const sent: string[] = [];
    vi.stubGlobal('fetch', async (path: string) => {
      sent.push(path);
      const status = answers.shift() ?? 204;
      return status === 204
        ? new Response(null, { status })
        : Response.json(
            {
              errors: [
                { message: 'away', extensions: { code: 'SUBGRAPH_UNAVAILABLE', retryAfterSeconds: 5 } },
              ],
            },
            { status, headers: { 'retry-after': '5' } },
          );
    });
    try {
      const storage = new MemoryStorage();
      const store = new SessionStore(cookieSessionApi(), storage, undefined);
      store.signedIn(session(1, 600_000));
      await store.logOut();
      expect(store.current()).toBeNull();
      expect(sent).toEqual(['/auth/log-out']);
      expect(storage.items.get('gaji.logOutPending')).toBeDefined();
      await store.sendPendingLogOut();
      expect(sent).toEqual(['/auth/log-out', '/auth/log-out']);
      expect(storage.items.has('gaji.logOutPending')).toBe(false);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a log-out the gateway answers 503 with Retry-After is sent again by itself after that delay — no reload, no "online" — and stops once answered', async () => {
    // It was sent again only at the next page load or "online" event: the session lived on meanwhile.
    vi.useFakeTimers();
    const answers = [503, 503, 204];
    const sentAt: number[] = [];
    vi.stubGlobal('fetch', async () => {
      sentAt.push(Date.now());
      const status = answers.shift() ?? 204;
      return status === 204
        ? new Response(null, { status })
        : new Response('{}', { status, headers: { 'retry-after': '3' } });
    });
    try {
      const storage = new MemoryStorage();
      const store = new SessionStore(cookieSessionApi(), storage, undefined);
      store.signedIn(session(1, 600_000));
      const start = Date.now();
      await store.logOut();
      expect(sentAt).toHaveLength(1);
      expect(store.pendingLogOut.read()).toEqual({ at: start + 3_000, sending: false });
      await vi.advanceTimersByTimeAsync(2_900);
      expect(sentAt).toHaveLength(1); // the gateway asked for 3 s
      await vi.advanceTimersByTimeAsync(200);
      expect(sentAt).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(3_000);
      expect(sentAt).toHaveLength(3);
      expect(sentAt.map((at) => at - start)).toEqual([0, 3_000, 6_000]);
      expect(storage.items.has('gaji.logOutPending')).toBe(false);
      await vi.advanceTimersByTimeAsync(120_000);
      expect(sentAt).toHaveLength(3); // answered: nothing more
    } finally {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
  });

  it('a log-out with no answer (or no Retry-After) is retried with a back-off that doubles from 1 s and never waits more than a minute', async () => {
    vi.useFakeTimers();
    try {
      const storage = new MemoryStorage();
      const api = new ScriptedApi([]);
      const sentAt: number[] = [];
      api.logOut = async () => {
        sentAt.push(Date.now());
        throw new TypeError('Failed to fetch');
      };
      const store = new SessionStore(api, storage, undefined);
      store.signedIn(session(1, 600_000));
      const start = Date.now();
      await store.logOut();
      await vi.advanceTimersByTimeAsync(300_000);
      const gaps = sentAt.slice(1).map((at, i) => at - sentAt[i]!);
      expect(gaps.slice(0, 8)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
      expect(sentAt[0]).toBe(start);
      api.logOut = async () => void sentAt.push(Date.now());
      const count = sentAt.length;
      await vi.advanceTimersByTimeAsync(60_000);
      expect(sentAt).toHaveLength(count + 1);
      expect(storage.items.has('gaji.logOutPending')).toBe(false);
      await vi.advanceTimersByTimeAsync(300_000);
      expect(sentAt).toHaveLength(count + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('tabs that all hear of a pending log-out send each retry once between them, not once each', async () => {
    vi.useFakeTimers();
    try {
      const browser = new Browser();
      const sentAt: number[] = [];
      let away = true;
      const tabApi = () => {
        const api = new ScriptedApi([{ kind: 'refreshed', session: session(2, 600_000) }]);
        api.logOut = async () => {
          sentAt.push(Date.now());
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (away) throw new LogOutNotDone(503, 2);
        };
        return api;
      };
      const tabs = [browser.tab(tabApi()), browser.tab(tabApi()), browser.tab(tabApi())];
      tabs[0]!.signedIn(session(1, 600_000));
      await vi.advanceTimersByTimeAsync(100); // the other tabs take the session from the cookie
      expect(tabs.map((tab) => tab.current()?.member.id)).toEqual(['m1', 'm1', 'm1']);
      const loggingOut = tabs[0]!.logOut();
      await vi.advanceTimersByTimeAsync(100);
      await loggingOut;
      expect(sentAt).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(2_100);
      expect(sentAt).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(2_100);
      expect(sentAt).toHaveLength(3);
      away = false;
      await vi.advanceTimersByTimeAsync(4_100);
      expect(sentAt).toHaveLength(4);
      expect(browser.items.has('gaji.logOutPending')).toBe(false);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(sentAt).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads a Retry-After given in seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-01T04:00:00Z');
    expect(retryAfterSecondsOf('5', now)).toBe(5);
    expect(retryAfterSecondsOf('Tue, 01 Dec 2026 04:00:30 GMT', now)).toBe(30);
    expect(retryAfterSecondsOf('Tue, 01 Dec 2026 03:00:00 GMT', now)).toBe(0);
    expect(retryAfterSecondsOf(null, now)).toBeUndefined();
    expect(retryAfterSecondsOf('soon', now)).toBeUndefined();
  });

  it('a log-out still unanswered when the page goes is on record, and cleared once answered', async () => {
    const storage = new MemoryStorage();
    const api = new ScriptedApi([]);
    let answer: () => void = () => undefined;
    api.logOut = () =>
      new Promise<void>((resolve) => {
        answer = () => {
          api.loggedOut++;
          resolve();
        };
      });
    const store = new SessionStore(api, storage, undefined);
    store.signedIn(session(1, 600_000));
    const loggingOut = store.logOut();
    expect(store.current()).toBeNull();
    // The page could be closed now: the next start-up must send it.
    await vi.waitFor(() => expect(storage.items.get('gaji.logOutPending')).toBeDefined());
    answer();
    await loggingOut;
    expect(api.loggedOut).toBe(1);
    expect(storage.items.has('gaji.logOutPending')).toBe(false);
  });

  it('a log-out left unsent is dropped by a sign-in, whose cookie it would otherwise end', async () => {
    const storage = new MemoryStorage();
    const api = new ScriptedApi([]);
    api.logOut = async () => {
      throw new TypeError('Failed to fetch');
    };
    const store = new SessionStore(api, storage, undefined);
    store.signedIn(session(1, 600_000));
    await store.logOut();
    expect(storage.items.get('gaji.logOutPending')).toBeDefined();
    store.signedIn(session(2, 600_000));
    expect(storage.items.has('gaji.logOutPending')).toBe(false);
    api.logOut = async () => void api.loggedOut++;
    await store.sendPendingLogOut();
    expect(api.loggedOut).toBe(0);
    expect(store.current()?.accessToken).toBe('access-2');
  });

  it('a log-out while a refresh is in flight wins: the late answer does not sign the member back in', async () => {
    const api = new ScriptedApi([{ kind: 'refreshed', session: session(2, 600_000) }]);
    const store = new SessionStore(api, new MemoryStorage(), undefined);
    store.signedIn(session(1, 1_000));
    const refreshing = store.refresh();
    await store.logOut();
    await refreshing;
    expect(store.current()).toBeNull();
    expect(api.loggedOut).toBe(1);
  });

  it('a session the gateway refused (4403) and the refresh cookie confirms as revoked ends as a log-out does, and says so', async () => {
    const storage = new MemoryStorage();
    const api = new ScriptedApi([{ kind: 'refused' }]);
    const store = new SessionStore(api, storage, undefined);
    store.signedIn(session(1, 600_000));
    expect(await Promise.all([store.confirm(), store.confirm()])).toEqual(['ended', 'ended']);
    expect(api.refreshes).toBe(1);
    expect(store.snapshot()).toEqual({ status: 'signed-out', ended: true });
    expect(storage.items.get('gaji.signedIn')).toMatch(/^ended:/); // the other tabs sign out and say so too
  });

  it('a refused session whose cookie still holds is renewed, and one that cannot be checked is kept', async () => {
    const store = new SessionStore(
      new ScriptedApi([{ kind: 'refreshed', session: session(2, 600_000) }, { kind: 'unavailable' }]),
      new MemoryStorage(),
      undefined,
    );
    store.signedIn(session(1, 600_000));
    expect(await store.confirm()).toBe('renewed');
    expect(store.current()?.accessToken).toBe('access-2');
    expect(await store.confirm()).toBe('unknown');
    expect(store.current()?.accessToken).toBe('access-2');
  });

  it('a session the gateway keeps refusing though the cookie renews it ends here, says so, and gives the cookie back', async () => {
    const storage = new MemoryStorage();
    const api = new ScriptedApi([]);
    const store = new SessionStore(api, storage, undefined);
    store.signedIn(session(1, 600_000));
    await store.endRefused();
    expect(store.snapshot()).toEqual({ status: 'signed-out', ended: true });
    expect(api.loggedOut).toBe(1);
    expect(storage.items.get('gaji.signedIn')).toMatch(/^ended:/);
  });

  it('another tab whose session the server ended says so here too; one that logged out signs this one out quietly', async () => {
    const browser = new Browser();
    const first = browser.tab(new ScriptedApi([{ kind: 'refused' }]));
    const second = browser.tab(
      new ScriptedApi([
        { kind: 'refreshed', session: session(2, 600_000) },
        { kind: 'refreshed', session: session(4, 600_000) },
      ]),
    );
    first.signedIn(session(1, 600_000));
    await expect.poll(() => second.current()?.accessToken).toBe('access-2'); // follows the sign-in
    expect(await first.confirm()).toBe('ended');
    expect(second.snapshot()).toEqual({ status: 'signed-out', ended: true });

    first.signedIn(session(3, 600_000));
    await expect.poll(() => second.current()?.accessToken).toBe('access-4');
    await first.logOut();
    expect(second.snapshot()).toEqual({ status: 'signed-out', ended: false });
  });

  it('a refresh refused with the cookie of an old session does not sign out a tab that has just signed in', async () => {
    const browser = new Browser();
    const old = browser.tab(
      new ScriptedApi([{ kind: 'refused' }, { kind: 'refreshed', session: session(3, 600_000) }]),
    );
    old.signedIn(session(1, 600_000));
    const fresh = browser.tab(new ScriptedApi([]));
    const refreshing = old.refresh(); // sent with the old session's cookie
    fresh.signedIn(session(2, 600_000)); // meanwhile: a new session's cookie
    await refreshing;
    expect(fresh.current()?.accessToken).toBe('access-2');
    expect(browser.items.get('gaji.signedIn')).toMatch(/^1:/);
    // The old refusal no longer speaks for the old tab either: superseded, it ends nothing there;
    // the tab then takes the new sign-in's session from the new cookie.
    expect(await old.accessToken()).toBe('access-3');
    expect(browser.items.get('gaji.signedIn')).toMatch(/^1:/);
  });

  it('a signed-in tab that hears of another tab’s sign-in as someone else never sends the old member’s token again, and takes the new session from the cookie', async () => {
    const browser = new Browser();
    const lee = { id: 'm2', nickname: 'Lee' };
    const api = new ScriptedApi([{ kind: 'refreshed', session: session(3, 600_000, lee) }]);
    const here = browser.tab(api);
    here.signedIn(session(1, 600_000)); // Kim, far from expiry
    const there = browser.tab(new ScriptedApi([{ kind: 'refreshed', session: session(9, 600_000) }]));
    await there.restore(); // a second tab, on Kim's sign-in
    expect(there.current()?.accessToken).toBe('access-9');
    there.signedIn(session(2, 600_000, lee)); // Lee logs in in the other tab
    expect(await here.accessToken()).toBe('access-3'); // not Kim's access-1
    expect(here.current()?.member).toEqual(lee);
    expect(api.refreshes).toBe(1);
    const mark = browser.items.get('gaji.signedIn')!;
    expect(here.snapshot()).toMatchObject({ status: 'signed-in', signIn: mark.slice(2) });
  });

  it('a tab that hears two sign-ins within one refresh round trip sends neither the old member’s token nor the first sign-in’s, but the second’s', async () => {
    const browser = new Browser();
    const answers: Array<(outcome: RefreshOutcome) => void> = [];
    let refreshes = 0;
    const api: SessionApi = {
      refresh: () => (refreshes++, new Promise((resolve) => answers.push(resolve))),
      async logOut() {},
    };
    const here = browser.tab(api);
    here.signedIn(session(1, 600_000)); // Kim, far from expiry
    browser.hear('gaji.signedIn', '1:lee'); // Lee logs in in another tab
    const token = here.accessToken();
    await expect.poll(() => answers.length).toBe(1); // the refresh for Lee's sign-in is under way
    browser.hear('gaji.signedIn', '1:park'); // and before it returns, Park logs in in a third
    answers.shift()!({ kind: 'refreshed', session: session(2, 600_000, { id: 'm2', nickname: 'Lee' }) });
    await expect.poll(() => answers.length).toBe(1); // Park's cookie is asked
    answers.shift()!({ kind: 'refreshed', session: session(3, 600_000, { id: 'm3', nickname: 'Park' }) });
    expect(await token).toBe('access-3');
    expect(here.current()?.member.nickname).toBe('Park');
    expect(here.snapshot()).toMatchObject({ signIn: 'park' });
    expect(refreshes).toBe(2);
  });

  it('without Web Locks, signed-in and signed-out tabs that hear of a log-in elsewhere take its session from that tab, and the new refresh token is never presented twice', async () => {
    const browser = new Browser({ locks: false, channel: true });
    const server = new CookieServer();
    const first = browser.tab(server.api);
    first.signedIn(server.logIn()); // Kim
    const second = browser.tab(server.api);
    await second.restore(); // a second tab on Kim's sign-in
    const visitor = browser.tab(server.api); // a third, never signed in
    const lee = { id: 'm2', nickname: 'Lee' };
    const third = browser.tab(server.api);
    const leeSession = server.logIn(lee);
    third.signedIn(leeSession); // Lee logs in in a fourth tab
    const tokens = await Promise.all([first.accessToken(), second.accessToken()]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.revoked).toEqual(new Set());
    expect(third.snapshot()).toMatchObject({ status: 'signed-in', session: leeSession });
    expect(visitor.current()?.accessToken).toBe(leeSession.accessToken);
    expect(tokens).toEqual([leeSession.accessToken, leeSession.accessToken]);
    const mark = browser.items.get('gaji.signedIn')!;
    expect(mark).toMatch(/^1:/);
    for (const tab of [first, second, visitor])
      expect(tab.snapshot()).toMatchObject({ status: 'signed-in', signIn: mark.slice(2) });
    expect(server.refreshes).toBe(1); // the second tab's start-up only
  });

  it('without Web Locks, a handed-over session of the wrong shape (an older build’s, mid-deploy) is ignored and the tab takes the well-formed one that follows', async () => {
    const kim = { id: 'm1', nickname: 'Kim' };
    const malformed: unknown[] = [
      { accessToken: 'bad', member: kim }, // no expiry
      { accessToken: 'bad', accessTokenExpiresAt: 'soon', member: kim },
      { accessToken: 'bad', accessTokenExpiresAt: Date.now() + 600_000, member: kim },
      { accessToken: 'bad', accessTokenExpiresAt: new Date(Date.now() + 600_000).toISOString() },
      {
        accessToken: 'bad',
        accessTokenExpiresAt: new Date().toISOString(),
        member: { id: 7, nickname: 'Kim' },
      },
      'bad',
    ];
    for (const bad of malformed) {
      const browser = new Browser({ locks: false, channel: true });
      const server = new CookieServer();
      const here = browser.tab(server.api);
      here.signedIn(server.logIn());
      browser.hear('gaji.signedIn', '1:lee'); // Lee logs in in a tab of another build
      browser.broadcast({ signIn: 'lee', session: bad });
      const token = here.accessToken();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const lee = session(9, 600_000, { id: 'm2', nickname: 'Lee' });
      browser.broadcast({ signIn: 'lee', session: lee });
      expect(await token).toBe('access-9');
      expect(here.current()?.member).toEqual(lee.member);
      expect(server.refreshes).toBe(0);
    }
  });

  it('without Web Locks, a tab that gets only a malformed handover signs out quietly, as when nothing arrives', async () => {
    const browser = new Browser({ locks: false, channel: true });
    const server = new CookieServer();
    const here = browser.tab(server.api);
    here.signedIn(server.logIn());
    browser.hear('gaji.signedIn', '1:lee');
    browser.broadcast({
      signIn: 'lee',
      session: { accessToken: 'bad', member: { id: 'm2', nickname: 'Lee' } },
    });
    expect(await here.accessToken()).toBeUndefined();
    expect(here.snapshot()).toEqual({ status: 'signed-out', ended: false });
    expect(server.refreshes).toBe(0);
    expect(browser.items.get('gaji.signedIn')).toBe('1:lee');
  });

  it('without Web Locks, tabs on one handed-over sign-in that refresh at once take turns over the channel: one presents the refresh token, the others take its answer', async () => {
    const browser = new Browser({ locks: false, channel: true });
    const server = new CookieServer();
    const tabs = [browser.tab(server.api), browser.tab(server.api)];
    const third = browser.tab(server.api);
    third.signedIn(server.logIn()); // the others take its session over the channel
    await expect.poll(() => tabs.map((tab) => tab.current()?.accessToken)).toEqual(['access-1', 'access-1']);
    await Promise.all([...tabs, third].map((tab) => tab.refresh())); // idle tabs waking together
    expect(server.revoked).toEqual(new Set());
    expect(server.refreshes).toBe(1);
    const tokens = [...tabs, third].map((tab) => tab.current()?.accessToken);
    expect(tokens).toEqual([tokens[0], tokens[0], tokens[0]]);
    expect(tokens[0]).not.toBe('access-1');
  });

  it('without Web Locks, a tab that wants to refresh while another tab’s refresh is in flight waits for its answer instead of presenting the same token', async () => {
    const browser = new Browser({ locks: false, channel: true });
    const server = new CookieServer(300);
    const here = browser.tab(server.api);
    const there = browser.tab(server.api);
    there.signedIn(server.logIn());
    await expect.poll(() => here.current()?.accessToken).toBe('access-1');
    const first = there.refresh();
    await new Promise((resolve) => setTimeout(resolve, 200)); // its cookie has left
    const second = here.refresh();
    await Promise.all([first, second]);
    expect(server.revoked).toEqual(new Set());
    expect(server.refreshes).toBe(1);
    expect(here.current()?.accessToken).toBe(there.current()?.accessToken);
    expect(here.snapshot().status).toBe('signed-in');
  });

  it('without Web Locks, a tab that gave way to a refresh whose answer never comes (that tab closed) keeps its session after 10 s, and its next refresh goes ahead on its own', async () => {
    vi.useFakeTimers();
    try {
      const browser = new Browser({ locks: false, channel: true });
      const server = new CookieServer();
      const here = browser.tab(server.api);
      browser.tab(server.api).signedIn(server.logIn());
      await vi.advanceTimersByTimeAsync(10);
      expect(here.current()?.accessToken).toBe('access-1');
      const signIn = browser.items.get('gaji.signedIn')!.slice(2);
      const refreshing = here.refresh();
      browser.broadcast({ kind: 'refresh-claim', signIn, claim: '0', inFlight: true }); // then gone
      await vi.advanceTimersByTimeAsync(9_000);
      expect(server.refreshes).toBe(0);
      await vi.advanceTimersByTimeAsync(2_000);
      expect((await refreshing)?.accessToken).toBe('access-1');
      expect(here.snapshot().status).toBe('signed-in');
      const again = here.refresh();
      await vi.advanceTimersByTimeAsync(200);
      expect((await again)?.accessToken).not.toBe('access-1');
      expect(server.refreshes).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('without Web Locks or a channel between tabs, a tab that hears of a log-in elsewhere drops the old session quietly and presents no cookie', async () => {
    const browser = new Browser({ locks: false });
    const server = new CookieServer();
    const tabs = [browser.tab(server.api), browser.tab(server.api), browser.tab(server.api)];
    for (const tab of tabs.slice(0, 2)) tab.signedIn(server.logIn());
    const third = browser.tab(server.api);
    third.signedIn(server.logIn({ id: 'm2', nickname: 'Lee' }));
    const tokens = await Promise.all(tabs.map((tab) => tab.accessToken()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.revoked).toEqual(new Set());
    expect(third.snapshot().status).toBe('signed-in');
    expect(tokens).toEqual([undefined, undefined, undefined]);
    for (const tab of tabs) expect(tab.snapshot()).toEqual({ status: 'signed-out', ended: false });
    expect(server.refreshes).toBe(0);
    expect(third.snapshot().status).toBe('signed-in');
    expect(browser.items.get('gaji.signedIn')).toMatch(/^1:/);
  });

  it('a tab that cannot reach the gateway to take another tab’s new sign-in drops the old one quietly instead of speaking for it', async () => {
    const browser = new Browser();
    const here = browser.tab(new ScriptedApi([{ kind: 'unavailable' }]));
    here.signedIn(session(1, 600_000));
    const mark = browser.items.get('gaji.signedIn');
    browser.hear('gaji.signedIn', '1:elsewhere');
    expect(await here.accessToken()).toBeUndefined();
    expect(here.snapshot()).toEqual({ status: 'signed-out', ended: false });
    expect(browser.items.get('gaji.signedIn')).toBe('1:elsewhere');
    expect(mark).not.toBe('1:elsewhere');
  });

  it('a tab follows an ended session only when it is the sign-in the tab is on', () => {
    const browser = new Browser();
    const tab = browser.tab(new ScriptedApi([]));
    tab.signedIn(session(1, 600_000));
    const left = browser.items.get('gaji.signedIn')!;
    tab.signedIn(session(2, 600_000));
    const current = browser.items.get('gaji.signedIn')!;
    browser.hear('gaji.signedIn', left.replace(/^1/, 'ended')); // a tab still on the first sign-in
    expect(tab.snapshot().status).toBe('signed-in');
    browser.hear('gaji.signedIn', current.replace(/^1/, 'ended'));
    expect(tab.snapshot()).toEqual({ status: 'signed-out', ended: true });
  });

  it('a log-in waits for a refresh another tab sent with the old cookie, so its late answer cannot set the old session’s cookie over the new one', async () => {
    const lock = new SharedLock();
    const storage = new MemoryStorage();
    let cookie = 's1';
    const slowRefresh: SessionApi = {
      async refresh() {
        const presented = cookie;
        await new Promise((resolve) => setTimeout(resolve, 20));
        cookie = `${presented}, rotated`;
        return { kind: 'refreshed', session: session(2, 600_000) };
      },
      async logOut() {},
    };
    const other = new SessionStore(slowRefresh, storage, lock);
    other.signedIn(session(1, 1_000));
    const here = new SessionStore(new ScriptedApi([]), storage, lock);
    const refreshing = other.refresh();
    await here.signInWith(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      cookie = 's2';
      return session(3, 600_000);
    });
    await refreshing;
    expect(cookie).toBe('s2');
    expect(here.current()?.accessToken).toBe('access-3');
    expect(lock.maxRunning).toBe(1);
  });

  it('a log-in whose call asks for a token (an expiring session on the page) does not wait for its own lock', async () => {
    const api = new ScriptedApi([]);
    const store = new SessionStore(api, new MemoryStorage(), new SharedLock());
    store.signedIn(session(1, 1_000));
    const signedIn = await store.signInWith(async () => (await store.accessToken(), session(2, 600_000)));
    expect(signedIn?.accessToken).toBe('access-2');
    expect(api.refreshes).toBe(0);
  });

  it('a tab that has not yet heard of another tab’s new sign-in, logging out or ending a refused session, signs out only itself and leaves the new session’s cookie alone', async () => {
    for (const leave of [(tab: SessionStore) => tab.logOut(), (tab: SessionStore) => tab.endRefused()]) {
      const storage = new MemoryStorage(); // shared, but this tab hears no storage event yet
      const oldApi = new ScriptedApi([]);
      const old = new SessionStore(oldApi, storage, undefined);
      old.signedIn(session(1, 600_000));
      new SessionStore(new ScriptedApi([]), storage, undefined).signedIn(session(2, 600_000));
      const fresh = storage.items.get('gaji.signedIn');
      await leave(old);
      expect(old.current()).toBeNull();
      expect(oldApi.loggedOut).toBe(0);
      expect(storage.items.get('gaji.signedIn')).toBe(fresh);
    }
  });

  it('a tab on the newest sign-in that hears an older one marked ended writes its own back, so a reload or a new tab still restores', () => {
    const browser = new Browser();
    const tab = browser.tab(new ScriptedApi([]));
    tab.signedIn(session(1, 600_000));
    const left = browser.items.get('gaji.signedIn')!;
    tab.signedIn(session(2, 600_000));
    const current = browser.items.get('gaji.signedIn')!;
    browser.hear('gaji.signedIn', left.replace(/^1/, 'ended')); // a late tab with a stale view of the mark
    expect(tab.snapshot().status).toBe('signed-in');
    expect(browser.items.get('gaji.signedIn')).toBe(current);
  });

  it('a visitor who is not signed in is never told to log in again', async () => {
    const api = new ScriptedApi([{ kind: 'refused' }]);
    const store = new SessionStore(api, new MemoryStorage(), undefined);
    expect(await store.confirm()).toBe('unknown');
    expect(api.refreshes).toBe(0);
    expect(store.snapshot()).toEqual({ status: 'signed-out', ended: false });
  });
});
