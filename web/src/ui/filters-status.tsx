// A runs list's status filter in its heading row: "Any" or one of the statuses, kept in the
// address as `?status=`; a change starts again from the first page.
import { updateSearch } from "../router/search-params";
import type { CursorPager } from "./cursor-pager";
import { FilterSelect } from "./filter-select";

/** The status the address asks for, or "" (any) when it names none of `statuses`. */
export const statusFrom = <S extends string>(search: URLSearchParams, statuses: readonly S[]): S | "" =>
  statuses.find((s) => s === search.get("status")) ?? "";

interface StatusFilterProps<S extends string> {
  statuses: readonly S[];
  value: S | "";
  pager: CursorPager;
}

export function StatusFilter<S extends string>({ statuses, value, pager }: StatusFilterProps<S>) {
  return (
    <FilterSelect
      label="Status"
      value={value}
      options={statuses.map((s) => ({ value: s, label: s.replace("_", " ") }))}
      onValue={(v) => updateSearch({ status: statuses.some((s) => s === v) ? v : null, [pager.param]: null })}
    />
  );
}
