/**
 * Gives memory back to the system after a crowd of sockets has left. V8's memory reducer runs at
 * most two memory-reducing collections per episode and starts a new episode only when the heap
 * grows again; when a crowd leaves after those two have run, the collection that frees their
 * objects keeps the emptied pages committed or pooled, and RSS stays at its peak (measured: about 2×
 * the idle gateway a minute after 10,000 sockets closed, in 6 of 13 runs). So once at
 * least `minimumClosed` sockets and half of the peak have gone, this asks V8 for one last-resort
 * collection, which compacts and releases those pages. It needs `--expose-gc` (the gateway's
 * start command, deploy/docker/service.sh); without it this does nothing. Steady churn never
 * triggers it: the number of open sockets must halve.
 */
export function releaseMemoryAfterExodus(
  openSockets: () => number,
  options: { everyMs?: number; minimumClosed?: number; collect?: NodeJS.GCFunction } = {},
): () => void {
  const collect = options.collect ?? globalThis.gc;
  if (!collect) return () => undefined;
  const minimumClosed = options.minimumClosed ?? 1_000;
  let peak = openSockets();
  const timer = setInterval(() => {
    const open = openSockets();
    if (open > peak) peak = open;
    else if (peak - open >= minimumClosed && open <= peak / 2) {
      peak = open;
      void collect({ type: 'major', execution: 'async', flavor: 'last-resort' });
    }
  }, options.everyMs ?? 10_000);
  timer.unref();
  return () => clearInterval(timer);
}
