// A panel holding one list under its heading: the heading names the panel for assistive
// technology, the list's controls (its filters) sit beside the heading, and the panel is marked
// busy while its data refreshes.
import type { ReactNode } from "react";

interface ListPanelProps {
  /** The heading's id, e.g. "runs-heading". */
  id: string;
  title: string;
  busy?: boolean;
  /** Controls beside the heading, e.g. its filters. */
  tools?: ReactNode;
  /** The class of the row holding the heading and `tools`. */
  headClass?: string;
  children: ReactNode;
}

export function ListPanel({ id, title, busy, tools, headClass = "swarm-list-head", children }: ListPanelProps) {
  const heading = <h2 id={id}>{title}</h2>;
  return (
    <section className="panel" aria-labelledby={id} aria-busy={busy}>
      {tools ? (
        <div className={headClass}>
          {heading}
          {tools}
        </div>
      ) : (
        heading
      )}
      {children}
    </section>
  );
}
