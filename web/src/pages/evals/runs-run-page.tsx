// /evals/runs/:id: one evaluation run, refreshed every 2 s while it runs (progress, then the
// summary per scorer and per tag once it ends) with its per-case results: every score as a number
// and as PASS/FAIL, and links to the case's conversation and trace. Cancel stops the run.
import { type EvalResult, type EvalRun, isEvalRunEnded } from "@hive/shared/api-client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../../api/client";
import { queryKeys } from "../../api/keys";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { ConfirmMutation } from "../../ui/confirm-button";
import { DataTable, numeric } from "../../ui/data-table";
import { ErrorPanel } from "../../ui/error-panel";
import { ListPanel } from "../../ui/list-panel";
import { PageLink } from "../../ui/page-link";
import { QueryState } from "../../ui/query-state";
import { Time } from "../../ui/time";
import { EvalStatusPill, fixed, isoOf, RunSummary, targetText } from "./runs-parts";

const POLL_MS = 2000;
const RESULTS = { limit: 100 };
const whileRunning = (run: EvalRun | undefined) => (run && !isEvalRunEnded(run.status) ? POLL_MS : false);

function ResultLinks({ run, result }: { run: EvalRun; result: EvalResult }) {
  const conversation =
    result.conversation_id && run.target.kind === "agent"
      ? pathOf("agent", run.target.agent_id, "chat", result.conversation_id)
      : null;
  return (
    <>
      {conversation ? <Link to={conversation}>Conversation</Link> : null}
      {result.swarm_run_id ? <Link to={pathOf("swarm", result.swarm_run_id)}>Swarm run</Link> : null}
      {result.trace_id ? (
        <>
          {conversation || result.swarm_run_id ? " · " : null}
          <Link to={pathOf("traces", result.trace_id)}>Trace</Link>
        </>
      ) : null}
    </>
  );
}

function ResultsTable({ run, results }: { run: EvalRun; results: readonly EvalResult[] }) {
  return (
    <DataTable columns={["#", "Case", "Status", "Scores", numeric("Latency"), "Answer", "Links"]}>
      {results.map((r) => (
        <tr key={r.case_id} data-testid="eval-result-row">
          <td>{r.position + 1}</td>
          <th scope="row">
            <code>{r.case_key}</code>
          </th>
          <td>{r.error ? `${r.status}: ${r.error}` : r.status}</td>
          <td>
            <ul className="plain-list">
              {r.scores.map((s) => (
                <li key={s.scorer} title={s.reason}>
                  <code>{s.scorer}</code> {fixed(s.value, 2)} <strong>{s.pass ? "PASS" : "FAIL"}</strong>{" "}
                  <span className="muted small">(≥ {s.threshold})</span>
                  {s.judge ? <span className="pill tone-neutral">judge</span> : null}
                </li>
              ))}
            </ul>
          </td>
          <td className="num">{r.latency_ms === null ? "—" : `${r.latency_ms.toLocaleString()} ms`}</td>
          <td>
            {r.output ? (
              <details>
                <summary className="small">{r.output.length > 60 ? `${r.output.slice(0, 59)}…` : r.output}</summary>
                <pre className="swarm-text">{r.output}</pre>
              </details>
            ) : (
              "—"
            )}
          </td>
          <td>
            <ResultLinks run={run} result={r} />
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function EvalRunPage({ runId }: { runId: string }) {
  const failedOnly = useSearchParams().get("failed") === "1";
  const run = useQuery({ ...queries.evalRun(runId), refetchInterval: (q) => whileRunning(q.state.data) });
  const params = failedOnly ? { ...RESULTS, failed: true } : RESULTS;
  const results = useQuery(queries.evalResults(runId, params));
  // New results come with progress: read them again whenever the run reports more cases done or ends.
  const { refetch } = results;
  const progress = `${run.data?.cases_done}:${run.data?.status}`;
  useEffect(() => {
    if (progress) void refetch();
  }, [progress, refetch]);
  const cancel = useMutation({
    mutationFn: () => api.evals.cancelRun(runId),
    meta: { invalidates: [queryKeys.evalRuns.all] },
  });
  const r = run.data;
  const share = r && r.cases_total > 0 ? r.cases_done / r.cases_total : 0;
  return (
    <Page
      title={r?.label ? `Run ${r.label}` : "Evaluation run"}
      lead={r ? `${targetText(r)} over dataset ${r.dataset_id} v${r.dataset_version}` : undefined}
      actions={
        <>
          {r && !isEvalRunEnded(r.status) ? (
            <ConfirmMutation
              label="Cancel run"
              question="Cancel this run?"
              confirmLabel="Cancel run"
              mutation={cancel}
            />
          ) : null}
          <PageLink to={`/evals/compare?candidate=${encodeURIComponent(runId)}`}>Compare with…</PageLink>
          <PageLink to="/evals/runs">All runs</PageLink>
        </>
      }
    >
      <QueryState query={run} errorTitle="Could not load the run" loading="Loading the run…" />
      {cancel.error ? <ErrorPanel title="Could not cancel the run" error={cancel.error} /> : null}
      {r ? (
        <>
          <section className="panel" aria-labelledby="eval-progress-heading">
            <h2 id="eval-progress-heading">
              Progress <EvalStatusPill status={r.status} />
            </h2>
            <p data-testid="eval-progress">
              {r.cases_done} of {r.cases_total} cases done ({Math.round(share * 100)}%)
              {r.reason ? ` — ${r.reason}` : ""}
            </p>
            <progress max={r.cases_total || 1} value={r.cases_done} aria-label="Cases done" />
            <p className="muted small">
              {r.tokens_used.toLocaleString()} tokens
              {r.budget_tokens ? ` of ${r.budget_tokens.toLocaleString()}` : ""}, ${r.cost_usd.toFixed(4)}, concurrency{" "}
              {r.concurrency}
              {r.started_at ? (
                <>
                  {" "}
                  · started <Time iso={isoOf(r.started_at)} />
                </>
              ) : null}
              {r.ended_at ? (
                <>
                  {" "}
                  · ended <Time iso={isoOf(r.ended_at)} />
                </>
              ) : null}
            </p>
          </section>
          <section className="panel" aria-labelledby="eval-summary-heading">
            <h2 id="eval-summary-heading">Summary</h2>
            <RunSummary run={r} />
          </section>
          <ListPanel
            id="eval-results-heading"
            title="Cases"
            busy={results.isFetching}
            tools={
              <label className="small">
                <input
                  type="checkbox"
                  checked={failedOnly}
                  onChange={(e) => updateSearch({ failed: e.target.checked ? "1" : null })}
                />{" "}
                Failed only
              </label>
            }
          >
            {results.data ? (
              results.data.data.length ? (
                <ResultsTable run={r} results={results.data.data} />
              ) : (
                <p>{failedOnly ? "No failed cases." : "No results yet."}</p>
              )
            ) : null}
            <QueryState query={results} errorTitle="Could not load results" loading="Loading results…" compact />
          </ListPanel>
        </>
      ) : null}
    </Page>
  );
}
