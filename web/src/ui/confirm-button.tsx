// A destructive button that asks first, in place: the first press swaps it for the question
// with "confirm" and "cancel", focused so keyboard users land on the choice.
import { useEffect, useRef, useState } from "react";

interface ConfirmButtonProps {
  label: string;
  /** e.g. "Revoke key ci-deploy?" */
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
}

export function ConfirmButton({ label, question, confirmLabel, onConfirm, disabled }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => setAsking(true)}
        disabled={disabled}
      >
        {label}
      </button>
    );
  }
  return (
    <fieldset className="confirm" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        ref={confirm}
        type="button"
        className="button button-danger button-small"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button-secondary button-small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </fieldset>
  );
}

/** A mutation run without variables, e.g. revoking the key of this row. */
interface Runnable {
  isPending: boolean;
  mutate: () => void;
}

/** A ConfirmButton whose confirmed press runs `mutation`; it cannot be pressed while that runs. */
export function ConfirmMutation({
  mutation,
  ...button
}: Omit<ConfirmButtonProps, "onConfirm" | "disabled"> & { mutation: Runnable }) {
  return <ConfirmButton {...button} disabled={mutation.isPending} onConfirm={() => mutation.mutate()} />;
}
