// Cursor pagination for `{ data, next_cursor }` lists: the cursors of the pages already seen
// are kept, so "Previous" goes back without the API having to page backwards.
import { useCallback, useState } from "react";

export interface CursorPager {
  cursor: string | null;
  pageNumber: number;
  hasPrevious: boolean;
  next: (nextCursor: string) => void;
  previous: () => void;
  reset: () => void;
}

export function useCursorPager(): CursorPager {
  const [stack, setStack] = useState<(string | null)[]>([null]);
  const next = useCallback((nextCursor: string) => setStack((s) => [...s, nextCursor]), []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([null]), []);
  return { cursor: stack[stack.length - 1] ?? null, pageNumber: stack.length, hasPrevious: stack.length > 1, next, previous, reset };
}
