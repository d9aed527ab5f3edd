// A list whose rows can be deleted: one mutation serves every row, each row's "Delete" asks first
// and is off while a delete runs, and a failed delete is said above the table.
import { ConfirmButton } from "./confirm-button";
import { errorText } from "./error-text";

/** The list's delete mutation, or anything with its three fields. */
interface RowDelete {
  isPending: boolean;
  error: unknown;
  mutate: (id: string) => void;
}

export function DeleteRowButton({ remove, id, question }: { remove: RowDelete; id: string; question: string }) {
  return (
    <ConfirmButton
      label="Delete"
      question={question}
      confirmLabel="Delete"
      disabled={remove.isPending}
      onConfirm={() => remove.mutate(id)}
    />
  );
}

export function DeleteError({ remove }: { remove: RowDelete }) {
  if (!remove.error) return null;
  return (
    <p className="field-error" role="alert">
      Could not delete: {errorText(remove.error)}
    </p>
  );
}
