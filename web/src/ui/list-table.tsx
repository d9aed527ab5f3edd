// A list as a table, or what to say when it is empty, so a page states only its columns, its row
// and its empty state. Nothing shows before the list has loaded.
import type { ReactNode } from "react";
import { type Column, DataTable } from "./data-table";

export interface ListTableProps<T> {
  /** Undefined while loading. */
  rows: readonly T[] | undefined;
  columns: readonly (Column | string)[];
  /** One item's `<tr>`, with its key. */
  row: (item: T) => ReactNode;
  /** Said when the list is empty, e.g. `<p className="muted">No keys yet.</p>`. */
  empty: ReactNode;
}

export function ListTable<T>({ rows, columns, row, empty }: ListTableProps<T>) {
  if (!rows) return null;
  if (rows.length === 0) return empty;
  return <DataTable columns={columns}>{rows.map((item) => row(item))}</DataTable>;
}
