// The end of every form: the submit button (disabled and relabelled while the write runs), any
// other buttons or hints beside it, what the write achieved, and how it failed.
import type { ReactNode } from "react";
import { FormError } from "./form-error";

interface SubmitRowProps {
  label: string;
  /** e.g. "Creating…" */
  busyLabel: string;
  /** The form's write: a TanStack mutation, or anything with its two fields. */
  mutation: { isPending: boolean; error: unknown };
  disabled?: boolean;
  /** Field paths the form already shows next to their controls. */
  shown?: readonly string[];
  /** Announced once the write succeeded, e.g. "Created ada@example.com." */
  done?: string | null;
  children?: ReactNode;
}

export function SubmitRow({ label, busyLabel, mutation, disabled = false, shown, done, children }: SubmitRowProps) {
  return (
    <>
      <div className="form-actions">
        <button type="submit" className="button" disabled={mutation.isPending || disabled}>
          {mutation.isPending ? busyLabel : label}
        </button>
        {children}
        {done ? (
          <span role="status" className="muted">
            {done}
          </span>
        ) : null}
      </div>
      <FormError error={mutation.error} shown={shown} />
    </>
  );
}
