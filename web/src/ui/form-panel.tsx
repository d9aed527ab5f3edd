// A panel holding one form under its heading: the heading names the panel for assistive
// technology, and submitting runs `onSubmit` instead of reloading the page.
import { type FormEvent, type ReactNode, useId } from "react";

interface FormPanelProps {
  title: ReactNode;
  /** A paragraph between the heading and the form. */
  lead?: ReactNode;
  onSubmit: () => void;
  children: ReactNode;
}

export function FormPanel({ title, lead, onSubmit, children }: FormPanelProps) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {lead ? <p className="muted">{lead}</p> : null}
      <form className="form" onSubmit={(event) => submitted(event, onSubmit)}>
        {children}
      </form>
    </section>
  );
}

/** A form's submit handler: the page stays, `run` does the work. */
export function submitted(event: FormEvent, run: () => void) {
  event.preventDefault();
  run();
}
