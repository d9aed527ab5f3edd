// The list table every page uses: header cells from `columns`, rows from `children`, and a
// scroll container so wide tables never widen the page.
import type { ReactNode } from "react";

export interface Column {
  label: string;
  /** Right-aligned figures. */
  num?: boolean;
  /** Announced to screen readers only, e.g. the "Actions" column of row buttons. */
  hidden?: boolean;
}

export const ACTIONS: Column = { label: "Actions", hidden: true };

/** A column of figures, e.g. `numeric("Tokens")`. */
export const numeric = (label: string): Column => ({ label, num: true });

export function DataTable({ columns, children }: { columns: readonly (Column | string)[]; children: ReactNode }) {
  return (
    <div className="table-scroll">
      <table className="data-table">
        <thead>
          <tr>
            {columns.map((c) => {
              const col = typeof c === "string" ? { label: c } : c;
              return (
                <th key={col.label} scope="col" className={col.num ? "num" : undefined}>
                  {col.hidden ? <span className="visually-hidden">{col.label}</span> : col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
