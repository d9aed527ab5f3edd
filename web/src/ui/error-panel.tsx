import { errorText } from "./error-text";

/** A failure, announced to screen readers, with what to do about it when there is something. */
export function ErrorPanel({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  return (
    <section className="panel panel-error" role="alert">
      <h2>{title}</h2>
      <p>{errorText(error)}</p>
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </section>
  );
}
