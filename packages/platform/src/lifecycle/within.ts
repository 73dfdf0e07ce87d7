/**
 * `promise`'s value if it settles within `ms`, else `late`; a rejection within `ms` passes through.
 * For waits that must not hold a stop or an answer for ever (a close that never settles, a probe
 * that hangs). The timer is unref'd and cleared as soon as the race is decided, so a wait that
 * ended early neither keeps the process alive nor leaves a timer behind.
 */
export async function within<T, L>(promise: Promise<T>, ms: number, late: L): Promise<T | L> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<L>((resolve) => {
    timer = setTimeout(() => resolve(late), ms).unref();
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
