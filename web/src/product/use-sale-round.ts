import { useRef } from 'react';

/**
 * Counts the times the product the page shows went from SOLD back to ON_SALE (a purchase cancelled,
 * in another tab or by another member), however the page learned it: a live BACK_ON_SALE, or the
 * reload that follows a reconnection when the socket was down as it happened. The buy panel is keyed
 * on it and starts afresh: a "구매 완료" it remembers is no longer true.
 */
export function useSaleRound(status: string | undefined): number {
  const seen = useRef({ status, round: 0 });
  if (status !== undefined && status !== seen.current.status) {
    if (seen.current.status === 'SOLD' && status === 'ON_SALE') seen.current.round += 1;
    seen.current.status = status;
  }
  return seen.current.round;
}
