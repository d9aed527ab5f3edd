// /swarm: the workspace's swarm runs, newest first, a page at a time; the status filter and the
// page are in the address.

import { SWARM_RUN_STATUSES } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { pathOf } from "../../router/match";
import { useSearchParams } from "../../router/search-params";
import { useCursorPager } from "../../ui/cursor-pager";
import { StatusFilter, statusFrom } from "../../ui/filters-status";
import { NoRuns } from "../../ui/list-no-runs";
import { PagedTable } from "../../ui/list-paged";
import { ListPanel } from "../../ui/list-panel";
import { QueryState } from "../../ui/query-state";
import { TimeCell } from "../../ui/time";
import { RunStatusPill } from "./run-status";
import "../../styles/swarm.css";
import { numeric } from "../../ui/data-table";
import { PageLink } from "../../ui/page-link";
import { NameCell } from "../../ui/table-cells";

const PAGE_SIZE = 20;

export function SwarmRunsPage() {
  const pager = useCursorPager();
  const status = statusFrom(useSearchParams(), SWARM_RUN_STATUSES);
  const params = { limit: PAGE_SIZE, cursor: pager.cursor, ...(status ? { status } : {}) };
  const runs = useQuery(queries.swarmRuns(params));
  return (
    <Page
      title="Swarm"
      lead="Several agents working one task together: pipeline, parallel, router or debate. Every step, message and vote is kept."
      actions={
        <PageLink to="/swarm/new" main>
          New run
        </PageLink>
      }
    >
      <ListPanel
        id="runs-heading"
        title="Runs"
        busy={runs.isFetching}
        tools={<StatusFilter statuses={SWARM_RUN_STATUSES} value={status} pager={pager} />}
      >
        <PagedTable
          page={runs.data}
          pager={pager}
          label="Run list"
          empty={<NoRuns why={status ? ` with status ${status.replace("_", " ")}` : " yet"} startAt="/swarm/new" />}
          columns={["Task", "Strategy", "Agents", "Status", numeric("Steps"), numeric("Tokens"), "Started"]}
          row={(run) => (
            <tr key={run.id} data-testid="swarm-run-row">
              <NameCell
                to={pathOf("swarm", run.id)}
                name={run.task.length > 80 ? `${run.task.slice(0, 79)}…` : run.task}
                note={<code>{run.id}</code>}
              />
              <td>{run.strategy}</td>
              <td>{run.agents.map((a) => a.name).join(", ")}</td>
              <td>
                <RunStatusPill status={run.status} />
              </td>
              <td className="num">{run.steps_used}</td>
              <td className="num">{run.tokens_used.toLocaleString()}</td>
              <TimeCell iso={run.created_at} />
            </tr>
          )}
        >
          <QueryState query={runs} errorTitle="Could not load runs" loading="Loading runs…" compact />
        </PagedTable>
      </ListPanel>
    </Page>
  );
}
