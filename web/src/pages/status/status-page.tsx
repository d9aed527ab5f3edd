import { HiveApiError } from "@hive/shared/api-client";
import { Page } from "../../layout/page";
import { ChecksTable } from "./checks-table";
import { OverallBadge } from "./overall-badge";
import { ProvidersPanel } from "./providers-panel";
import { type StatusSnapshot, useStatus } from "./use-status";

const REFRESH_MS = 10_000;

function summary(s: StatusSnapshot): string {
  switch (s.overall) {
    case "checking":
      return "Asking the API for its health and readiness.";
    case "healthy":
      return "The API answers and every dependency is ready.";
    case "unreachable":
      return "The dashboard cannot reach the API. It keeps retrying.";
    case "degraded":
      return s.ready && s.ready.failed.length > 0
        ? `The API answers, but ${s.ready.failed.join(", ")} failed its readiness check.`
        : "The API answered with an error.";
  }
}

function describe(error: Error): string {
  if (error instanceof HiveApiError) {
    return `${error.code} (HTTP ${error.status}): ${error.message}${error.requestId ? ` · request ${error.requestId}` : ""}`;
  }
  return error.message;
}

export function StatusPage() {
  const status = useStatus(REFRESH_MS);
  const { health, ready, checkedAt } = status;
  return (
    <Page
      title="Status"
      lead="Liveness and readiness of the API and the platform services it depends on."
      actions={
        <button type="button" className="button" onClick={status.refresh} disabled={status.refreshing}>
          {status.refreshing ? "Checking…" : "Refresh now"}
        </button>
      }
    >
      <section className="panel overall" aria-labelledby="overall-heading">
        <h2 id="overall-heading" className="visually-hidden">
          Overall status
        </h2>
        <div className="overall-line" role="status">
          <OverallBadge overall={status.overall} />
          <p>{summary(status)}</p>
        </div>
        <p className="muted">
          {checkedAt ? (
            <>
              Last checked <time dateTime={checkedAt.toISOString()}>{checkedAt.toLocaleTimeString()}</time>.{" "}
            </>
          ) : null}
          Refreshes every {REFRESH_MS / 1000} s.
        </p>
      </section>

      {status.errors.length > 0 ? (
        <section className="panel panel-error" role="alert" aria-labelledby="errors-heading">
          <h2 id="errors-heading">Problems</h2>
          <ul className="plain-list">
            {status.errors.map(({ call, error }) => (
              <li key={call}>
                <code>/{call}</code>: {describe(error)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <div className="panel-grid">
        <section className="panel" aria-labelledby="health-heading">
          <h2 id="health-heading">Service</h2>
          {health ? (
            <dl className="facts">
              <dt>Service</dt>
              <dd>{health.service}</dd>
              <dt>Environment</dt>
              <dd data-testid="environment">{health.environment}</dd>
              <dt>Server time</dt>
              <dd>
                <time dateTime={health.time}>{new Date(health.time).toLocaleString()}</time>
              </dd>
            </dl>
          ) : (
            <p className="muted">
              {status.overall === "checking" ? "Waiting for /health…" : "No answer from /health."}
            </p>
          )}
        </section>

        <section className="panel" aria-labelledby="ready-heading">
          <h2 id="ready-heading">Readiness</h2>
          {ready ? (
            <ChecksTable checks={ready.checks} />
          ) : (
            <p className="muted">
              {status.overall === "checking" ? "Waiting for /ready…" : "No readiness report from /ready."}
            </p>
          )}
        </section>
      </div>
      {ready?.providers ? (
        <ProvidersPanel providers={ready.providers} />
      ) : ready?.ready ? (
        <p className="muted" data-testid="providers-hidden">
          Providers and circuit breakers are shown to platform administrators when signed in.
        </p>
      ) : null}
    </Page>
  );
}
