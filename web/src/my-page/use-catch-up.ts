import { useCallback, useEffect, useRef } from 'react';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** After the view has applied a change, its consequences (product SOLD, back ON_SALE) follow shortly. */
const SETTLE_DELAYS_MS = [400, 1_200, 3_000];
const MAX_ATTEMPTS = 40;

/**
 * My Page is an eventually consistent read model, and a live change may arrive before the view has
 * applied it. Given the change's cursor (a stream sequence), reload until the view's
 * `lastEventSequence` has reached it, then a few more times for the events it causes.
 */
export function useCatchUp(reload: () => Promise<number | undefined>): (cursor: number) => void {
  const active = useRef(true);
  const reloadRef = useRef(reload);
  reloadRef.current = reload;
  useEffect(() => {
    active.current = true;
    return () => {
      active.current = false;
    };
  }, []);

  return useCallback((cursor: number) => {
    void (async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS && active.current; attempt++) {
        const applied = await reloadRef.current().catch(() => undefined);
        if (applied !== undefined && applied >= cursor) break;
        await sleep(Math.min(1_000, 100 * (attempt + 1)));
      }
      for (const delay of SETTLE_DELAYS_MS) {
        await sleep(delay);
        if (!active.current) return;
        await reloadRef.current().catch(() => undefined);
      }
    })();
  }, []);
}
