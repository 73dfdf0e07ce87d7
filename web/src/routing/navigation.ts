import { useSyncExternalStore } from 'react';

/**
 * A tiny history-API router (the app has a handful of pages and needs no more), with the scroll
 * memory a list needs: each history entry carries a key, its scroll position is remembered, and
 * Back / Forward put the reader where they were once the page is tall enough again.
 */
export type NavigationKind = 'load' | 'push' | 'replace' | 'pop';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
const positions = new Map<string, number>();
let kind: NavigationKind = 'load';
/** While a position is being restored, scroll events must not overwrite what is remembered. */
let restoring: { cancel(): void } | undefined;

const newKey = () => Math.random().toString(36).slice(2);
const entryKey = () => (window.history.state as { key?: string } | null)?.key;

window.history.scrollRestoration = 'manual';
if (!entryKey()) window.history.replaceState({ key: newKey() }, '');
window.addEventListener('popstate', () => {
  kind = 'pop';
  notify();
  restoreScroll(positions.get(entryKey() ?? '') ?? 0);
});
window.addEventListener(
  'scroll',
  () => {
    const key = entryKey();
    if (key && !restoring) positions.set(key, window.scrollY);
  },
  { passive: true },
);

/** Goes to `to`, at the top of the page unless `keepScroll` (a tab switch within the same page). */
export function navigate(to: string, options: { replace?: boolean; keepScroll?: boolean } = {}): void {
  // Remember where the reader is leaving from now: the last scroll event may still be pending
  // (it fires on the next frame), and a click right after scrolling would otherwise save a stale y.
  const leaving = entryKey();
  if (leaving && !restoring) positions.set(leaving, window.scrollY);
  restoring?.cancel();
  if (options.replace) window.history.replaceState({ key: entryKey() ?? newKey() }, '', to);
  else window.history.pushState({ key: newKey() }, '', to);
  kind = options.replace ? 'replace' : 'push';
  if (!options.keepScroll) window.scrollTo(0, 0);
  notify();
}

/** How the current page was reached: Back / Forward (`pop`) keeps cached lists as they were. */
export const navigationKind = (): NavigationKind => kind;

/** The current path and query string, re-rendering on navigation. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => window.location.pathname + window.location.search,
  );
  const url = new URL(href, window.location.origin);
  return { pathname: url.pathname, search: url.search };
}

/**
 * Scrolls back to `y` as soon as the page (re-rendered from cache, perhaps after its code chunk
 * and fonts loaded) is tall enough, checking each frame for up to five seconds — a slow phone can
 * take that long, and giving up early leaves the reader short of where they were. The reader's
 * own wheel, touch or key press ends the wait: their scrolling wins over ours.
 */
const READER_INPUT = ['wheel', 'touchstart', 'keydown', 'mousedown'] as const;

function restoreScroll(y: number): void {
  restoring?.cancel();
  const deadline = performance.now() + 5_000;
  let frame = 0;
  const stop = () => {
    cancelAnimationFrame(frame);
    READER_INPUT.forEach((type) => window.removeEventListener(type, stop));
    restoring = undefined;
  };
  const attempt = () => {
    const reachable = document.documentElement.scrollHeight - window.innerHeight >= y;
    if (reachable || performance.now() > deadline) {
      window.scrollTo(0, y);
      stop();
      return;
    }
    frame = requestAnimationFrame(attempt);
  };
  READER_INPUT.forEach((type) => window.addEventListener(type, stop, { passive: true }));
  restoring = { cancel: stop };
  frame = requestAnimationFrame(attempt);
}
