// /swarm: the workspace's swarm runs, newest first, a page at a time.
import { SWARM_RUN_STATUSES, type RunStatus } from "@hive/shared/api-client";
import { api } from "../../api";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { useCursorPager } from "../../ui/cursor-pager";
import { DataTable } from "../../ui/data-table";
import { ErrorPanel } from "../../ui/error-panel";
import { Pager } from "../../ui/pager";
import { Time } from "../../ui/time";
import { useApi } from "../../ui/use-api";
import { useState } from "react";
import { RunStatusPill } from "./run-status";
import "../../styles/swarm.css";

const PAGE_SIZE = 20;

const isStatus = (s: string): s is RunStatus => (SWARM_RUN_STATUSES as readonly string[]).includes(s);

export function SwarmRunsPage() {
  const pager = useCursorPager();
  const [status, setStatus] = useState<RunStatus | "">("");
  const runs = useApi((signal) => api.swarm.list({ limit: PAGE_SIZE, cursor: pager.cursor, ...(status ? { status } : {}) }, { signal }), [pager.cursor, status]);
  return (
    <Page
      title="Swarm"
      lead="Several agents working one task together: pipeline, parallel, router or debate. Every step, message and vote is kept."
      actions={
        <Link to="/swarm/new" className="button">
          New run
        </Link>
      }
    >
      {runs.error ? <ErrorPanel title="Could not load runs" error={runs.error} onRetry={runs.reload} /> : null}
      <section className="panel" aria-labelledby="runs-heading" aria-busy={runs.loading}>
        <div className="swarm-list-head">
          <h2 id="runs-heading">Runs</h2>
          <label className="small">
            Status{" "}
            <select
              className="input"
              value={status}
              onChange={(e) => {
                setStatus(isStatus(e.target.value) ? e.target.value : "");
                pager.reset();
              }}
            >
              <option value="">Any</option>
              {SWARM_RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace("_", " ")}
                </option>
              ))}
            </select>
          </label>
        </div>
        {runs.data && runs.data.data.length === 0 && !pager.hasPrevious ? (
          <p>
            No runs{status ? ` with status ${status.replace("_", " ")}` : " yet"}. <Link to="/swarm/new">Start one</Link>.
          </p>
        ) : null}
        {runs.data && runs.data.data.length > 0 ? (
          <DataTable columns={["Task", "Strategy", "Agents", "Status", { label: "Steps", num: true }, { label: "Tokens", num: true }, "Started"]}>
            {runs.data.data.map((run) => (
              <tr key={run.id} data-testid="swarm-run-row">
                <th scope="row">
                  <Link to={pathOf("swarm", run.id)}>{run.task.length > 80 ? `${run.task.slice(0, 79)}…` : run.task}</Link>
                  <span className="cell-note">
                    <code>{run.id}</code>
                  </span>
                </th>
                <td>{run.strategy}</td>
                <td>{run.agents.map((a) => a.name).join(", ")}</td>
                <td>
                  <RunStatusPill status={run.status} />
                </td>
                <td className="num">{run.steps_used}</td>
                <td className="num">{run.tokens_used.toLocaleString()}</td>
                <td>
                  <Time iso={run.created_at} />
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
        {runs.loading && !runs.data ? <p className="muted">Loading runs…</p> : null}
        <Pager pager={pager} nextCursor={runs.data?.next_cursor} label="Run list" />
      </section>
    </Page>
  );
}
