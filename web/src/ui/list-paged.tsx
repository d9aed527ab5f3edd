// A cursor-paged list as a table: what to say when there is nothing, a row per item under the
// columns, and the pager, so a list page states only its columns, its row and its empty state.
import type { ReactNode } from "react";
import type { CursorPager } from "./cursor-pager";
import { ListTable, type ListTableProps } from "./list-table";
import { Pager } from "./pager";

interface PagedTableProps<T> extends Omit<ListTableProps<T>, "rows"> {
  /** The loaded page; undefined while it loads. */
  page: { data: readonly T[]; next_cursor: string | null } | undefined;
  pager: CursorPager;
  /** Names the pager, e.g. "Dataset" ("Dataset pages"). */
  label: string;
  /** `empty` is said on the first page only ("No datasets yet"), unless this is set (a filter's "No
   * entries match"). */
  emptyOnEveryPage?: boolean;
  /** Shown between the table and the pager. */
  children?: ReactNode;
}

export function PagedTable<T>({
  page,
  pager,
  label,
  empty,
  emptyOnEveryPage = false,
  children,
  ...table
}: PagedTableProps<T>) {
  return (
    <>
      <ListTable {...table} rows={page?.data} empty={emptyOnEveryPage || !pager.hasPrevious ? empty : null} />
      {children}
      <Pager pager={pager} nextCursor={page?.next_cursor} label={label} />
    </>
  );
}
