// A row action's failure, shown next to the button that failed.
import { errorText } from "./error-text";

export function InlineError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <span className="field-error" role="alert">
      {errorText(error)}
    </span>
  );
}
