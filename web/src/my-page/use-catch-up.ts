import { useCallback, useEffect, useRef } from 'react';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const MAX_ATTEMPTS = 40;

/**
 * My Page is an eventually consistent read model, and a live change may arrive before the view has
 * applied it. Given the change's cursor (a stream sequence), reload until the view's
 * `lastEventSequence` has reached it. Consequences (product SOLD, back ON_SALE) are events of
 * their own and arrive as their own `myPageChanged` notices.
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
        if (applied !== undefined && applied >= cursor) return;
        await sleep(Math.min(1_000, 100 * (attempt + 1)));
      }
    })();
  }, []);
}
