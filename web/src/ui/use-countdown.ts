import { useEffect, useState } from 'react';
import { tryAgainOf } from './try-again';

const secondsUntil = (until: number | undefined) =>
  until === undefined ? 0 : Math.max(0, Math.ceil((until - Date.now()) / 1000));

/** Seconds left until `until` (epoch ms), ticking while it runs; 0 when passed or unset. */
export function useCountdown(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === undefined) return undefined;
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= until) window.clearInterval(timer);
    }, 250);
    return () => window.clearInterval(timer);
  }, [until]);
  return now >= (until ?? 0) ? 0 : secondsUntil(until);
}

/**
 * Seconds left of the wait an error asked for (`retryAfterSeconds`, counted from when the error
 * arrived); 0 when it asked for none or the wait is over.
 */
export function useTryAgainCountdown(error: unknown): number {
  const [until, setUntil] = useState<number>();
  useEffect(() => {
    const seconds = tryAgainOf(error)?.seconds;
    setUntil(seconds === undefined ? undefined : Date.now() + seconds * 1000);
  }, [error]);
  return useCountdown(until);
}
