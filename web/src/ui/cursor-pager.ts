// Cursor pagination for `{ data, next_cursor }` lists, kept in the address: the cursors of the
// pages already seen are repeated params (`?cursor=a&cursor=b`), so "Previous" goes back without
// the API having to page backwards, and a reload or a shared link opens the same page. Two lists
// on one page use two param names.
import { updateSearch, useSearchParams } from "../router/search-params";

export interface CursorPager {
  /** The search param holding the cursors; a filter change drops it (`{ [pager.param]: null }`). */
  param: string;
  cursor: string | null;
  pageNumber: number;
  hasPrevious: boolean;
  next: (nextCursor: string) => void;
  previous: () => void;
}

export function useCursorPager(param = "cursor"): CursorPager {
  const seen = useSearchParams().getAll(param);
  return {
    param,
    cursor: seen.at(-1) ?? null,
    pageNumber: seen.length + 1,
    hasPrevious: seen.length > 0,
    next: (nextCursor) => updateSearch({ [param]: [...seen, nextCursor] }),
    previous: () => updateSearch({ [param]: seen.slice(0, -1) }),
  };
}
