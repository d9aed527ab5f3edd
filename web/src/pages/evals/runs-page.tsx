// /evals/runs: the workspace's evaluation runs, newest first, a page at a time; the dataset and
// status filters and the page are in the address. Two runs can be picked for comparison.
import { type EvalRunStatus, isEvalRunEnded } from "@hive/shared/api-client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { queries } from "../../api/queries";
import { Page } from "../../layout/page";
import { Link } from "../../router/link";
import { pathOf } from "../../router/match";
import { updateSearch, useSearchParams } from "../../router/search-params";
import { useCursorPager } from "../../ui/cursor-pager";
import { numeric } from "../../ui/data-table";
import { FilterSelect } from "../../ui/filter-select";
import { StatusFilter, statusFrom } from "../../ui/filters-status";
import { NoRuns } from "../../ui/list-no-runs";
import { PagedTable } from "../../ui/list-paged";
import { ListPanel } from "../../ui/list-panel";
import { PageLink } from "../../ui/page-link";
import { QueryState } from "../../ui/query-state";
import { NameCell } from "../../ui/table-cells";
import { TimeCell } from "../../ui/time";
import { EvalStatusPill, isoOf, targetText } from "./runs-parts";

const PAGE_SIZE = 20;
const POLL_MS = 2000;
const STATUSES: readonly EvalRunStatus[] = [
  "pending",
  "running",
  "succeeded",
  "failed",
  "cancelled",
  "budget_exceeded",
];

export function EvalRunsPage() {
  const pager = useCursorPager();
  const search = useSearchParams();
  const datasetId = search.get("dataset") ?? "";
  const status = statusFrom(search, STATUSES);
  const datasets = useQuery(queries.evalDatasets({ limit: 100 }));
  const runs = useQuery({
    ...queries.evalRuns({
      limit: PAGE_SIZE,
      cursor: pager.cursor,
      dataset_id: datasetId,
      ...(status ? { status } : {}),
    }),
    refetchInterval: (q) => (q.state.data?.data.some((r) => !isEvalRunEnded(r.status)) ? POLL_MS : false),
  });
  const [picked, setPicked] = useState<string[]>([]);
  const pick = (id: string, on: boolean) =>
    setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));
  const datasetName = (id: string) => datasets.data?.data.find((d) => d.id === id)?.name ?? id;
  const [baseline, candidate] = picked;
  return (
    <Page
      title="Evaluation runs"
      lead="An agent over a dataset of cases, each answer scored. Compare two runs to catch regressions before you deploy."
      actions={
        <PageLink to="/evals/runs/new" main>
          New run
        </PageLink>
      }
    >
      <ListPanel
        id="eval-runs-heading"
        title="Runs"
        busy={runs.isFetching}
        tools={
          <>
            <FilterSelect
              label="Dataset"
              value={datasetId}
              options={datasets.data?.data.map((d) => ({ value: d.id, label: d.name })) ?? []}
              onValue={(v) => updateSearch({ dataset: v || null, [pager.param]: null })}
            />
            <StatusFilter statuses={STATUSES} value={status} pager={pager} />
          </>
        }
      >
        <PagedTable
          page={runs.data}
          pager={pager}
          label="Run list"
          empty={<NoRuns why={status || datasetId ? " match these filters" : " yet"} startAt="/evals/runs/new" />}
          columns={[
            { label: "Compare", hidden: true },
            "Run",
            "Dataset",
            "Agent",
            "Status",
            numeric("Cases"),
            "Started",
          ]}
          row={(run) => (
            <tr key={run.id} data-testid="eval-run-row">
              <td>
                <input
                  type="checkbox"
                  aria-label={`Compare ${run.label ?? run.id}`}
                  checked={picked.includes(run.id)}
                  onChange={(e) => pick(run.id, e.target.checked)}
                />
              </td>
              <NameCell
                to={pathOf("evals", "runs", run.id)}
                name={run.label ?? run.id}
                note={run.label ? <code>{run.id}</code> : null}
              />
              <td>
                {datasetName(run.dataset_id)} v{run.dataset_version}
              </td>
              <td>{targetText(run)}</td>
              <td>
                <EvalStatusPill status={run.status} />
              </td>
              <td className="num">
                {run.cases_done} / {run.cases_total}
              </td>
              <TimeCell iso={isoOf(run.created_at)} />
            </tr>
          )}
        >
          {baseline && candidate ? (
            <p>
              <Link
                className="button button-secondary"
                to={`/evals/compare?baseline=${encodeURIComponent(baseline)}&candidate=${encodeURIComponent(candidate)}`}
              >
                Compare the two picked runs (first picked is the baseline)
              </Link>
            </p>
          ) : (
            <p className="muted small">Tick two runs of the same dataset version to compare them.</p>
          )}
          <QueryState query={runs} errorTitle="Could not load runs" loading="Loading runs…" compact />
        </PagedTable>
      </ListPanel>
    </Page>
  );
}
