import { useCallback, useRef } from 'react';

/** Read by the page's bottom padding on phones (styles.css), where the buy bar is fixed. */
const ROOM = '--buy-bar-room';

/**
 * A ref for the buy bar that keeps room below the page as tall as the bar is now. A buy's outcome
 * makes the bar several lines tall, and the fixed room of one line left the end of the page — the
 * footer with its language switch — under the bar, out of reach however far one scrolled.
 */
export function useRoomForBuyBar(): (bar: HTMLElement | null) => void {
  const observer = useRef<ResizeObserver>(undefined);
  return useCallback((bar: HTMLElement | null) => {
    observer.current?.disconnect();
    observer.current = undefined;
    const body = document.body.style;
    if (!bar) return void body.removeProperty(ROOM);
    if (typeof ResizeObserver === 'undefined') return;
    observer.current = new ResizeObserver(() => body.setProperty(ROOM, `${bar.offsetHeight}px`));
    observer.current.observe(bar);
  }, []);
}
