// A cursor-paged list as a table: what to say when there is nothing, a row per item under the
// columns, and the pager, so a list page states only its columns, its row and its empty state.
import type { ReactNode } from "react";
import type { CursorPager } from "./cursor-pager";
import { ListTable, type ListTableProps } from "./list-table";
import { Pager } from "./pager";

interface PagedTableProps<T> extends Omit<ListTableProps<T>, "rows" | "empty"> {
  /** The loaded page; undefined while it loads. */
  page: { data: readonly T[]; next_cursor: string | null } | undefined;
  pager: CursorPager;
  /** Names the pager, e.g. "Dataset" ("Dataset pages"). */
  label: string;
  /** Said when the list has nothing yet (on its first page), e.g. "No datasets yet". */
  empty?: ReactNode;
  /** Said when any page is empty, e.g. a filtered list's "No entries match"; instead of `empty`. */
  noMatch?: ReactNode;
  /** Shown between the table and the pager. */
  children?: ReactNode;
}

export function PagedTable<T>({ page, pager, label, empty, noMatch, children, ...table }: PagedTableProps<T>) {
  return (
    <>
      <ListTable {...table} rows={page?.data} empty={noMatch ?? (pager.hasPrevious ? null : empty)} />
      {children}
      <Pager pager={pager} nextCursor={page?.next_cursor} label={label} />
    </>
  );
}
