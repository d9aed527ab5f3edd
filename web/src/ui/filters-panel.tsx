// A list page's filters in a panel of their own, above the list.
import type { ReactNode } from "react";

export function FiltersPanel({ id, children }: { id: string; children: ReactNode }) {
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>Filters</h2>
      {children}
    </section>
  );
}
