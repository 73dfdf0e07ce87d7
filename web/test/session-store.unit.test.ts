import { describe, expect, it } from 'vitest';
import type { Session } from '../src/session/session';
import { SessionStore } from '../src/session/session-store';

class MemoryStorage implements Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

const session = (n: number, expiresInMs: number): Session => ({
  accessToken: `access-${n}`,
  accessTokenExpiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  refreshToken: `refresh-${n}`,
  member: { id: 'm1', nickname: 'Kim' },
});

describe('the session store of the web client', () => {
  it('hands out the access token as is while it is far from expiry', async () => {
    const store = new SessionStore(new MemoryStorage() as unknown as Storage, () =>
      Promise.reject(new Error('not expected')),
    );
    store.set(session(1, 600_000));
    expect(await store.accessToken()).toBe('access-1');
  });

  it('refreshes shortly before expiry, once for concurrent callers, and keeps the rotated pair', async () => {
    const storage = new MemoryStorage();
    const used: string[] = [];
    const store = new SessionStore(storage as unknown as Storage, async (refreshToken) => {
      used.push(refreshToken);
      return session(2, 600_000);
    });
    store.set(session(1, 5_000));
    expect(await Promise.all([store.accessToken(), store.accessToken(), store.accessToken()])).toEqual([
      'access-2',
      'access-2',
      'access-2',
    ]);
    expect(used).toEqual(['refresh-1']);
    expect(JSON.parse(storage.getItem('gaji.session')!).refreshToken).toBe('refresh-2');
  });

  it('signs the member out when the refresh is refused', async () => {
    const storage = new MemoryStorage();
    const store = new SessionStore(storage as unknown as Storage, () =>
      Promise.reject(new Error('UNAUTHENTICATED')),
    );
    store.set(session(1, 1_000));
    expect(await store.accessToken()).toBeUndefined();
    expect(store.current()).toBeNull();
    expect(storage.getItem('gaji.session')).toBeNull();
  });

  it('restores the session a reload left in storage', () => {
    const storage = new MemoryStorage();
    new SessionStore(storage as unknown as Storage, () => Promise.reject(new Error())).set(
      session(1, 600_000),
    );
    expect(
      new SessionStore(storage as unknown as Storage, () => Promise.reject(new Error())).current()
        ?.accessToken,
    ).toBe('access-1');
  });
});
