// A cursor-paged list as a table: what to say when there is nothing, a row per item under the
// columns, and the pager, so a list page states only its columns, its row and its empty state.
import type { ReactNode } from "react";
import type { CursorPager } from "./cursor-pager";
import { type Column, DataTable } from "./data-table";
import { Pager } from "./pager";

interface PagedTableProps<T> {
  /** The loaded page; undefined while it loads. */
  page: { data: readonly T[]; next_cursor: string | null } | undefined;
  pager: CursorPager;
  /** Names the pager, e.g. "Dataset" ("Dataset pages"). */
  label: string;
  columns: readonly (Column | string)[];
  /** One item's `<tr>`, with its key. */
  row: (item: T) => ReactNode;
  /** Said when the page is empty: on the first page only ("No datasets yet"), unless `emptyOnEveryPage`
   * (a filter's "No entries match"). */
  empty: ReactNode;
  emptyOnEveryPage?: boolean;
  /** Shown between the table and the pager. */
  children?: ReactNode;
}

export function PagedTable<T>({
  page,
  pager,
  label,
  columns,
  row,
  empty,
  emptyOnEveryPage = false,
  children,
}: PagedTableProps<T>) {
  const rows = page?.data ?? [];
  return (
    <>
      {page && rows.length === 0 && (emptyOnEveryPage || !pager.hasPrevious) ? empty : null}
      {rows.length > 0 ? <DataTable columns={columns}>{rows.map((item) => row(item))}</DataTable> : null}
      {children}
      <Pager pager={pager} nextCursor={page?.next_cursor} label={label} />
    </>
  );
}
