import { useApolloClient } from '@apollo/client';
import { useEffect, useRef, useState } from 'react';
import type { MyPageChangedSubscription } from '../__generated__/graphql';
import type { LiveSocket, LiveStatus } from '../graphql/live-socket';
import { MY_PAGE_CHANGED } from './my-page.operations';

export type MyPageChange = MyPageChangedSubscription['myPageChanged'];

const MAX_BACKOFF_MS = 10_000;

/**
 * Follows `myPageChanged` — every event about my products, purchases and sales — for as long as
 * the component lives. When the socket closes
 * (network, gateway restart, token expiry) it re-subscribes with the last cursor it saw as `after`,
 * so the gateway replays exactly what was missed; a cursor seen before is never handled twice.
 * `onConnected` fires on every (re)connection: anything that happened before the first
 * subscription is not replayed, so the caller reloads its view then.
 */
export function useLiveMyPage(
  live: LiveSocket,
  onChange: (change: MyPageChange) => void,
  onConnected: () => void,
): LiveStatus {
  const client = useApolloClient();
  const [status, setStatus] = useState<LiveStatus>(live.current());
  const handlers = useRef({ onChange, onConnected });
  handlers.current = { onChange, onConnected };

  useEffect(
    () =>
      live.onStatus((next) => {
        setStatus(next);
        if (next === 'connected') handlers.current.onConnected();
      }),
    [live],
  );

  useEffect(() => {
    let cursor: string | undefined;
    let stopped = false;
    let failures = 0;
    let retryTimer: number | undefined;
    let subscription: { unsubscribe(): void } | undefined;

    const subscribe = () => {
      subscription = client
        .subscribe({ query: MY_PAGE_CHANGED, variables: { after: cursor ?? null } })
        .subscribe({
          next: ({ data }) => {
            const change = data?.myPageChanged;
            if (!change) return;
            failures = 0;
            if (cursor !== undefined && Number(change.cursor) <= Number(cursor)) return;
            cursor = change.cursor;
            handlers.current.onChange(change);
          },
          error: () => resubscribe(),
          complete: () => resubscribe(),
        });
    };
    const resubscribe = () => {
      if (stopped) return;
      failures += 1;
      const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 6));
      retryTimer = window.setTimeout(subscribe, delay);
    };

    subscribe();
    return () => {
      stopped = true;
      window.clearTimeout(retryTimer);
      subscription?.unsubscribe();
    };
  }, [client]);

  return status;
}
