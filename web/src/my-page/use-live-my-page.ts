import { useRef } from 'react';
import type { MyPageChangedSubscription } from '../__generated__/graphql';
import type { LiveStatus } from '../graphql/live-socket';
import { useLiveSubscription } from '../graphql/use-live-subscription';
import { MY_PAGE_CHANGED } from './my-page.operations';

export type MyPageChange = MyPageChangedSubscription['myPageChanged'];

/**
 * Follows `myPageChanged` — every event about my products, purchases and sales. After a dropped
 * socket it re-subscribes with the last cursor it saw as `after`, so the gateway replays exactly
 * what was missed; a cursor seen before is never handled twice. If the gateway can no longer replay
 * from that cursor (EVENTS_EXPIRED), the cursor is dropped and the view reloaded instead.
 */
export function useLiveMyPage(onChange: (change: MyPageChange) => void, onConnected: () => void): LiveStatus {
  const cursor = useRef<string>(undefined);
  return useLiveSubscription(MY_PAGE_CHANGED, {
    variables: () => ({ after: cursor.current ?? null }),
    onConnected,
    onExpired: () => {
      cursor.current = undefined;
      onConnected();
    },
    onData: ({ myPageChanged: change }) => {
      if (cursor.current !== undefined && Number(change.cursor) <= Number(cursor.current)) return;
      cursor.current = change.cursor;
      onChange(change);
    },
  });
}
