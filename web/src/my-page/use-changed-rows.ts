import { useEffect, useRef, useState } from 'react';

const HIGHLIGHT_MS = 2_500;

/**
 * The rows whose status just changed (or that just appeared) after a live update: they are
 * highlighted briefly so the eye finds what moved. Nothing is highlighted on the first load.
 */
export function useChangedRows(
  rows: readonly { id: string; status: string }[] | undefined,
): ReadonlySet<string> {
  const seen = useRef<Map<string, string>>(undefined);
  const timer = useRef<number>(undefined);
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useEffect(() => {
    if (!rows) return;
    const previous = seen.current;
    seen.current = new Map(rows.map((row) => [row.id, row.status]));
    if (!previous) return;
    const moved = rows.filter((row) => previous.get(row.id) !== row.status).map((row) => row.id);
    if (moved.length === 0) return;
    setChanged(new Set(moved));
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setChanged(new Set()), HIGHLIGHT_MS);
  }, [rows]);
  return changed;
}
