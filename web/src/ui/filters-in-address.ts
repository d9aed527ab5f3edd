// A filtered, cursor-paged list whose filters live in the address: read them from it, and apply
// new ones as one history entry that also starts again from the newest page.
import { type SearchChange, updateSearch, useSearchParams } from "../router/search-params";
import { type CursorPager, useCursorPager } from "./cursor-pager";

interface AddressFilters<T> {
  filters: T;
  pager: CursorPager;
  /** `limit` and the pager's cursor, to spread into the list's query. */
  page: { limit: number; cursor: string | null };
  apply: (next: T) => void;
}

export function useAddressFilters<T>(
  fromSearch: (params: URLSearchParams) => T,
  toSearch: (filters: T) => SearchChange,
  limit: number,
): AddressFilters<T> {
  const pager = useCursorPager();
  return {
    filters: fromSearch(useSearchParams()),
    pager,
    page: { limit, cursor: pager.cursor },
    apply: (next) => updateSearch({ ...toSearch(next), [pager.param]: null }),
  };
}
