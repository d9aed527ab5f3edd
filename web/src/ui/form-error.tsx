// A form's failure in one place: the API's message, plus any field problems the form does not
// already show next to a field (`shown`), so none is silently lost.
import { errorText, fieldErrors } from "./error-text";

export function FormError({ error, shown = [] }: { error: unknown; shown?: readonly string[] }) {
  if (!error) return null;
  const fields = Object.entries(fieldErrors(error));
  const rest = fields.filter(([path]) => !shown.includes(path));
  if (fields.length > 0 && rest.length === 0) return null;
  return (
    <div className="field-error" role="alert">
      <p>{errorText(error)}</p>
      {rest.length > 0 ? (
        <ul className="plain-list">
          {rest.map(([path, message]) => (
            <li key={path}>
              <code>{path}</code>: {message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
