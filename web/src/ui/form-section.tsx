// The parts a long form is split into: a panel under a heading that names it for assistive
// technology, or a panel of related controls under a legend with the API's message about them.
import { type ReactNode, useId } from "react";

export function FormSection({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

interface FormFieldsetProps {
  legend: string;
  /** The API's message about the group as a whole, e.g. for `tools`. */
  error?: string | undefined;
  children: ReactNode;
}

export function FormFieldset({ legend, error, children }: FormFieldsetProps) {
  return (
    <fieldset className="panel">
      <legend>{legend}</legend>
      {error ? <p className="field-error">{error}</p> : null}
      {children}
    </fieldset>
  );
}
