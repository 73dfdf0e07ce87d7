import { useEffect, useRef, useState } from 'react';

const HIGHLIGHT_MS = 2_500;

type Row = { id: string; status: string };

/**
 * The rows whose status just changed (or that just appeared) after a live update: they are
 * highlighted briefly so the eye finds what moved. Nothing is highlighted on the first load, nor
 * a list's rows that came below every row it showed before (a page loaded by "더 보기": a new row
 * of a newest-first list comes above them).
 */
export function useChangedRows(lists: readonly (readonly Row[])[] | undefined): ReadonlySet<string> {
  const seen = useRef<Map<string, string>>(undefined);
  const timer = useRef<number>(undefined);
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => () => window.clearTimeout(timer.current), []);
  useEffect(() => {
    if (!lists) return;
    const previous = seen.current;
    seen.current = new Map(lists.flat().map((row) => [row.id, row.status]));
    if (!previous) return;
    const moved = lists.flatMap((rows) => {
      const lastSeen = rows.findLastIndex((row) => previous.has(row.id));
      return rows
        .filter((row, index) =>
          previous.has(row.id) ? previous.get(row.id) !== row.status : lastSeen < 0 || index < lastSeen,
        )
        .map((row) => row.id);
    });
    if (moved.length === 0) return;
    setChanged(new Set(moved));
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setChanged(new Set()), HIGHLIGHT_MS);
  }, [lists]);
  return changed;
}
