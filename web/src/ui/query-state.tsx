// What a page or list shows while its data loads, and after loading failed: one place for the
// wording, the "Try again" button and what screen readers hear. It renders nothing once data is
// in; data kept from before a failed refetch stays on screen under the error.
import type { UseQueryResult } from "@tanstack/react-query";
import { ErrorPanel } from "./error-panel";
import { errorText } from "./error-text";

interface QueryStateProps {
  query: Pick<UseQueryResult, "error" | "isPending" | "refetch">;
  /** e.g. "Could not load the keys". */
  errorTitle: string;
  loading?: string;
  /** Inside a panel: one line instead of a panel of its own. */
  compact?: boolean;
}

export function QueryState({ query, errorTitle, loading = "Loading…", compact = false }: QueryStateProps) {
  const retry = () => void query.refetch();
  if (query.error && compact) {
    return (
      <p className="field-error" role="alert">
        {errorTitle}: {errorText(query.error)}{" "}
        <button type="button" className="button button-secondary button-small" onClick={retry}>
          Try again
        </button>
      </p>
    );
  }
  if (query.error) return <ErrorPanel title={errorTitle} error={query.error} onRetry={retry} />;
  if (query.isPending) {
    return (
      <p className="muted" role="status">
        {loading}
      </p>
    );
  }
  return null;
}
